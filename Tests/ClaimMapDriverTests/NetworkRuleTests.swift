import ClaimMapIdP
import Testing

@testable import ClaimMapDriver

/// The network rules of the live IdP that need no server (Tests/IdP/run.py tests the rest on loopback).
@Suite("live IdP network rules")
struct NetworkRuleTests {
    @Test(
        "https anywhere; http only to a loopback address; no user information",
        arguments: [
            ("https://login.example.com/.well-known/openid-configuration", true),
            ("http://127.0.0.1:8080/x", true), ("http://127.9.9.9/x", true), ("http://localhost/x", true),
            ("http://[::1]:9000/x", true),
            ("http://login.example.com/x", false), ("http://128.0.0.1/x", false),
            ("http://127.0.0.1.example.com/x", false),
            ("ftp://127.0.0.1/x", false), ("https://user:pw@login.example.com/x", false), ("login.example.com", false),
        ])
    func urls(url: String, allowed: Bool) {
        #expect((IdPClient.urlProblem(url) == nil) == allowed, "\(url): \(IdPClient.urlProblem(url) ?? "allowed")")
    }

    @Test("the IdP's Date header (IMF-fixdate) for the clock-skew check; anything else is not a time")
    func httpDate() {
        #expect(Driver.httpDate("Sun, 06 Nov 1994 08:49:37 GMT") == 784_111_777)
        #expect(Driver.httpDate("Sun, 29 Nov 2026 01:00:00 GMT") == 1_795_914_000)
        #expect(Driver.httpDate("Sunday, 06-Nov-94 08:49:37 GMT") == nil)
        #expect(Driver.httpDate("Sun, 31 Feb 2026 08:49:37 GMT") == nil)
        #expect(Driver.httpDate("Sun, 06 Nov 1994 08:49:37 CET") == nil)
    }
}
