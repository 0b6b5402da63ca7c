import ClaimMapRuntime
import ClaimMapTestSupport
import Foundation
import Testing

/// `replay`, `test`, `keys generate` and `token mint` as engineers use them.
@Suite("replay and the token lab", .serialized)
struct ReplayTests {
    static func lab() throws -> (directory: URL, key: String, jwks: String) {
        let directory = try CLITests.temporaryDirectory()
        let run = try CLITests.run(["keys", "generate", "--kid", "lab-1", "--out", directory.path])
        #expect(run.status == 0, "\(run.stderr)")
        return (
            directory, directory.appendingPathComponent("lab-1.private.jwk.json").path,
            directory.appendingPathComponent("jwks.json").path
        )
    }

    static func mint(
        _ claims: String, key: String, in directory: URL, name: String, headers: [String] = [],
        now: String = "2026-11-25T11:59:00Z"
    ) throws -> String {
        let claimsFile = directory.appendingPathComponent("\(name).claims.json")
        try claims.write(to: claimsFile, atomically: true, encoding: .utf8)
        let run = try CLITests.run(
            ["token", "mint", "--key", key, "--claims", claimsFile.path, "--now", now]
                + headers.flatMap { ["--header", $0] })
        #expect(run.status == 0, "\(run.stderr)")
        let tokenFile = directory.appendingPathComponent("\(name).jwt")
        try run.stdout.write(to: tokenFile, atomically: true, encoding: .utf8)
        return tokenFile.path
    }

    @Test("keys generate writes a 0600 private key, never prints it, and merges the JWKS")
    func keysGenerate() throws {
        let (directory, key, jwks) = try Self.lab()
        let attributes = try FileManager.default.attributesOfItem(atPath: key)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        let second = try CLITests.run(["keys", "generate", "--kid", "lab-2", "--out", directory.path])
        #expect(second.status == 0)
        #expect(!second.stdout.contains("\"d\""))
        let set = try StrictJSONReader().parse(try String(contentsOfFile: jwks, encoding: .utf8))
        guard case .array(let keys)? = set[member: "keys"] else { throw FixtureError() }
        #expect(keys.count == 2)
        #expect(keys.allSatisfy { $0[member: "d"] == nil })
        let again = try CLITests.run(["keys", "generate", "--kid", "lab-2", "--out", directory.path])
        #expect(again.status == 2)
    }

    @Test("every replay line, accepted or rejected, validates against the documented line schema")
    func lineSchema() throws {
        let (directory, key, jwks) = try Self.lab()
        let retail = Corpora.repository.appendingPathComponent("Mappings/retail.mapping.yaml").path
        let base = #""iss":"https://login.retail.example","aud":"0oa1retailmessenger","nonce":"n-1""#
        let tokens = [
            try Self.mint(
                #"{\#(base),"sub":"u-1","https://retail.example/tier":"gold","https://retail.example/accounts":["0123456789"]}"#,
                key: key, in: directory, name: "gold"),
            try Self.mint(#"{\#(base),"sub":"u-2"}"#, key: key, in: directory, name: "plain"),
            try Self.mint(
                #"{\#(base),"sub":"u-3"}"#, key: key, in: directory, name: "old", now: "2020-01-01T00:00:00Z"),
            try Self.mint(
                #"{\#(base),"sub":"u-4"}"#, key: key, in: directory, name: "jku",
                headers: ["jku=https://evil.example/jwks"]),
        ]
        let run = try CLITests.run(
            ["replay", retail, "--jwks", jwks, "--now", "2026-11-25T12:00:00Z", "--nonce", "n-1", "--format", "json"]
                + tokens)
        #expect(run.status == 1, "one token is rejected, so the exit code is 1")
        let schemaData = try Data(
            contentsOf: Corpora.repository.appendingPathComponent("docs/schemas/replay-line.schema.json"))
        let schema = MiniJSONSchema(try StrictJSONReader(maxDepth: 64).parse([UInt8](schemaData)))
        let lines = run.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 4)
        var verdicts: [String] = []
        for line in lines {
            let json = try StrictJSONReader(maxDepth: 64).parse(line)
            #expect(schema.validate(json).isEmpty, "\(schema.validate(json))")
            if case .string(let verdict)? = json[member: "verdict"] { verdicts.append(verdict) }
            #expect(!line.contains("eyJ"), "a line never contains the token")
        }
        #expect(verdicts == ["accepted", "accepted", "rejected", "rejected"])
        #expect(lines[2].contains("\"reason\":\"expired\""))
        #expect(lines[3].contains("\"reason\":\"header_param_not_allowed\""))
        #expect(lines[0].contains("\"route\":{\"rule\":\"vip\""))
    }

    @Test("tokens stream through standard input, labelled by line")
    func stdinStream() throws {
        let (directory, key, jwks) = try Self.lab()
        let minimal = Corpora.repository.appendingPathComponent("Mappings/minimal.mapping.yaml").path
        let token = try String(
            contentsOfFile: try Self.mint(
                #"{"iss":"https://auth.minimal.example/","aud":"minimal-messenger","sub":"m","nonce":"x"}"#, key: key,
                in: directory, name: "m"), encoding: .utf8)
        let input = directory.appendingPathComponent("tokens.txt")
        // 250 tokens (~560 bytes each) cross the reader's 64 KiB buffer twice, a token line straddling each refill;
        // then a CRLF line, a blank line (skipped but counted), a 2 MiB line without a token in it (kept to its first
        // 1 MiB + 1 bytes), a line of invalid UTF-8, garbage, and a last token with no final newline.
        let line = token.trimmingCharacters(in: .whitespacesAndNewlines)
        let count = 250
        #expect(count * (line.utf8.count + 1) > 2 << 16)
        #expect([1 << 16, 2 << 16].allSatisfy { $0 % (line.utf8.count + 1) != 0 }, "a refill falls inside a line")
        var stream = Array(
            (String(repeating: line + "\n", count: count) + line + "\r\n" + "\n"
                + String(repeating: "a", count: 2 << 20) + "\n").utf8)
        stream += [0x65, 0xFF, 0x2E, 0xE2, 0x82, 0x0A]
        stream += Array(("not-a-token\n" + line).utf8)
        try Data(stream).write(to: input)
        let process = Process()
        process.executableURL = CLITests.binary
        process.arguments = [
            "replay", minimal, "-", "--jwks", jwks, "--now", "2026-11-25T12:00:00Z", "--format", "json",
        ]
        process.standardInput = try FileHandle(forReadingFrom: input)
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n")
        try #require(lines.count == count + 5)
        for (index, line) in lines.prefix(count + 1).enumerated() {
            #expect(line.contains("\"token\":\"stdin:\(index + 1)\",\"verdict\":\"accepted\""))
        }
        #expect(
            lines[count + 1].contains("\"token\":\"stdin:\(count + 3)\"")
                && lines[count + 1].contains("the token is 1048577 bytes"))
        // The invalid bytes were repaired (two segments, neither with a line feed in it), and the line kept its own.
        #expect(
            lines[count + 2].contains("\"token\":\"stdin:\(count + 4)\"")
                && lines[count + 2].contains("malformed_segments"))
        #expect(
            lines[count + 3].contains("\"token\":\"stdin:\(count + 5)\"")
                && lines[count + 3].contains("malformed_segments"))
        #expect(lines[count + 4].contains("\"token\":\"stdin:\(count + 6)\",\"verdict\":\"accepted\""))
        #expect(process.terminationStatus == 1)
    }

    @Test("a guest replay and the text explanation")
    func guestAndText() throws {
        let retail = Corpora.repository.appendingPathComponent("Mappings/retail.mapping.yaml").path
        let run = try CLITests.run(["replay", retail, "--guest", "--attribute", "preferredLanguage=de"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("guest: an unauthenticated conversation"))
        #expect(run.stdout.contains("→ guests: queue Retail Guest"))
        #expect(run.stdout.contains("Get Account Balance: denied (not_authenticated)"))
        #expect(run.stdout.contains("Flow.Language      = \"de\""))
    }

    @Test("usage problems exit 2 with a message")
    func usage() throws {
        let retail = Corpora.repository.appendingPathComponent("Mappings/retail.mapping.yaml").path
        #expect(try CLITests.run(["replay", retail, "missing.jwt"]).status == 2)
        #expect(try CLITests.run(["replay", "nope.mapping.yaml", "--guest"]).status == 2)
        let badAttribute = try CLITests.run(["replay", retail, "--guest", "--attribute", "bogus=1"])
        #expect(badAttribute.status == 2 && badAttribute.stderr.contains("declares no such attribute"))
        let badEnrichment = try CLITests.run(["replay", retail, "--guest", "--enrichment", "Nope=fail"])
        #expect(badEnrichment.status == 2)
        #expect(try CLITests.run(["replay", retail, "--guest", "--now", "yesterday"]).status == 2)
    }

    @Test("claimmap test runs every example tests file and ends with the counts")
    func exampleTests() throws {
        let run = try CLITests.run(["test"])
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.hasSuffix("44 passed, 0 failed\n"))
    }
}

struct FixtureError: Error {}
