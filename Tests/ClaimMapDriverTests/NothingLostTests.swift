import ClaimMapDriver
import ClaimMapEmitters
import ClaimMapEvaluator
import ClaimMapJOSE
import ClaimMapRuntime
import ClaimMapTestSupport
import Foundation
import Testing

/// "Nothing lost" (docs/security.md): a claim that maps to a variable arrives exactly — strings byte-identical,
/// integers beyond 2^53 exact, booleans, arrays in order, absent optional claims NOT_SET (never "" or a literal
/// placeholder) — and participant data holds exactly the string Architect would write.
@Suite("nothing lost between the token and the variables")
struct NothingLostTests {
    static let now: Int64 = 1_795_608_000

    /// `unrouted`: the program without its routing rules (an `evaluator.json` may hold none), so no route is chosen.
    static func session(unrouted: Bool = false, key: RSAPrivateJWK? = nil) throws -> (ReplaySession, RSAPrivateJWK) {
        let url = Corpora.repository.appendingPathComponent(
            "Tests/ClaimMapEmittersTests/Fixtures/features/features.mapping.yaml")
        let result = Driver(fileSystem: InMemoryFileSystem()).check(
            path: "features.mapping.yaml", bytes: [UInt8](try Data(contentsOf: url)))
        let checked = try #require(result.checked)
        let key = try key ?? RSAPrivateJWK.generate(kid: "lost-1")
        let keys = try JWKS(bytes: Array(JSONValue.object([("keys", .array([key.publicJSON()]))]).compact().utf8))
        var program = ProgramLowering.program(checked)
        if unrouted { program.routing = [] }
        let session = ReplaySession(
            program: program, keys: keys, now: now, nonce: "n",
            input: EvaluationInput(claims: nil))
        return (session, key)
    }

    @Test("every mapped claim arrives exactly, through signing, verification and evaluation")
    func exact() throws {
        let (session, key) = try Self.session()
        let name = "Zoë \u{202E}ǅ 👋 \"quoted\" \\ back"
        let payload = """
            {"iss":"https://id.features.example","aud":["features-a","features-b"],"azp":"features-a","iat":\(Self.now - 5),"exp":\(Self.now + 600),"nonce":"n",
             "sub":"user-1","name":\(JSONValue.quoted(name)),
             "https://features.example/level":9,"https://features.example/score":12345.678901234567890123,
             "https://features.example/active":true,"https://features.example/tags":["zeta","alpha","mu"],
             "https://features.example/codes":[9007199254740993,-9223372036854775808,0],
             "https://features.example/since":"2026-01-02T03:04:05.678+01:00","https://features.example/joined":1700000000,
             "https://features.example/profile":{"plan":"pro"},"address":{"region":"south"},"plan":"basic"}
            """
        let token = try key.sign(
            header: .object([("alg", .string("RS256")), ("kid", .string("lost-1"))]), payload: Array(payload.utf8))
        let outcome = session.replay(token: Substring(token), label: "lost")
        #expect(outcome.rejection == nil, "\(String(describing: outcome.rejection))")
        let result = try #require(outcome.result)
        func value(_ name: String) -> Value? { result.variable(name)?.value }
        #expect(value("Flow.Name") == .string(name))
        #expect(
            Array((value("Flow.Name").map { if case .string(let s) = $0 { s } else { "" } } ?? "").utf8)
                == Array(name.utf8))
        #expect(value("Flow.Level") == .integer(9))
        #expect(value("Flow.LevelS") == .string("9"))
        #expect(value("Flow.Score") == .decimal(Decimal(string: "12345.678901234567890123")!))
        #expect(value("Flow.Active") == .boolean(true))
        #expect(value("Flow.Tags") == .collection([.string("zeta"), .string("alpha"), .string("mu")]))
        #expect(
            value("Flow.Codes") == .collection([.integer(9_007_199_254_740_993), .integer(Int64.min), .integer(0)]))
        #expect(value("Flow.Since") == .dateTime(Value.parseRFC3339("2026-01-02T02:04:05.678Z")!))
        #expect(value("Flow.Joined") == .dateTime(1_700_000_000_000))
        #expect(value("Flow.Profile") == .json(.object([("plan", .string("pro"))])))
        #expect(value("Flow.Region") == .string("south"))
        // Absent optional claims are NOT_SET: never "" and never a template placeholder.
        #expect(value("Flow.Email") == nil)
        #expect(result.variable("Flow.Email")?.source == "builtin:email")
        #expect(value("Flow.Ref") == nil)
        // Participant data: exactly what Set Participant Data writes.
        let data = Dictionary(uniqueKeysWithValues: result.participantData.map { ($0.key, $0.value) })
        #expect(data["member.level"] == .some("9"))
        #expect(data["member.label"] == .some("SOUTH-9"))
        #expect(data["member.gold"] == .some("true"))
        #expect(data["member.email"] == .some(nil), "a NOT_SET variable sets no participant data")
        // The replay line prints the big integer and the decimal exactly.
        var streamed = ByteWriter(capacity: 64)
        outcome.writeJSONLine(to: &streamed)
        let line = String(decoding: streamed.bytes, as: UTF8.self)
        #expect(line.contains("9007199254740993,-9223372036854775808,0"))
        #expect(line.contains("12345.678901234567890123"))
    }

    /// What docs/decisions.md (Replay JSON lines) says a replay line holds, built from the outcome as a tree and
    /// printed by the project's one JSON printer: the reference the streamed line is held to.
    static func reference(_ outcome: ReplaySession.Outcome) -> JSONValue {
        func string(_ text: String?) -> JSONValue { text.map(JSONValue.string) ?? .null }
        var members: [(String, JSONValue)] = [
            ("token", .string(outcome.label)),
            ("verdict", .string(outcome.rejection == nil ? "accepted" : "rejected")),
            ("reason", string(outcome.rejection?.reason.rawValue)), ("detail", string(outcome.rejection?.detail)),
            ("header", .object([("alg", string(outcome.alg)), ("kid", string(outcome.kid))])),
        ]
        guard let result = outcome.result, outcome.rejection == nil else {
            return .object(members + ["variables", "participantData", "route", "guards"].map { ($0, .null) })
        }
        members.append(
            (
                "variables",
                .object(
                    result.variables.map { v in
                        (
                            v.name,
                            .object([
                                ("type", .string(v.type.description)), ("value", v.value?.json ?? .null),
                                ("trusted", .bool(v.trusted)), ("source", .string(v.source)),
                            ])
                        )
                    })
            ))
        members.append(("participantData", .object(result.participantData.map { ($0.key, string($0.value)) })))
        members.append(
            (
                "route",
                result.route.map { r in
                    .object([
                        ("rule", .string(r.rule)), ("queue", .string(r.queue)),
                        ("priority", r.priority.map(JSONValue.integer) ?? .null),
                        ("skills", .array(r.skills.map(JSONValue.string))),
                    ])
                } ?? .null
            ))
        members.append(
            (
                "guards",
                .object(
                    result.guards.map { g in
                        (g.name, .object([("allowed", .bool(g.allowed)), ("reason", string(g.reason))]))
                    })
            ))
        return .object(members)
    }

    @Test(
        "replay's streamed JSON line is byte for byte the documented line, for accepted, rejected and guest outcomes"
    )
    func streamedLine() throws {
        let (session, key) = try Self.session()
        let header = JSONValue.object([("alg", .string("RS256")), ("kid", .string("lost-1"))])
        func token(_ claims: String) throws -> String {
            let payload = """
                {"iss":"https://id.features.example","aud":"features-a","iat":\(Self.now - 5),"exp":\(Self.now + 600),"nonce":"n","sub":"u-1","name":"Zo\\u2028\\"ë",\(claims)}
                """
            return try key.sign(header: header, payload: Array(payload.utf8))
        }
        let accepted = try token(#""https://features.example/level":5,"https://features.example/tags":[],"plan":"pro""#)
        let tampered = String(accepted.dropLast(4)) + "AAAA"
        let wrongType = try token(#""https://features.example/level":"3""#)
        var outcomes = [
            session.replay(token: Substring(accepted), label: "a\tb"),
            session.replay(token: Substring(tampered), label: "tampered"),
            session.replay(token: Substring(wrongType), label: "type"),
            session.replay(token: "not.a token", label: "malformed"),
            session.replayGuest(),
        ]
        #expect(outcomes.map { $0.rejection == nil } == [true, false, false, false, true])
        let unrouted = try Self.session(unrouted: true, key: key).0.replay(
            token: Substring(accepted), label: "unrouted")
        #expect(unrouted.rejection == nil && unrouted.result?.route == nil)
        outcomes.append(unrouted)
        for outcome in outcomes {
            var streamed = ByteWriter(capacity: 64)
            outcome.writeJSONLine(to: &streamed)
            let expected = Self.reference(outcome)
            #expect(String(decoding: streamed.bytes, as: UTF8.self) == expected.compact() + "\n")
            #expect(try StrictJSONReader(maxDepth: 64).parse(streamed.bytes.dropLast()) == expected)
        }
    }
}
