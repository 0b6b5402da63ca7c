import ClaimMapJOSE
import ClaimMapRuntime
import ClaimMapTestSupport
import Foundation
import Testing

/// What replay says must be all it checked and all it assumed (#15): an uncompared nonce, a refused attribute, an
/// enrichment answered from the token, times a person can read, and the wrong kind of key file named as such.
@Suite("replay tells the whole truth", .serialized)
struct ReplayTruthTests {
    static let bank = Corpora.repository.appendingPathComponent("Mappings/bank.mapping.yaml").path
    static let claims =
        #"{"iss":"https://id.bank.example/oauth2/default","aud":"bank-messenger","sub":"c-1","nonce":"n-1","https://bank.example/segment":"private"}"#

    func token() throws -> (jwks: String, token: String, directory: URL, key: String) {
        let (directory, key, jwks) = try ReplayTests.lab()
        return (jwks, try ReplayTests.mint(Self.claims, key: key, in: directory, name: "bank"), directory, key)
    }

    func replay(_ arguments: [String]) throws -> CLITests.Run {
        try CLITests.run(["replay", Self.bank, "--now", "2026-11-25T12:00:00Z"] + arguments)
    }

    static func checksLine(_ text: String) -> String {
        text.split(separator: "\n").first { $0.contains("checks passed:") }.map(String.init) ?? ""
    }

    @Test("without --nonce the nonce is present but not compared, and is not listed as passed")
    func nonceNotCompared() throws {
        let (jwks, token, _, _) = try token()
        let run = try replay([token, "--jwks", jwks])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("note: nonce present, not compared: give --nonce"))
        #expect(!Self.checksLine(run.stdout).contains("nonce"), "\(Self.checksLine(run.stdout))")
        let compared = try replay([token, "--jwks", jwks, "--nonce", "n-1"])
        #expect(compared.status == 0, "\(compared.stderr)")
        #expect(!compared.stdout.contains("not compared"))
        #expect(Self.checksLine(compared.stdout).contains(", nonce,"), "\(Self.checksLine(compared.stdout))")
        // maxAge is listed because bank sets one; nbf only when the token carries one (this one does not).
        #expect(Self.checksLine(compared.stdout).contains("maxAge"))
        #expect(!Self.checksLine(compared.stdout).contains("nbf"))
    }

    @Test("an attribute its contract refuses is reported as refused, with why and what the variable keeps")
    func refusedAttribute() throws {
        let (jwks, token, _, _) = try token()
        let run = try replay([token, "--jwks", jwks, "--nonce", "n-1", "--attribute", "topic=cards\"; drop"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(
            run.stdout.contains(
                #"refused: attribute topic = "cards\"; drop": not one of its enum values ("cards", "loans", "mortgage", "other"); Flow.Topic keeps "other""#
            ), "\(run.stdout)")
        let accepted = try replay([token, "--jwks", jwks, "--nonce", "n-1", "--attribute", "topic=loans"])
        #expect(!accepted.stdout.contains("refused"))
        #expect(accepted.stdout.contains(#"Flow.Topic         = "loans""#), "\(accepted.stdout)")
        let long = try replay([token, "--jwks", jwks, "--attribute", "topic=" + String(repeating: "x", count: 17)])
        #expect(long.stdout.contains("refused: attribute topic"), "\(long.stdout)")
    }

    @Test("an enrichment with no --enrichment is said to be answered from the token's claims")
    func enrichmentFromClaims() throws {
        let (jwks, token, directory, _) = try token()
        let run = try replay([token, "--jwks", jwks, "--nonce", "n-1"])
        #expect(
            run.stdout.contains(
                "note: enrichment `Bank Customer Lookup`: no --enrichment Bank Customer Lookup=FILE|fail given, so its answer was taken from the token's claims (segment from \"https://bank.example/segment\""
            ), "\(run.stdout)")
        #expect(run.stdout.contains(#"Flow.Segment       = "private""#), "\(run.stdout)")
        let answer = directory.appendingPathComponent("lookup.json")
        try #"{"segment":"premier"}"#.write(to: answer, atomically: true, encoding: .utf8)
        let given = try replay([
            token, "--jwks", jwks, "--nonce", "n-1", "--enrichment", "Bank Customer Lookup=\(answer.path)",
        ])
        #expect(!given.stdout.contains("note: enrichment"), "\(given.stdout)")
        #expect(given.stdout.contains(#"Flow.Segment       = "premier""#), "\(given.stdout)")
    }

    @Test("times in a rejection are also written in RFC 3339; --now in milliseconds is refused with a hint")
    func readableTimes() throws {
        let (jwks, token, _, _) = try token()
        // Minted at 2026-11-25T11:59:00Z, so it expires at 12:59:00.
        let late = try CLITests.run(["replay", Self.bank, token, "--jwks", jwks, "--now", "2026-11-26T00:00:00Z"])
        #expect(late.status == 1)
        #expect(
            late.stdout.contains(
                "exp 1795611540 = 2026-11-25T12:59:00Z, 39660 s before now (1795651200 = 2026-11-26T00:00:00Z; leeway 30 s)"
            ), "\(late.stdout)")
        let milliseconds = try CLITests.run(["replay", Self.bank, token, "--jwks", jwks, "--now", "1795651200000"])
        #expect(milliseconds.status == 2)
        #expect(milliseconds.stderr.contains("if it is milliseconds, divide by 1000"), "\(milliseconds.stderr)")
    }

    @Test("a PEM given as --jwks is named, and keys import turns it into a JWKS replay uses")
    func pemAsJWKS() throws {
        let (_, token, directory, key) = try token()
        // The lab key's public half as PEM (SubjectPublicKeyInfo), as an IdP publishing PEM would hand it out.
        let pem = directory.appendingPathComponent("idp.pem")
        let jwk = try RSAPrivateJWK(
            json: try StrictJSONReader().parse(try String(contentsOfFile: key, encoding: .utf8)))
        try jwk.privateKey.publicKey.pemRepresentation.write(to: pem, atomically: true, encoding: .utf8)
        let run = try replay([token, "--jwks", pem.path])
        #expect(run.status == 2)
        #expect(run.stderr.contains("is a PEM key, not a JWKS"), "\(run.stderr)")
        #expect(run.stderr.contains("claimmap keys import --pem"), "\(run.stderr)")
        let converted = directory.appendingPathComponent("idp.jwks.json").path
        let imported = try CLITests.run(["keys", "import", "--pem", pem.path, "--kid", "lab-1", "--jwks", converted])
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(!(try String(contentsOfFile: converted, encoding: .utf8)).contains("\"d\""))
        let verified = try replay([token, "--jwks", converted, "--nonce", "n-1"])
        #expect(verified.status == 0, "\(verified.stdout)\(verified.stderr)")
        #expect(verified.stdout.contains("accepted"))
        let twice = try CLITests.run(["keys", "import", "--pem", pem.path, "--kid", "lab-1", "--jwks", converted])
        #expect(twice.status == 2 && twice.stderr.contains("already holds kid"), "\(twice.stderr)")
        let notPEM = try CLITests.run(["keys", "import", "--pem", converted, "--kid", "x", "--jwks", converted])
        #expect(notPEM.status == 2 && notPEM.stderr.contains("is not PEM"), "\(notPEM.stderr)")
    }

    @Test("token mint given a JWKS or a PEM says which key it needs")
    func mintWithTheWrongKey() throws {
        let (jwks, _, directory, _) = try token()
        let claims = directory.appendingPathComponent("c.json")
        try Self.claims.write(to: claims, atomically: true, encoding: .utf8)
        let run = try CLITests.run(["token", "mint", "--key", jwks, "--claims", claims.path])
        #expect(run.status == 2)
        #expect(run.stderr.contains("is a JWKS (public keys, which cannot sign)"), "\(run.stderr)")
        let pem = directory.appendingPathComponent("k.pem")
        try "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n".write(
            to: pem, atomically: true, encoding: .utf8)
        let fromPEM = try CLITests.run(["token", "mint", "--key", pem.path, "--claims", claims.path])
        #expect(fromPEM.status == 2 && fromPEM.stderr.contains("is a PEM key"), "\(fromPEM.stderr)")
    }
}
