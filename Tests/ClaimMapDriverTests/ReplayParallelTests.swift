import ClaimMapJOSE
import ClaimMapRuntime
import ClaimMapTestSupport
import Foundation
import Testing

@testable import ClaimMapDriver

/// `replay --jobs N`: the lines are those of one thread, byte for byte and in input order, for any N.
@Suite("replay on several threads")
struct ReplayParallelTests {
    /// A day of traffic in miniature: 1,500 lines of the retail spec's tokens, over a third of them rejected for five
    /// reasons (another signing key, expired, not a JWS, a tier outside the enum, a tier of the wrong type), and blank
    /// lines between (skipped, but counted in the `stdin:N` labels).
    static func corpus() throws -> (jwks: String, lines: [String]) {
        let directory = try CLITests.temporaryDirectory()
        let key = try RSAPrivateJWK.generate(kid: "par-1")
        let other = try RSAPrivateJWK.generate(kid: "par-1")
        let jwks = directory.appendingPathComponent("jwks.json").path
        try JSONValue.object([("keys", .array([key.publicJSON()]))]).compact()
            .write(toFile: jwks, atomically: true, encoding: .utf8)
        let now = 1_795_000_000
        func token(_ claims: String, signer: RSAPrivateJWK = key, kid: String = "par-1") throws -> String {
            try signer.sign(
                header: .object([("alg", .string("RS256")), ("kid", .string(kid)), ("typ", .string("JWT"))]),
                payload: Array(claims.utf8))
        }
        let tiers = ["gold", "silver", "bronze", "platinum", "GOLD"]
        var lines: [String] = []
        for index in 0..<1_500 {
            let base =
                #""iss":"https://login.retail.example","aud":"0oa1retailmessenger","nonce":"n-1","iat":\#(now - 60),"exp":\#(now + 600)"#
            let tier = tiers[index % tiers.count]
            let accounts = index % 3 == 0 ? #","https://retail.example/accounts":["\#(1_000_000_000 + index)"]"# : ""
            switch index % 9 {
            case 0, 1, 2, 3, 4:
                lines.append(
                    try token(#"{\#(base),"sub":"u-\#(index)","https://retail.example/tier":"\#(tier)"\#(accounts)}"#))
            case 5: lines.append(try token(#"{\#(base),"sub":"u-\#(index)"}"#, signer: other))
            case 6:
                lines.append(
                    try token(
                        #"{"iss":"https://login.retail.example","aud":"0oa1retailmessenger","nonce":"n-1","sub":"u","iat":\#(now - 900),"exp":\#(now - 300)}"#
                    ))
            case 7: lines.append(index % 2 == 0 ? "" : "not.a.token")
            default:
                lines.append(try token(#"{\#(base),"sub":"u-\#(index)","https://retail.example/tier":42}"#))
            }
        }
        return (jwks, lines)
    }

    static func replay(_ lines: [String], jwks: String, jobs: Int, format: ReportFormat) -> (Int32, [UInt8], String) {
        var options = ReplayOptions(
            target: Corpora.repository.appendingPathComponent("Mappings/retail.mapping.yaml").path, tokens: ["-"],
            jwks: jwks, now: "1795000000", nonce: "n-1", format: format)
        options.jobs = jobs
        var output: [UInt8] = []
        var errors = ""
        var iterator = lines.makeIterator()
        let code = Driver().runReplay(
            options, write: { output.append(contentsOf: $0) }, writeError: { errors += $0 },
            readLine: { iterator.next().map { Substring($0) } })
        return (code, output, errors)
    }

    @Test("JSON lines and text are byte-identical for 1, 2 and 7 threads, in input order, with rejections")
    func sameBytes() throws {
        let (jwks, lines) = try Self.corpus()
        for format in [ReportFormat.json, .text] {
            let (code, one, errors) = Self.replay(lines, jwks: jwks, jobs: 1, format: format)
            #expect(code == 1 && errors.isEmpty)
            if format == .json {
                let parsed = try String(decoding: one, as: UTF8.self).split(separator: "\n").map {
                    try StrictJSONReader().parse(String($0))
                }
                // Every non-blank line answered once, in order, and the corpus holds both verdicts.
                #expect(parsed.count == lines.filter { !$0.isEmpty }.count)
                let labels = parsed.compactMap { line -> String? in
                    guard case .string(let label)? = line[member: "token"] else { return nil }
                    return label
                }
                let expected = lines.indices.filter { !lines[$0].isEmpty }.map { "stdin:\($0 + 1)" }
                #expect(labels == expected)
                let verdicts = Set(
                    parsed.compactMap { line -> String? in
                        guard case .string(let verdict)? = line[member: "verdict"] else { return nil }
                        return verdict
                    })
                #expect(verdicts == ["accepted", "rejected"])
            }
            for jobs in [2, 7] {
                let (codeN, bytes, errorsN) = Self.replay(lines, jwks: jwks, jobs: jobs, format: format)
                #expect(codeN == code && errorsN == errors)
                #expect(bytes == one, "--jobs \(jobs), \(format): the bytes differ from --jobs 1")
            }
        }
    }

    @Test("all accepted exits 0 on several threads; fewer tokens than threads; no tokens at all")
    func exitCodes() throws {
        let (jwks, lines) = try Self.corpus()
        let accepted = Array(lines.enumerated().filter { $0.offset % 9 < 5 }.map(\.element).prefix(3))
        let (code, bytes, _) = Self.replay(accepted, jwks: jwks, jobs: 7, format: .json)
        #expect(code == 0)
        #expect(bytes == Self.replay(accepted, jwks: jwks, jobs: 1, format: .json).1)
        let (emptyCode, empty, _) = Self.replay([], jwks: jwks, jobs: 4, format: .json)
        #expect(emptyCode == 0 && empty.isEmpty)
    }

    @Test("through the command: --jobs 3 on standard input equals --jobs 1, and --jobs 0 is a usage error")
    func command() throws {
        let (jwks, lines) = try Self.corpus()
        let directory = try CLITests.temporaryDirectory()
        let input = directory.appendingPathComponent("tokens.txt")
        try lines.prefix(400).joined(separator: "\n").write(to: input, atomically: true, encoding: .utf8)
        func run(_ jobs: String) throws -> (Int32, Data) {
            let process = Process()
            process.executableURL = CLITests.binary
            process.arguments = [
                "replay", "Mappings/retail.mapping.yaml", "-", "--jwks", jwks, "--now", "1795000000", "--nonce", "n-1",
                "--format", "json", "--jobs", jobs,
            ]
            process.currentDirectoryURL = Corpora.repository
            process.standardInput = try FileHandle(forReadingFrom: input)
            let out = Pipe()
            process.standardOutput = out
            process.standardError = Pipe()
            try process.run()
            let data = out.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return (process.terminationStatus, data)
        }
        let one = try run("1")
        let three = try run("3")
        #expect(one.0 == 1 && three.0 == 1)
        #expect(one.1 == three.1)
        #expect(one.1.count > 100_000)
        #expect(try run("0").0 == 2)
    }

    @Test("each worker's claim paths are its own strings, equal byte for byte to the session's")
    func workerOwnsItsProgram() throws {
        let (jwks, _) = try Self.corpus()
        let options = ReplayOptions(
            target: Corpora.repository.appendingPathComponent("Mappings/retail.mapping.yaml").path, tokens: ["-"],
            jwks: jwks, now: "1795000000", nonce: "n-1", format: .json)
        let session = try ReplaySession(options: options, driver: Driver())
        let worker = session.forWorker()
        // A string of more than 15 UTF-8 bytes lives in heap storage that copies of it share.
        let index = try #require(session.claimChecks.firstIndex { $0.path[0].utf8.count > 15 })
        var ours = session.claimChecks[index].path[0]
        var theirs = worker.claimChecks[index].path[0]
        #expect(ours.isByteEqual(to: theirs))
        let storage = ours.withUTF8 { UnsafeRawPointer($0.baseAddress) }
        #expect(theirs.withUTF8 { UnsafeRawPointer($0.baseAddress) } != storage)
    }

    @Test("batch arrays are reused, except those a batch of long lines grew past the kept size")
    func batchBuffers() {
        let buffers = ReplayBatch.Buffers(keeping: 4)
        var writer = ByteWriter(capacity: 64)
        writer.append(Array(repeating: UInt8(ascii: "A"), count: ReplayBatch.keptBytes + 1))
        buffers.recycle(buffers.copy(writer))
        writer.removeAll()
        writer.append("a short batch")
        var address: UnsafeRawPointer?
        do {
            let small = buffers.copy(writer)
            #expect(small == Array("a short batch".utf8))
            #expect(small.capacity < ReplayBatch.keptBytes, "the long batch's array was kept")
            address = small.withUnsafeBytes { $0.baseAddress }
            buffers.recycle(small)
        }
        writer.removeAll()
        writer.append("again")
        let again = buffers.copy(writer)
        #expect(again == Array("again".utf8), "a recycled array kept bytes of its last batch")
        #expect(again.withUnsafeBytes { $0.baseAddress } == address, "the written array was not reused")
    }
}
