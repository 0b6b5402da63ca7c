import ClaimMapTestSupport
import Foundation
import Testing

@testable import ClaimMapDriver
@testable import ClaimMapEmitters
@testable import ClaimMapEvaluator
@testable import ClaimMapJOSE
@testable import ClaimMapRuntime
@testable import ClaimMapSyntax

/// Each reproduction of the adversarial review (docs/security.md, "Review findings"), as a user or an attacker
/// would trigger it, with the reason code or message it must produce.
@Suite("hardening: the adversarial review's reproductions", .serialized)
struct HardeningTests {
    static let fm = FileManager.default

    // MARK: Canonical equivalence in contracts

    @Test("an enum member or attribute value is matched byte for byte: D\\u{212A} is not DK, NFD é is not NFC é")
    func enumBytes() {
        let type = ClaimTypeSpec(kind: .string, enumValues: ["DK", "caf\u{E9}"])
        #expect(ClaimContract.violation(.string("DK"), type) == nil)
        #expect(ClaimContract.violation(.string("D\u{212A}"), type) != nil)
        #expect(ClaimContract.violation(.string("cafe\u{301}"), type) != nil)
        #expect(ClaimContract.Compiled(type).violation(.string("D\u{212A}")) != nil)
    }

    @Test("replay: an attribute D\\u{212A} does not pass enum [DK]")
    func attributeBytes() throws {
        let root = try CompileDriftTests.workspace()
        defer { try? Self.fm.removeItem(at: root) }
        let spec = root.appendingPathComponent("Mappings/retail.mapping.yaml")
        let text = try String(contentsOf: spec, encoding: .utf8)
        #expect(text.contains("enum: [en, fr, de]"))
        try text.replacingOccurrences(of: "enum: [en, fr, de]", with: "enum: [en, fr, DK]")
            .write(to: spec, atomically: true, encoding: .utf8)
        let exact = try CLITests.run(
            ["replay", "Mappings/retail.mapping.yaml", "--guest", "--attribute", "preferredLanguage=DK"], in: root)
        #expect(exact.status == 0, "\(exact.stderr)")
        #expect(exact.stdout.contains("Flow.Language      = \"DK\"  [String, attribute:preferredLanguage"))
        let kelvin = try CLITests.run(
            ["replay", "Mappings/retail.mapping.yaml", "--guest", "--attribute", "preferredLanguage=D\u{212A}"],
            in: root)
        #expect(kelvin.status == 0, "\(kelvin.stderr)")
        #expect(kelvin.stdout.contains("Flow.Language      = \"en\"  [String, default"), "\(kelvin.stdout)")
    }

    // MARK: Symbolic links

    @Test("drift never follows a link in Generated/: no environment, no /dev/zero, reported as not produced")
    func driftSymlinks() throws {
        let root = try CompileDriftTests.workspace()
        defer { try? Self.fm.removeItem(at: root) }
        let claims = root.appendingPathComponent("Generated/retail/claims.json")
        try Self.fm.removeItem(at: claims)
        try Self.fm.createSymbolicLink(atPath: claims.path, withDestinationPath: "/proc/self/environ")
        try Self.fm.createSymbolicLink(
            atPath: root.appendingPathComponent("Generated/bank/zero.json").path, withDestinationPath: "/dev/zero")
        try Self.fm.createDirectory(
            at: root.appendingPathComponent("Generated/minimal/stray"), withIntermediateDirectories: true)
        let run = try CLITests.run(["drift"], in: root)
        #expect(run.status == 1)
        #expect(run.stdout.contains("not produced by claimmap: Generated/retail/claims.json is a symbolic link"))
        #expect(run.stdout.contains("not produced by claimmap: Generated/bank/zero.json is a symbolic link"))
        #expect(run.stdout.contains("not produced by claimmap: Generated/minimal/stray/"))
        #expect(run.stdout.contains("missing: Generated/retail/claims.json"))
        // Nothing of the environment leaks (PATH is in every process's environment).
        #expect(!run.stdout.contains("PATH="), "\(run.stdout.prefix(400))")
        // compile replaces the folders with real files, and drift is clean again.
        let compile = try CLITests.run(["compile"], in: root)
        #expect(compile.status == 0, "\(compile.stderr)")
        #expect(LocalFileSystem().entryKind(claims.path) == .file)
        let again = try CLITests.run(["drift"], in: root)
        #expect(again.status == 0, "\(again.stdout)")
    }

    @Test("a linked spec found in Mappings/ is refused by name; named on the command line it is read")
    func specSymlinks() throws {
        let root = try CompileDriftTests.workspace()
        defer { try? Self.fm.removeItem(at: root) }
        let secret = root.appendingPathComponent("secret.txt")
        try "TOP-SECRET-LINE: value\n".write(to: secret, atomically: true, encoding: .utf8)
        let link = root.appendingPathComponent("Mappings/leak.mapping.yaml")
        try Self.fm.createSymbolicLink(atPath: link.path, withDestinationPath: secret.path)
        for command in ["check", "compile", "drift"] {
            let run = try CLITests.run([command], in: root)
            #expect(run.status == 2, "\(command): \(run.stderr)")
            #expect(run.stderr.contains("Mappings/leak.mapping.yaml: is a symbolic link"), "\(command)")
            #expect(!(run.stdout + run.stderr).contains("TOP-SECRET"), "\(command)")
        }
        // Named explicitly, the user asked for it: read through the link (and its content is then diagnosed).
        let explicit = try CLITests.run(["check", "Mappings/leak.mapping.yaml"], in: root)
        #expect(explicit.status == 1)
        try Self.fm.removeItem(at: link)
        try Self.fm.createSymbolicLink(atPath: link.path, withDestinationPath: "/dev/zero")
        let zero = try CLITests.run(["check", "Mappings/leak.mapping.yaml"], in: root)
        #expect(zero.status == 2)
        #expect(zero.stderr.contains("is larger than 1048577 bytes"), "\(zero.stderr)")
    }

    // MARK: Injection through the spec path

    @Test("a spec path holding `*/`, a line feed or NEL stays inside the generated comments")
    func specPathInjection() throws {
        let root = try CLITests.temporaryDirectory()
        defer { try? Self.fm.removeItem(at: root) }
        let folder = root.appendingPathComponent("x*/alert(1);/*\nevil: true\u{85}")
        try Self.fm.createDirectory(at: folder, withIntermediateDirectories: true)
        let spec = folder.appendingPathComponent("minimal.mapping.yaml")
        try Self.fm.copyItem(at: Corpora.repository.appendingPathComponent("Mappings/minimal.mapping.yaml"), to: spec)
        let output = root.appendingPathComponent("out")
        let run = try CLITests.run(["compile", spec.path, "--output", output.path], in: root)
        #expect(run.status == 0, "\(run.stderr)")
        let script = try String(contentsOf: output.appendingPathComponent("minimal/messenger.js"), encoding: .utf8)
        let header = script.prefix { $0 != "\n" }
        #expect(!header.contains("*/alert"), "\(header)")
        #expect(header.contains("x*\\u{2F}alert(1);/\\u{2A}\\u{A}evil: true\\u{85}"), "\(header)")
        let flow = try String(contentsOf: output.appendingPathComponent("minimal/flow.yaml"), encoding: .utf8)
        #expect(!flow.contains("\nevil: true"))
        #expect(flow.split(separator: "\n").filter { $0.hasPrefix("evil") }.isEmpty)
        let swift = try String(contentsOf: output.appendingPathComponent("minimal/Evaluator.swift"), encoding: .utf8)
        #expect(!swift.contains("\nevil: true"))
        // Every header is one comment line.
        #expect(swift.hasPrefix("// Generated by claimmap from ") && swift.split(separator: "\n")[1].hasPrefix("//"))
        #expect(CommentText.escaped("a\u{202E}b\\c") == "a\\u{202E}b\\u{5C}c")
    }

    // MARK: Patterns

    @Test("ECMA-262 meaning: \\d \\w ASCII, \\s with U+FEFF, $ at the end of input only")
    func ecmaMeaning() throws {
        func matches(_ pattern: String, _ text: String) -> Bool { PatternCache.shared.matches(pattern, text) }
        #expect(matches(#"^\d+$"#, "0123"))
        #expect(!matches(#"^\d+$"#, "٠١٢"), "Arabic-Indic digits are not \\d in ECMA-262")
        #expect(!matches(#"^\d+$"#, "１２"), "full-width digits are not \\d")
        #expect(!matches(#"^\w+$"#, "café"), "é is not \\w")
        #expect(matches(#"^\w+$"#, "Ab_9"))
        #expect(!matches(#"^[^\s]+$"#, "a\u{FEFF}b"), "U+FEFF is ECMA whitespace")
        #expect(matches(#"^\s$"#, "\u{FEFF}") && matches(#"^\s$"#, "\u{3000}") && !matches(#"^\s$"#, "\u{85}"))
        #expect(!matches(#"^[0-9]{3}$"#, "123\n"), "$ is the end of input")
        #expect(!matches(#"^a.c$"#, "a\nc") && matches(#"^a.c$"#, "a\u{85}c"))
        // é is not a word character in ECMA-262, so there is a boundary before `c` (ICU's Unicode \b has none).
        #expect(matches(#"\bcat\b"#, "a cat!") && matches(#"\bcat\b"#, "écat") && !matches(#"\bcat\b"#, "cats"))
        #expect(matches(#"^[\d-]+$"#, "1-2"), "a trailing `-` in a class is literal")
        #expect(SpecParser.patternProblem(#"^[\d-z]+$"#) != nil, "a class escape may not bound a range")
        #expect(SpecParser.patternProblem(#"\u{+41}"#) != nil && SpecParser.patternProblem(#"\u{-0}"#) != nil)
        #expect(matches(#"^\uD83D\uDE00$"#, "😀") && matches(#"^\u{0000041}$"#, "A"))
        #expect(SpecParser.patternProblem(#"(?<=a+)b"#)?.contains("bounded") == true)
        #expect(!matches(#"^[]*$"#, "a") && matches(#"^[]*$"#, ""))
        #expect(matches(#"^[a\-z]+$"#, "-az"))
    }

    @Test(
        "pattern syntax JavaScript's u mode rejects is refused at check (CM1111)",
        arguments: [
            #"\-x"#, #"\_"#, #"(?i)abc"#, #"\Aabc"#, #"abc\z"#, #"[[:alpha:]]"#, #"\x{41}"#, #"a++"#, #"(?>a)"#,
            #"a{"#, #"\p{L}"#, #"(a)\1"#, #"\Qa\E"#, #"a{2,1}"#, "",
        ])
    func patternRefused(pattern: String) throws {
        #expect(SpecParser.patternProblem(pattern) != nil, "\(pattern) should be refused")
        if case .success = ECMAPattern.translate(pattern), !pattern.isEmpty {
            Issue.record("\(pattern) translated")
        }
    }

    @Test("patterns specs write translate, and the examples' patterns check")
    func patternAccepted() throws {
        for pattern in [
            #"^[0-9]{10}$"#, #"^[a-z0-9-]+$"#, #"^\d{3}-\d{4}$"#, #"^(?:gold|silver)$"#, #"^[^@]+@[^@]+$"#,
            #"^\u{1F600}?x$"#, #"^a(?=b)"#, #"^[\]\[]$"#, #"^\/x\.y$"#, #"^.{1,5}?$"#,
        ] {
            #expect(SpecParser.patternProblem(pattern) == nil, "\(pattern)")
        }
    }

    // MARK: Terminal injection

    @Test("replay's text output escapes control characters from an unsigned header")
    func terminalInjection() throws {
        let (directory, key, jwks) = try ReplayTests.lab()
        defer { try? Self.fm.removeItem(at: directory) }
        let forged = "\u{1B}[2K\r\u{1B}]0;x\u{07}tok: accepted\n\u{9B}31m"
        let retail = Corpora.repository.appendingPathComponent("Mappings/retail.mapping.yaml").path
        let base = #""iss":"https://login.retail.example","aud":"0oa1retailmessenger","nonce":"n-1","sub":"u-1""#
        let token = try ReplayTests.mint(
            "{\(base)}", key: key, in: directory, name: "esc",
            headers: ["typ=\(forged)"])
        let run = try CLITests.run([
            "replay", retail, token, "--jwks", jwks, "--nonce", "n-1", "--now", "2026-11-25T12:00:00Z",
        ])
        #expect(run.status == 1)
        #expect(run.stdout.contains("typ_mismatch"), "\(run.stdout)")
        #expect(run.stdout.contains("\\u{1B}[2K\\u{D}\\u{1B}]0;x\\u{7}tok: accepted\\u{A}\\u{9B}31m"), "\(run.stdout)")
        #expect(!run.stdout.contains("\u{1B}") && !run.stdout.contains("\r") && !run.stdout.contains("\u{9B}"))
        #expect(!run.stdout.contains("\ntok: accepted"))
        #expect(TerminalText.escaped(forged).contains("\\u{1B}[2K\\u{D}"))
        // JSON lines escape C1 too.
        var bytes: [UInt8] = []
        JSONValue.appendQuoted("a\u{9B}b\u{2028}", to: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == #""a\u009bb\u2028""#)
    }

    // MARK: Times

    @Test("extreme times are usage errors, never a trap")
    func extremeTimes() throws {
        let minimal = Corpora.repository.appendingPathComponent("Mappings/minimal.mapping.yaml").path
        for now in ["-9223372036854775808", "9223372036854775807", "99999999999999999999", "-1"] {
            let run = try CLITests.run(["replay", minimal, "--guest", "--now=\(now)"])
            #expect(run.status == 2, "--now \(now): \(run.stderr)")
            #expect(run.stderr.contains("out of range"), "\(run.stderr)")
        }
        let millis = try CLITests.run(["replay", minimal, "--guest", "--now", "1764072000000"])
        #expect(millis.stderr.contains("if it is milliseconds, divide by 1000"), "\(millis.stderr)")
        for now in ["2026-02-30T00:00:00Z", "2026-11-25T12:00:00+99:99", "2025-02-29T00:00:00Z"] {
            let run = try CLITests.run(["replay", minimal, "--guest", "--now", now])
            #expect(run.status == 2, "--now \(now)")
        }
        #expect(try CLITests.run(["replay", minimal, "--guest", "--now", "2024-02-29T00:00:00Z"]).status == 0)
        #expect(Value.parseRFC3339("2026-11-25T12:00:00+23:59") != nil)
    }

    @Test("a tests file `now` at Int64.min is an error in the tests file (exit 2)")
    func testsFileNow() throws {
        let root = try CompileDriftTests.workspace()
        defer { try? Self.fm.removeItem(at: root) }
        let tests = root.appendingPathComponent("Mappings/minimal.tests.yaml")
        var text = try String(contentsOf: tests, encoding: .utf8)
        text = text.replacingOccurrences(
            of: #"(?m)^now: .*$"#, with: #"now: "-9223372036854775808""#, options: .regularExpression)
        #expect(text.contains("-9223372036854775808"))
        try text.write(to: tests, atomically: true, encoding: .utf8)
        let run = try CLITests.run(["test", "Mappings/minimal.tests.yaml"], in: root)
        #expect(run.status == 2, "\(run.stdout)\(run.stderr)")
        #expect((run.stdout + run.stderr).contains("out of range"))
    }

    @Test("a hand-edited evaluator.json is held to a spec's policy")
    func evaluatorValidated() throws {
        let source = Corpora.repository.appendingPathComponent("Generated/minimal/evaluator.json")
        let original = try String(contentsOf: source, encoding: .utf8)
        let directory = try CLITests.temporaryDirectory()
        defer { try? Self.fm.removeItem(at: directory) }
        let cases: [(String, String, String)] = [
            (#""algorithms": ["#, #""algorithms": ["none", "#, "is not supported"),
            (#""leewaySeconds": 60"#, #""leewaySeconds": 1000000000000"#, "outside 0 ... 300"),
            (#""leewaySeconds": 60"#, #""leewaySeconds": 9223372036854775807"#, "outside 0 ... 300"),
            (#""nonce": "required""#, #""nonce": "sometimes""#, "must be one of required, optional"),
        ]
        for (from, to, message) in cases {
            #expect(original.contains(from), "fixture lacks \(from)")
            let file = directory.appendingPathComponent("evaluator.json")
            try original.replacingOccurrences(of: from, with: to).write(to: file, atomically: true, encoding: .utf8)
            let run = try CLITests.run(["replay", file.path, "--guest"])
            #expect(run.status == 2, "\(to)")
            #expect(run.stderr.contains(message), "\(to): \(run.stderr)")
        }
    }

    // MARK: Spec policy

    @Test("an http issuer is refused except on loopback; data-action URLs refuse Velocity; fields are member names")
    func specPolicy() throws {
        #expect(SpecParser.issuerProblem("http://login.example") != nil)
        #expect(SpecParser.issuerProblem("http://localhost:8080/realms/x") == nil)
        #expect(SpecParser.issuerProblem("http://127.0.0.1:9000") == nil)
        #expect(SpecParser.issuerProblem("http://[::1]:9000") == nil)
        #expect(SpecParser.issuerProblem("http://127.0.0.1.evil.example") != nil)
        #expect(SpecParser.issuerProblem("https://login.example/?x=1") != nil)
        #expect(SpecParser.issuerProblem("https://login.example") == nil)
        for url in [
            "https://crm.example/$input.x", "https://crm.example/a#set($x=1)", "https://crm.example/#if(1)",
            "https://crm.example/${input.sub}", "https://crm.example/{su b}", "https://crm.example/a\"b",
        ] {
            #expect(SpecParser.templateProblem(url) != nil, "\(url)")
        }
        #expect(SpecParser.templateProblem("https://crm.example/customers/{sub}?org={{org_id}}") == nil)
        for field in ["..*", "a\"b", "$x", "a.b", "#set", "", String(repeating: "a", count: 129)] {
            #expect(!SpecParser.isFieldName(field), "\(field)")
        }
        #expect(SpecParser.isFieldName("balance") && SpecParser.isFieldName("_links"))
    }

    @Test("a line separator in a spec is refused by name (CM1014), so a comment cannot hide a key")
    func lineSeparators() throws {
        for (scalar, name) in [("\u{2028}", "LINE SEPARATOR"), ("\u{2029}", "PARAGRAPH SEPARATOR"), ("\u{85}", "NEL")] {
            var reader = YAMLReader()
            let read = reader.read(Array("claimmap: 1\n# guests blocked\(scalar)guests: route\n".utf8))
            let diagnostic = read.diagnostics.first { $0.code.rawValue == "CM1014" }
            #expect(diagnostic != nil, "\(name)")
            #expect(diagnostic?.message.contains(name) == true, "\(diagnostic?.message ?? "")")
        }
    }

    @Test("flow.yaml quoting escapes NEL, LS/PS and invisible characters; long keys are explicit")
    func yamlQuoting() {
        #expect(YAMLRenderer.quoted("Retail\u{85}VIP") == #""Retail\NVIP""#)
        #expect(YAMLRenderer.quoted("a\u{2028}b\u{2029}") == #""a\Lb\P""#)
        #expect(YAMLRenderer.quoted("a\u{202E}b") == #""a\u202Eb""#)
        #expect(YAMLRenderer.quoted("x\u{9B}") == #""x\x9B""#)
        let long = String(repeating: "k", count: 1_100)
        let rendered = YAMLRenderer.render(.map([(long, .string("v"))]), header: [])
        #expect(rendered == "? \(long)\n: v\n")
    }

    // MARK: drift memory

    @Test("the linear-space diff is a correct, minimal edit script, and a huge diff is cut and says so")
    func linearDiff() {
        var state: UInt64 = 7
        func next() -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(state >> 33)
        }
        for _ in 0..<300 {
            let a = (0..<(next() % 30)).map { _ in "l\(next() % 5)" }
            let b = (0..<(next() % 30)).map { _ in "l\(next() % 5)" }
            let edits = UnifiedDiff.script(a, b)
            var rebuilt: [String] = []
            var distance = 0
            for edit in edits {
                switch edit {
                case .keep(let i, let j):
                    #expect(a[i] == b[j])
                    rebuilt.append(b[j])
                case .insert(let j):
                    rebuilt.append(b[j])
                    distance += 1
                case .delete: distance += 1
                }
            }
            #expect(rebuilt == b)
            // Minimal: n + m - 2 × LCS.
            var lcs = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
            for i in stride(from: a.count - 1, through: 0, by: -1) {
                for j in stride(from: b.count - 1, through: 0, by: -1) {
                    lcs[i][j] = a[i] == b[j] ? lcs[i + 1][j + 1] + 1 : max(lcs[i + 1][j], lcs[i][j + 1])
                }
            }
            #expect(distance == a.count + b.count - 2 * lcs[0][0], "\(a) → \(b)")
        }
        let old = (0..<20_000).map { "old line \($0)" }.joined(separator: "\n")
        let new = (0..<20_000).map { "new line \($0)" }.joined(separator: "\n")
        let diff = UnifiedDiff.diff(old: old, new: new, oldLabel: "a", newLabel: "b")
        #expect(diff.split(separator: "\n").count < 2_100)
        #expect(diff.contains("[diff cut after"), "\(diff.suffix(200))")
    }

    // MARK: Claims

    @Test("sub \"\" fails `required: true` (claim_value_rejected)")
    func emptyRequired() throws {
        let (directory, key, jwks) = try ReplayTests.lab()
        defer { try? Self.fm.removeItem(at: directory) }
        let retail = Corpora.repository.appendingPathComponent("Mappings/retail.mapping.yaml").path
        let base = #""iss":"https://login.retail.example","aud":"0oa1retailmessenger","nonce":"n-1""#
        let empty = try ReplayTests.mint(#"{\#(base),"sub":""}"#, key: key, in: directory, name: "empty")
        let run = try CLITests.run(
            ["replay", retail, empty, "--jwks", jwks, "--nonce", "n-1", "--now", "2026-11-25T12:00:00Z"])
        #expect(run.status == 1)
        #expect(run.stdout.contains("claim_value_rejected"), "\(run.stdout)")
        #expect(run.stdout.contains("a required string claim must not be empty"))
    }

    // MARK: Messages

    @Test("messages say what is wrong: the empty segment, a JWKS without kids, 1e400, a zero duration")
    func messages() throws {
        let keys = try JWKS(bytes: Array(#"{"keys":[]}"#.utf8))
        for (token, expected) in [
            ("eyJhIjoxfQ..c2ln", "the second (payload) one is empty"), (".e30.c2ln", "the first (header) one is empty"),
            ("eyJhIjoxfQ.e30.", "the third (signature) one is empty"), ("a.b", "this one has 2"),
        ] {
            do {
                _ = try JWSVerifier.verify(Substring(token), keys: keys, algorithms: ["RS256"])
                Issue.record("\(token) verified")
            } catch {
                #expect(error.detail.contains(expected), "\(token): \(error.detail)")
                #expect(!error.detail.contains("this one has 3"))
            }
        }
        do {
            _ = try keys.key(for: "k1")
            Issue.record("an empty JWKS found a key")
        } catch {
            #expect(error.detail.contains("it holds no usable key"), "\(error.detail)")
            #expect(!error.detail.contains("(it holds )"))
        }
        let claims = try #require(try StrictJSONReader().object(Array(#"{"exp":1e400}"#.utf8)))
        #expect(throws: Rejection(.claimTypeInvalid, "exp 1e400 is out of range (0 ... 253402300799)")) {
            try IDTokenVerifier.numericDate(claims, "exp", required: true)
        }
        var reader = YAMLReader()
        let read = reader.read(Array("identity:\n  maxAge: 0s\n".utf8))
        let (_, diagnostics) = SpecParser.parse(root: try #require(read.root), text: read.text, path: "x.mapping.yaml")
        let duration = diagnostics.first { $0.code.rawValue == "CM1107" }
        #expect(duration?.message == "`maxAge` must be positive: `0s`", "\(diagnostics.map(\.message))")
    }

    // MARK: The review of the hardening itself

    @Test("a tests file cannot name an absolute path, `..` or a link as its spec or token")
    func testsFilePaths() throws {
        let root = try CompileDriftTests.workspace()
        defer { try? Self.fm.removeItem(at: root) }
        let tests = root.appendingPathComponent("Mappings/minimal.tests.yaml")
        let text = try String(contentsOf: tests, encoding: .utf8)
        for spec in ["/proc/self/environ", "../Mappings/minimal.mapping.yaml"] {
            let edited = text.replacingOccurrences(
                of: #"(?m)^spec: .*$"#, with: "spec: \"\(spec)\"", options: .regularExpression)
            #expect(edited.contains(spec))
            try edited.write(to: tests, atomically: true, encoding: .utf8)
            let run = try CLITests.run(["test", "Mappings/minimal.tests.yaml"], in: root)
            #expect(run.status == 2, "\(spec): \(run.stdout)\(run.stderr)")
            #expect(!(run.stdout + run.stderr).contains("PATH="))
        }
    }

    @Test("drift escapes file names and lines it prints (no CI workflow command, no terminal control)")
    func driftEscapes() throws {
        let root = try CompileDriftTests.workspace()
        defer { try? Self.fm.removeItem(at: root) }
        try "x".write(
            to: root.appendingPathComponent("Generated/retail/x\n::error::forged\u{1B}[2J"), atomically: true,
            encoding: .utf8)
        let claims = root.appendingPathComponent("Generated/retail/claims.json")
        try "\u{1B}]0;pwned\u{7}\n".write(to: claims, atomically: true, encoding: .utf8)
        let run = try CLITests.run(["drift"], in: root)
        #expect(run.status == 1)
        #expect(!run.stdout.contains("\n::error::"), "\(run.stdout)")
        #expect(!run.stdout.contains("\u{1B}"))
        #expect(run.stdout.contains("x\\u{A}::error::forged\\u{1B}[2J"))
    }

    @Test("untrusted numbers: a huge NumericDate is no time, Substring bounds do not overflow, DateTime prints")
    func untrustedNumbers() {
        // Printing clamps to what RFC 3339 can write instead of overflowing.
        #expect(Value.rfc3339(.min) == Value.rfc3339(-62_167_219_200_000))
        #expect(Value.rfc3339(.min).hasPrefix("0000-01-01T00:00:00"), "\(Value.rfc3339(.min))")
        #expect(Value.rfc3339(.max).hasPrefix("9999-12-31T23:59:59"), "\(Value.rfc3339(.max))")
        // A NumericDate outside 1970 ... 9999 is no time (NOT_SET), never milliseconds that overflow when printed.
        #expect(ClaimContract.convert(.number("-9223372036854775"), to: .dateTime) == nil)
        #expect(ClaimContract.convert(.number("253402300800"), to: .dateTime) == nil)
        #expect(ClaimContract.convert(.number("253402300799"), to: .dateTime) == .dateTime(253_402_300_799_000))
        let huge = ArchitectOperations.call(
            .substring, [.string("abc"), .integer(.max), .integer(1)])
        #expect(huge == nil)
        #expect(ArchitectOperations.call(.substring, [.string("abc"), .integer(1), .integer(.max)]) == nil)
        #expect(ArchitectOperations.call(.substring, [.string("abc"), .integer(1), .integer(2)]) == .string("bc"))
    }

    @Test("bidirectional controls are escaped in JSON and in generated Swift literals")
    func bidiEscapes() {
        var bytes: [UInt8] = []
        JSONValue.appendQuoted("a\u{202E}b\u{2066}c\u{200F}", to: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == #""a\u202eb\u2066c\u200f""#)
        #expect(SwiftSource.literal("a\u{202E}b") == #""a\u{202e}b""#)
    }

    @Test(
        "one policy, stated once: algorithms and the latest NumericDate agree between compiler, evaluator and verifier")
    func sharedBounds() {
        #expect(Set(SpecGrammar.supportedAlgorithms) == JWKS.signatureAlgorithms)
        #expect(Set(IdentityPolicy.supportedAlgorithms) == JWKS.signatureAlgorithms)
        #expect(Value.latestNumericDate == IDTokenVerifier.maxNumericDate)
        #expect(ReplaySession.latestTime == IDTokenVerifier.maxNumericDate)
    }
}
