import CClaimMapShims
import ClaimMapDiagnostics
import ClaimMapEmitters
import ClaimMapEvaluator
import ClaimMapIdP
import ClaimMapJOSE
import ClaimMapRuntime
import Foundation

/// `claimmap replay`: verifies tokens as the spec's identity policy says, checks the claim contract, evaluates
/// the program, and prints one result per token (JSON Lines, or an explanation for people).
package struct ReplayOptions: Sendable {
    package var target: String
    package var tokens: [String]
    package var jwks: String?
    package var now: String?
    package var nonce: String?
    package var attributes: [String]
    package var enrichments: [String]
    package var guest: Bool
    package var format: ReportFormat
    /// `--live`: keys from the IdP through discovery (cached), not from a file.
    package var live = false
    package var network = NetworkOptions()
    /// `--refetch-cooldown`: after a refetch for an unknown kid, no other for this many seconds.
    package var refetchCooldown: Int64 = 30
    /// `--jobs`: threads verifying tokens at once (1: on the calling thread). The output is the same for any value.
    package var jobs = 1

    /// `--jobs`' default: the processors this process may run on (its CPU affinity, so `taskset -c 0` gives 1;
    /// Foundation's `activeProcessorCount` counts the machine's).
    package static var availableCores: Int { max(1, Int(claimmap_available_cores())) }

    package init(
        target: String, tokens: [String], jwks: String? = nil, now: String? = nil, nonce: String? = nil,
        attributes: [String] = [], enrichments: [String] = [], guest: Bool = false, format: ReportFormat = .text
    ) {
        self.target = target
        self.tokens = tokens
        self.jwks = jwks
        self.now = now
        self.nonce = nonce
        self.attributes = attributes
        self.enrichments = enrichments
        self.guest = guest
        self.format = format
    }
}

/// A usage or input problem: exit 2 with this message.
package struct ReplayUsageError: Error, CustomStringConvertible {
    package var message: String
    package init(_ message: String) { self.message = message }
    package var description: String { message }
}

/// Everything replay needs that does not change from token to token.
package struct ReplaySession: Sendable {
    package let program: EvaluatorProgram
    package private(set) var interpreter: Interpreter
    /// What checkContract needs of each declared claim, in spec order, prepared once.
    private(set) var claimChecks: [ClaimCheck]

    struct ClaimCheck: Sendable {
        let name: String
        let path: [String]
        let required: Bool
        let contract: ClaimContract.Compiled

        init(_ claim: ClaimSpec) {
            name = claim.name
            path = claim.path
            required = claim.required
            contract = ClaimContract.Compiled(claim.type)
        }
    }
    /// `--live`: the IdP's keys, refetched once for an unknown kid (then a cooldown).
    package let liveKeys: LiveKeys?
    /// nil when the JWKS itself is unusable: every token is then rejected with `jwks_unavailable`.
    package let keys: JWKS?
    package let keysProblem: Rejection?
    package let policy: ClaimPolicy
    package let now: Int64
    package let input: EvaluationInput
    /// Whether outcomes carry the text form's `checks` and `notes` (`--format text`); JSON lines never print them,
    /// so a streamed replay does not build them per token.
    package let explains: Bool

    /// Latest time accepted anywhere: 9999-12-31T23:59:59Z, the largest NumericDate a token may carry.
    package static let latestTime = IDTokenVerifier.maxNumericDate

    /// Parses `--now` (and a tests file's `now`, named by `option`): RFC 3339 or epoch seconds, within 1970 ... 9999,
    /// so that no later sum or difference of times can overflow.
    package static func time(_ text: String?, option: String = "--now") throws -> Int64 {
        guard let text else { return Int64(Date().timeIntervalSince1970) }
        let range = "0 ... \(latestTime) (1970-01-01T00:00:00Z ... 9999-12-31T23:59:59Z)"
        let body = text.hasPrefix("-") ? text.dropFirst() : Substring(text)
        if !body.isEmpty, body.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) {
            // Epoch seconds; a number beyond Int64 is simply out of range too.
            if let seconds = Int64(text), seconds >= 0, seconds <= latestTime { return seconds }
            let hint = text.hasPrefix("-") ? "" : "; if it is milliseconds, divide by 1000"
            throw ReplayUsageError("\(option) \(text) is out of range: epoch seconds must be within \(range)\(hint)")
        }
        if let milliseconds = Value.parseRFC3339(text) {
            let seconds = milliseconds >= 0 ? milliseconds / 1000 : (milliseconds - 999) / 1000
            guard seconds >= 0, seconds <= latestTime else {
                throw ReplayUsageError("\(option) \(text) is out of range: times must be within \(range)")
            }
            return seconds
        }
        throw ReplayUsageError(
            "\(option) \(text) is neither RFC 3339 (2026-11-25T12:00:00Z, a real date, offset at most ±23:59) "
                + "nor epoch seconds")
    }

    /// Loads the program from a spec (`*.mapping.yaml`, checked and compiled in memory) or an `evaluator.json`.
    package static func program(_ target: String, driver: Driver) throws -> (EvaluatorProgram, jwksBase: String?) {
        let fs = driver.fileSystem
        guard fs.fileExists(target) else { throw ReplayUsageError("cannot read \(target): no such file") }
        let directory = (target as NSString).deletingLastPathComponent
        if target.hasSuffix(".json") {
            let bytes = try fs.readFile(target)
            do {
                let json = try StrictJSONReader(maxDepth: 64).parse(bytes)
                let program = try EvaluatorProgram(json: json)
                // Generated/<name>/evaluator.json: a relative jwks resolves from Mappings/ beside Generated/.
                let spec =
                    (((directory as NSString).deletingLastPathComponent as NSString).deletingLastPathComponent
                    as NSString)
                    .appendingPathComponent("Mappings")
                return (program, fs.isDirectory(spec) ? spec : nil)
            } catch {
                throw ReplayUsageError("\(target) is not a claimmap evaluator: \(error)")
            }
        }
        let result = try driver.check(path: target)
        guard let checked = result.checked else {
            let text = DiagnosticRenderer.text(result.diagnostics.filter(\.isError), sources: [target: result.source])
            throw ReplayUsageError("\(target) has errors; fix them first:\n\(text)")
        }
        return (ProgramLowering.program(checked), directory.isEmpty ? "." : directory)
    }

    /// `NAME=FILE` or `NAME=fail`.
    static func dataActionResults(_ options: [String], fs: any FileSystem) throws -> [String: EvaluationInput
        .DataActionResult]
    {
        var results: [String: EvaluationInput.DataActionResult] = [:]
        for option in options {
            guard let equals = option.firstIndex(of: "=") else {
                throw ReplayUsageError("--enrichment \(option): write NAME=FILE or NAME=fail")
            }
            let name = String(option[..<equals])
            let value = String(option[option.index(after: equals)...])
            if value == "fail" {
                results[name] = .fail
                continue
            }
            guard fs.fileExists(value) else { throw ReplayUsageError("--enrichment \(name): cannot read \(value)") }
            do {
                let json = try StrictJSONReader(maxDepth: 32).parse(try fs.readFile(value))
                guard case .object = json else {
                    throw ReplayUsageError("--enrichment \(name): \(value) is not a JSON object")
                }
                results[name] = .response(json)
            } catch let error as ReplayUsageError {
                throw error
            } catch {
                throw ReplayUsageError("--enrichment \(name): \(value) is not valid JSON (\(error))")
            }
        }
        return results
    }

    package init(options: ReplayOptions, driver: Driver, extraKeys: [JSONValue] = []) throws {
        let fs = driver.fileSystem
        let (program, base) = try Self.program(options.target, driver: driver)
        self.program = program
        (interpreter, claimChecks) = Self.prepared(program)
        explains = options.format != .json
        now = try Self.time(options.now)
        var attributes: [String: String] = [:]
        for option in options.attributes {
            guard let equals = option.firstIndex(of: "=") else {
                throw ReplayUsageError("--attribute \(option): write KEY=VALUE")
            }
            let key = String(option[..<equals])
            guard program.attributes.contains(where: { $0.name.isByteEqual(to: key) }) else {
                throw ReplayUsageError(
                    "--attribute \(key): the spec declares no such attribute (it has: \(program.attributes.map(\.name).joined(separator: ", ")))"
                )
            }
            attributes[key] = String(option[option.index(after: equals)...])
        }
        let results = try Self.dataActionResults(options.enrichments, fs: fs)
        let known = Set(program.enrichments.map(\.name) + program.guards.map(\.name))
        if let unknown = results.keys.sorted().first(where: { !known.contains($0) }) {
            throw ReplayUsageError("--enrichment \(unknown): the spec has no enrichment or guarded action of that name")
        }
        input = EvaluationInput(
            claims: nil, attributes: attributes,
            enrichments: results.filter { name, _ in program.enrichments.contains { $0.name == name } },
            actions: results.filter { name, _ in program.guards.contains { $0.name == name } })
        policy = ClaimPolicy(
            issuer: program.identity.issuer, audiences: program.identity.audience,
            algorithms: Set(program.identity.algorithms),
            leewaySeconds: Int64(program.identity.leewaySeconds),
            maxAgeSeconds: program.identity.maxAgeSeconds.map(Int64.init),
            nonceRequired: program.identity.nonceRequired, expectedNonce: options.nonce)
        if options.live {
            guard options.jwks == nil else { throw ReplayUsageError("give --live or --jwks, not both") }
            guard options.refetchCooldown >= 0, options.refetchCooldown <= 86_400 else {
                throw ReplayUsageError("--refetch-cooldown must be 0 ... 86400 seconds")
            }
            let identity = program.identity
            do {
                let client = try IdPClient(caFile: options.network.caFile, totalSeconds: options.network.timeoutSeconds)
                let live = try LiveKeys(
                    ExpectedIdentity(
                        discovery: identity.discovery, issuer: identity.issuer, algorithms: identity.algorithms),
                    client: client, cacheDirectory: LiveKeys.cacheDirectory(),
                    cooldownSeconds: options.refetchCooldown)
                liveKeys = live
                keys = live.keys
                keysProblem = nil
            } catch {
                throw ReplayUsageError("--live: \(error.description)")
            }
            return
        }
        liveKeys = nil
        var jwksPath = options.jwks
        if jwksPath == nil, let relative = program.identity.jwks {
            if relative.hasPrefix("/") {
                jwksPath = relative
            } else if let base {
                jwksPath = (base as NSString).appendingPathComponent(relative)
            } else {
                throw ReplayUsageError(
                    "the evaluator's jwks `\(relative)` is relative and its spec folder is not found; give --jwks FILE")
            }
        }
        guard let jwksPath else {
            if options.guest { keys = nil; keysProblem = nil; return }
            throw ReplayUsageError("the spec names no identity.jwks; give --jwks FILE")
        }
        guard fs.fileExists(jwksPath) else {
            if options.guest { keys = nil; keysProblem = nil; return }
            throw ReplayUsageError("cannot read the JWKS \(jwksPath): no such file (give --jwks FILE)")
        }
        // `--jwks` is the user's own path (followed, as a shell would); a spec's `identity.jwks` is data in the
        // repository and is read only as a regular file, never through a link. Both are capped just past the JWKS
        // limit, which JWKS(bytes:) then reports.
        var bytes =
            options.jwks != nil
            ? try fs.readFile(jwksPath, limit: JWKS.maxBytes + 1)
            : try fs.readFileInPlace(jwksPath, limit: JWKS.maxBytes + 1)
        if String(decoding: bytes.prefix(256), as: UTF8.self).contains("-----BEGIN ") {
            throw ReplayUsageError(
                "\(jwksPath) is a PEM key, not a JWKS; convert it once with `claimmap keys import --pem \(jwksPath) --kid KID --jwks jwks.json` (KID: the kid in the IdP's token headers) and give that JWKS"
            )
        }
        if !extraKeys.isEmpty, case .object(var members)? = try? StrictJSONReader(maxDepth: 16).parse(bytes),
            let index = members.firstIndex(where: { $0.0 == "keys" }), case .array(let existing) = members[index].1
        {
            members[index].1 = .array(existing + extraKeys)
            bytes = Array(JSONValue.object(members).compact().utf8)
        }
        do {
            keys = try JWKS(bytes: bytes)
            keysProblem = nil
        } catch {
            keys = nil
            keysProblem = error
        }
    }

    /// Builds a session from a program and keys directly (for `claimmap test`).
    package init(program: EvaluatorProgram, keys: JWKS, now: Int64, nonce: String?, input: EvaluationInput) {
        self.liveKeys = nil
        self.explains = false
        self.program = program
        (interpreter, claimChecks) = Self.prepared(program)
        self.keys = keys
        self.keysProblem = nil
        self.now = now
        self.input = input
        policy = ClaimPolicy(
            issuer: program.identity.issuer, audiences: program.identity.audience,
            algorithms: Set(program.identity.algorithms),
            leewaySeconds: Int64(program.identity.leewaySeconds),
            maxAgeSeconds: program.identity.maxAgeSeconds.map(Int64.init),
            nonceRequired: program.identity.nonceRequired, expectedNonce: nonce)
    }

    /// This session with its own interpreter plan and claim checks, for one worker thread of `replay --jobs`: the
    /// same program and keys, but no plan object whose reference count every thread updates on every token (with one
    /// shared plan, 2 threads took ~5 % more CPU time for the same 50,000 tokens). The plan and checks are built from
    /// the program written out as evaluator.json text and read back: a copied Swift array or string shares its
    /// buffer, and the claim paths and constants read for every token would otherwise be retained and released by
    /// every thread on one cache line (`swift_retain`: a median of 152 profile samples in a 50,000-token `--jobs 2`
    /// replay before, 100 after, five profiles each; one thread's replay of the same tokens has 73–85).
    package func forWorker() -> ReplaySession {
        var copy = self
        // Read back from text, so that no string's storage is shared either; used only when equal (`==`) to the
        // program given, which the evaluator's JSON form guarantees (InterpreterTests.roundTrip).
        let text = program.json().compact()
        let decoded = try? EvaluatorProgram(json: StrictJSONReader(maxDepth: 64).parse(text))
        let own = decoded.flatMap { $0 == program ? $0 : nil } ?? program
        (copy.interpreter, copy.claimChecks) = Self.prepared(own)
        return copy
    }

    /// What a session (or one of its workers) evaluates with: the interpreter's plan and the claim checks.
    private static func prepared(_ program: EvaluatorProgram) -> (Interpreter, [ClaimCheck]) {
        (Interpreter(program: program), program.claims.map(ClaimCheck.init))
    }

    /// The outcome of one token.
    package struct Outcome: Sendable {
        package var label: String
        package var alg: String?
        package var kid: String?
        package var rejection: Rejection?
        /// The accepted token's (or the guest's) conversation, as slots: the JSON line is written from these.
        package var evaluation: Evaluation?
        /// The conversation named, for the text form and `claimmap test`.
        package var result: EvaluationResult? { evaluation?.result }
        /// The checks an accepted token passed, in the verifier's order: only those that ran (`nonce` only when
        /// compared with `--nonce`, `maxAge` only when the spec sets one, `nbf` and `typ` only when present).
        package var checks: [String] = []
        /// What replay assumed or did not check, for the text form: an uncompared nonce, an enrichment answered from
        /// the token's own claims, a guarded action given no response.
        package var notes: [String] = []
    }

    /// The verifier's checks of an accepted token, named as the text form lists them.
    func checksPassed(_ claims: JSONObjectBytes, typ: String?) -> [String] {
        var checks = ["size", "segments", "base64url", "header", "alg", "key", "signature", "iss", "aud", "exp"]
        if claims.contains("nbf") { checks.append("nbf") }
        checks.append("iat")
        if policy.maxAgeSeconds != nil { checks.append("maxAge") }
        if policy.expectedNonce != nil { checks.append("nonce") }
        if typ != nil { checks.append("typ") }
        checks.append("claim contract")
        return checks
    }

    /// `segment` or, for a claim read from another member, `segment from "https://bank.example/segment"`.
    func claimPlace(_ name: String) -> String {
        guard let claim = claimChecks.first(where: { $0.name == name }), claim.path != [name] else { return name }
        return "\(name) from \(JSONValue.quoted(claim.path.joined(separator: ".")))"
    }

    /// The notes of an accepted token (see `Outcome.notes`).
    func notes(_ claims: JSONObjectBytes) -> [String] {
        var notes: [String] = []
        if policy.expectedNonce == nil, policy.nonceRequired || claims.contains("nonce") {
            notes.append(
                "nonce present, not compared: give --nonce with the value the page sent to check it")
        }
        for enrichment in program.enrichments where input.enrichments[enrichment.name] == nil {
            notes.append(
                "enrichment `\(enrichment.name)`: no --enrichment \(enrichment.name)=FILE|fail given, so its answer "
                    + "was taken from the token's claims (\(enrichment.returns.map(claimPlace).joined(separator: ", ")))"
            )
        }
        for action in program.guards where input.actions[action.name] == nil && !action.outputs.isEmpty {
            notes.append(
                "guarded action `\(action.name)`: no --enrichment \(action.name)=FILE given, so its outputs keep "
                    + "their defaults")
        }
        return notes
    }

    /// Best-effort `alg`/`kid` of a token's header, for the report (even when the token is rejected later).
    static func headerFacts(_ token: Substring) -> (String?, String?) {
        let utf8 = token.utf8
        guard let dot = utf8.firstIndex(of: UInt8(ascii: ".")), let bytes = try? Base64URL.decode(utf8[..<dot]),
            let header = try? StrictJSONReader(maxDepth: 16).parse(bytes)
        else { return (nil, nil) }
        var alg: String?
        var kid: String?
        if case .string(let s)? = header[member: "alg"] { alg = s }
        if case .string(let s)? = header[member: "kid"] { kid = s }
        return (alg, kid)
    }

    package func replay(token: Substring, label: String) -> Outcome {
        var memo = JWSHeaderMemo()
        return replay(token: token, label: label, memo: &memo)
    }

    /// `replay`, with the thread's last well-formed header in `memo` (see `JWSHeaderMemo`).
    package func replay(token: Substring, label: String, memo: inout JWSHeaderMemo) -> Outcome {
        var outcome = Outcome(label: label, alg: nil, kid: nil)
        do throws(Rejection) {
            let live = liveKeys?.current
            guard let keys = live?.keys ?? keys else { throw keysProblem ?? Rejection(.jwksUnavailable, "no JWKS") }
            let verified: VerifiedIDToken
            do {
                verified = try IDTokenVerifier.verify(token, keys: keys, policy: policy, now: now, memo: &memo)
            } catch  where error.reason == .keyNotFound && liveKeys != nil {
                // An unknown kid with live keys: the IdP may have rotated. One refetch for the whole run (every
                // worker shares `liveKeys`), then a cooldown.
                guard let liveKeys else { throw error }
                let (fresh, what) = liveKeys.refetch(after: live?.generation)
                guard let fresh else { throw Rejection(.keyNotFound, "\(error.detail); \(what)") }
                do {
                    verified = try IDTokenVerifier.verify(token, keys: fresh, policy: policy, now: now, memo: &memo)
                } catch  where error.reason == .keyNotFound {
                    throw Rejection(.keyNotFound, "\(error.detail); \(what): the kid is not there either")
                }
            }
            (outcome.alg, outcome.kid) = (verified.jws.alg, verified.jws.kid)
            // The evaluator gets the declared claims as found and checked here, and no tree of the payload.
            var conversation = input
            conversation.checkedClaims = try checkContract(verified.payload)
            outcome.evaluation = interpreter.evaluation(conversation)
            if explains {
                outcome.checks = checksPassed(verified.payload, typ: verified.jws.typ)
                outcome.notes = notes(verified.payload)
            }
        } catch {
            // The verifier stopped before (or without) handing back the header: read it once more, best effort.
            if outcome.alg == nil { (outcome.alg, outcome.kid) = Self.headerFacts(token) }
            outcome.rejection = error
        }
        return outcome
    }

    package func replayGuest() -> Outcome {
        var conversation = input
        conversation.claims = nil
        conversation.checkedClaims = nil
        return Outcome(
            label: "guest", alg: nil, kid: nil, rejection: nil, evaluation: interpreter.evaluation(conversation))
    }

    /// The declared claims, in spec order (docs/decisions.md: token claims are a contract): required ones present,
    /// every carried one within its contract. Returns each declared claim's value (nil when absent), for the evaluator
    /// to use as found and checked.
    func checkContract(_ claims: JSONObjectBytes) throws(Rejection) -> [JSONValue?] {
        var values: [JSONValue?] = []
        values.reserveCapacity(claimChecks.count)
        // Fields read through the buffer: copying a check would retain and release its name, path and contract.
        try claimChecks.withUnsafeBufferPointer { checks throws(Rejection) in
            for index in checks.indices {
                guard let value = ClaimContract.member(at: checks[index].path, in: claims) else {
                    values.append(nil)
                    if checks[index].required {
                        let claim = checks[index]
                        throw Rejection(.claimMissing, "\(claim.name) (\(claim.path.joined(separator: ".")))")
                    }
                    continue
                }
                if let violation = checks[index].contract.violation(value) {
                    let reason = Rejection.Reason(rawValue: violation.reason) ?? .claimValueRejected
                    throw Rejection(reason, "\(checks[index].name): \(violation)")
                }
                // A required string claim carries a value: `sub: ""` identifies nobody (OIDC Core §2: sub is a
                // locally unique identifier), and an empty key would look up some default record.
                if checks[index].required, case .string(let text) = value, text.isEmpty {
                    throw Rejection(
                        .claimValueRejected,
                        "\(checks[index].name): the empty string; a required string claim must not be empty")
                }
                values.append(value)
            }
        }
        return values
    }
}
