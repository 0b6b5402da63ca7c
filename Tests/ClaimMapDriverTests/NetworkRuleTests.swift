import ClaimMapIdP
import Foundation
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

/// keys fetch writes the spec's identity.jwks, which a pull request can change: never outside the spec's folder.
@Suite("keys fetch writes only inside the spec's folder", .serialized)
struct KeysFetchPathTests {
    static func spec(jwks: String, in directory: URL) throws -> String {
        let text = """
            claimmap: 1
            flow:
              name: Paths
            identity:
              discovery: https://127.0.0.1:9/.well-known/openid-configuration
              issuer: https://127.0.0.1:9
              audience: c
              jwks: \(jwks)
            claims:
              sub: { type: string, required: true }
            variables:
              Flow.Id: { from: sub }
            routing:
              - rule: default
                queue: General

            """
        let mappings = directory.appendingPathComponent("Mappings")
        try FileManager.default.createDirectory(at: mappings, withIntermediateDirectories: true)
        let path = mappings.appendingPathComponent("paths.mapping.yaml")
        try text.write(to: path, atomically: true, encoding: .utf8)
        return path.path
    }

    @Test(
        "an absolute path, `..`, or a symbolic link on the way is refused before any request",
        arguments: [
            "/etc/claimmap-test.json", "../outside.json", "keys/../../outside.json", "link/evil.json",
        ])
    func refused(jwks: String) throws {
        let directory = try CLITests.temporaryDirectory()
        let spec = try Self.spec(jwks: jwks, in: directory)
        try FileManager.default.createSymbolicLink(
            atPath: directory.appendingPathComponent("Mappings/link").path, withDestinationPath: directory.path)
        let run = try CLITests.run(["keys", "fetch", spec, "--timeout", "1"], in: directory)
        #expect(run.status == 2)
        #expect(
            run.stderr.contains("leaves the spec's folder") || run.stderr.contains("is a symbolic link"),
            "\(run.stderr)")
        #expect(!run.stderr.contains("discovery:"), "refused before any request: \(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("outside.json").path))
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("evil.json").path))
    }
}
