import ClaimMapEvaluator
import ClaimMapJOSE
import ClaimMapRuntime
import Foundation

extension ReplaySession.Outcome {
    /// One line of `replay --format json` and its line break: exactly the members docs/decisions.md lists (Replay JSON
    /// lines), in that order; `docs/schemas/replay-line.schema.json` documents it. Data warnings appear in the text
    /// form only.
    package func writeJSONLine(to out: inout ByteWriter) {
        func optional(_ text: String?) {
            if let text { out.appendQuoted(text) } else { out.append("null") }
        }
        out.append("{\"token\":")
        out.appendQuoted(label)
        out.append(rejection == nil ? ",\"verdict\":\"accepted\"" : ",\"verdict\":\"rejected\"")
        out.append(",\"reason\":")
        optional(rejection?.reason.rawValue)
        out.append(",\"detail\":")
        optional(rejection?.detail)
        out.append(",\"header\":{\"alg\":")
        optional(alg)
        out.append(",\"kid\":")
        optional(kid)
        out.append("},")
        if let evaluation, rejection == nil {
            evaluation.writeJSONMembers(to: &out)
        } else {
            out.append("\"variables\":null,\"participantData\":null,\"route\":null,\"guards\":null")
        }
        out.append("}\n")
    }

    static func show(_ value: Value?) -> String {
        guard let value else { return "NOT_SET" }
        return value.json.compact()
    }

    /// The explanation for people: the key chosen, each check, each variable and why, each rule tried.
    package func text() -> String {
        var out = ""
        // Every value below may come from an unsigned token or a file: escaped for the terminal (TerminalText).
        let t = TerminalText.escaped
        let label = t(self.label)
        let header = [alg.map(t), kid.map { "key \"\(t($0))\"" }].compactMap { $0 }.joined(separator: ", ")
        if let rejection {
            out += "\(label): rejected — \(rejection.reason.rawValue)\n"
            out += "  \(t(rejection.detail))\n"
            if !header.isEmpty { out += "  header: \(header)\n" }
            out += "  help: \(Self.help(rejection.reason))\n"
            return out
        }
        guard let result else { return out }
        if label == "guest" {
            out +=
                "guest: an unauthenticated conversation (no token; every token-derived value is NOT_SET unless it has a default)\n"
        } else {
            out += "\(label): accepted — \(header)\n"
            out += "  checks passed: \(checks.joined(separator: ", "))\n"
        }
        for note in notes { out += "  note: \(t(note))\n" }
        out += "  variables:\n"
        let width = result.variables.map(\.name.count).max() ?? 0
        for variable in result.variables {
            let name = variable.name.padding(toLength: width, withPad: " ", startingAt: 0)
            out +=
                "    \(name) = \(t(Self.show(variable.value)))  [\(variable.type), \(variable.source), \(variable.trusted ? "trusted" : "untrusted")]\n"
        }
        if !result.participantData.isEmpty {
            out += "  participant data:\n"
            for datum in result.participantData {
                out +=
                    "    \(datum.key) = \(datum.value.map { t(JSONValue.quoted($0)) } ?? "(not set: the variable is NOT_SET)")\n"
            }
        }
        out += "  routing:\n"
        for tried in result.rulesTried {
            out += "    \(tried.rule): \(tried.matched ? "matches" : "no")\n"
        }
        if let route = result.route {
            var facts = ["queue \(t(route.queue))"]
            if let priority = route.priority { facts.append("priority \(priority)") }
            if !route.skills.isEmpty { facts.append("skills \(t(route.skills.joined(separator: ", ")))") }
            out += "    → \(route.rule): \(facts.joined(separator: ", "))\n"
        }
        if !result.guards.isEmpty {
            out += "  guards:\n"
            for decision in result.guards {
                out +=
                    "    \(decision.name): \(decision.allowed ? "allowed" : "denied (\(t(decision.reason ?? "")))")\n"
            }
        }
        for refusal in result.refusedAttributes {
            let kept = refusal.kept.map { "\($0.variable) keeps \(Self.show($0.value))" }.joined(separator: ", ")
            let value = t(JSONValue.quoted(refusal.value))
            let origin = refusal.origin == "page" ? "" : " (mirrored from \(t(refusal.origin)))"
            out +=
                "  refused: attribute \(t(refusal.attribute)) = \(value)\(origin): \(t(refusal.reason)); \(t(kept))\n"
        }
        for warning in result.warnings { out += "  warning: \(t(warning))\n" }
        return out
    }

    static func help(_ reason: Rejection.Reason) -> String {
        switch reason {
        case .keyNotFound: "refresh the JWKS from the IdP's jwks_uri (keys rotate), or pass --jwks"
        case .expired, .notYetValid, .iatInFuture, .tokenTooOld:
            "check --now (replay uses the current time by default) and the IdP's clock"
        case .issuerMismatch:
            "identity.issuer must equal the token's iss byte for byte (no trailing-slash or case normalisation)"
        case .audienceMismatch, .azpMismatch: "identity.audience must list the client id the IdP puts in aud (and azp)"
        case .nonceMismatch:
            "the nonce must be the one the page sent in the authorize request and resolved in getAuthCode"
        case .algNotAllowed: "identity.algorithms lists what the IdP may sign with; never HS* or none"
        case .signatureInvalid: "the token was altered or signed by another key"
        case .claimMissing, .claimTypeInvalid, .claimValueRejected, .claimTooLong:
            "the IdP must send claims as claims.json describes"
        case .jwksUnavailable: "fix the JWKS file: public RSA keys only, one kid each"
        default: "the token is malformed or uses a JOSE feature ClaimMap never accepts"
        }
    }
}

extension Driver {
    /// Streams `replay`: each token's line goes to `write` as soon as it is verified, so a million tokens stream
    /// through one process in constant memory. Returns the exit code (0 all accepted, 1 any rejected, 2 usage).
    package func runReplay(
        _ options: ReplayOptions, write: (UnsafeBufferPointer<UInt8>) -> Void, writeError: (String) -> Void,
        readLine: @escaping () -> Substring?
    ) -> Int32 {
        let json = options.format == .json
        let session: ReplaySession
        do {
            session = try ReplaySession(options: options, driver: self)
        } catch {
            writeError("error: \(TerminalText.escaped("\(error)"))\n")
            return 2
        }
        // One line buffer, reused: JSON lines are streamed into it, text explanations copied in.
        var line = ByteWriter()
        if options.guest {
            session.replayGuest().write(to: &line, json: json)
            line.withBytes(write)
            if options.tokens.isEmpty { return 0 }
        }
        if options.tokens.isEmpty {
            writeError("error: give at least one TOKEN (a file, or - for standard input), or --guest\n")
            return 2
        }
        for path in options.tokens where path != "-" && !fileSystem.fileExists(path) {
            writeError("error: cannot read token file \(path): no such file\n")
            return 2
        }
        var source = ReplayTokenSource(paths: options.tokens, fileSystem: fileSystem, readLine: readLine)
        var rejected = false
        // Token files alone need no more threads than there are files (a single token runs on this thread).
        let threads = options.tokens.contains("-") ? options.jobs : min(options.jobs, options.tokens.count)
        if threads <= 1 {
            var memo = JWSHeaderMemo()
            while case let (token, label)? = source.next() {
                line.removeAll()
                if session.replay(token: token, label: label, json: json, to: &line, memo: &memo) { rejected = true }
                line.withBytes(write)
            }
        } else {
            // Batches of tokens verified on `threads` threads, written in input order: the bytes are those of one
            // thread (ReplayParallelTests holds them equal), at most 4 batches per thread in flight.
            let window = 4 * threads
            let buffers = ReplayBatch.Buffers(keeping: window)
            let workers = OrderedWorkers<[(Substring, String)], ReplayBatch>(window: window) {
                let session = session.forWorker()
                let out = ReplayBatch.Writer()
                return { batch in
                    out.writer.removeAll()
                    var rejected = false
                    var memo = JWSHeaderMemo()
                    for (token, label) in batch
                    where session.replay(token: token, label: label, json: json, to: &out.writer, memo: &memo) {
                        rejected = true
                    }
                    let bytes = buffers.copy(out.writer)
                    // A batch of unusually long lines (a rejected 1 MiB token still prints its header) does not keep
                    // its memory for the rest of the run.
                    if out.writer.count > ReplayBatch.keptBytes { out.writer = ReplayBatch.Writer.fresh() }
                    return ReplayBatch(bytes: bytes, rejected: rejected)
                }
            }
            workers.run(
                threads: threads,
                next: {
                    var batch: [(Substring, String)] = []
                    var size = 0
                    while batch.count < ReplayBatch.maxTokens, size < ReplayBatch.maxBytes,
                        case let (token, label)? = source.next()
                    {
                        batch.append((token, label))
                        size += token.utf8.count
                    }
                    return batch.isEmpty ? nil : batch
                },
                deliver: { batch in
                    if batch.rejected { rejected = true }
                    batch.bytes.withUnsafeBufferPointer(write)
                    buffers.recycle(batch.bytes)
                })
        }
        if let failure = source.failure {
            writeError(failure)
            return 2
        }
        return rejected ? 1 : 0
    }

    /// Drops the space, tab, CR and LF around a token (what editors and `echo` add). Anything else, including
    /// Unicode spaces, stays and makes the token malformed. Works on UTF-8 code units: Foundation's
    /// `trimmingCharacters` went through UTF-16 and cost more per token than the RSA verification.
    static func trimmingLineWhitespace(_ text: Substring) -> Substring {
        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }
        let utf8 = text.utf8
        // The usual line, a token and nothing else: no index arithmetic.
        if let first = utf8.first, let last = utf8.last, !isSpace(first), !isSpace(last) { return text }
        guard let first = utf8.firstIndex(where: { !isSpace($0) }), let last = utf8.lastIndex(where: { !isSpace($0) })
        else { return text[text.endIndex...] }
        return text[first...last]
    }
}

/// What one batch of a parallel replay hands back: its lines, in order, and whether any token was rejected.
struct ReplayBatch: Sendable {
    /// A batch closes at this many tokens or once its tokens pass this many bytes (a token line may be 1 MiB).
    static let maxTokens = 64
    static let maxBytes = 256 << 10
    var bytes: [UInt8]
    var rejected: Bool

    /// Line buffers and recycled arrays are kept up to this size (a batch of ordinary lines is ~90 KiB); larger ones
    /// are freed after their batch.
    static let keptBytes = 2 * maxTokens * 1536

    /// A worker's line buffer, kept for the whole replay (a class: a worker closure keeps it across batches).
    final class Writer {
        var writer = fresh()

        static func fresh() -> ByteWriter { ByteWriter(capacity: ReplayBatch.maxTokens * 1536) }
    }

    /// The arrays batches are handed over in, given back once written: a batch then usually costs one copy of its
    /// lines into memory already mapped, not two fresh ~100 KiB allocations that the allocator returns to the system
    /// after each batch and the next one faults in again (92 `madvise` calls and ~330 page faults in a 50,000
    /// token `--jobs 2` replay before). An array still referenced when taken again is copied on write, not shared.
    final class Buffers: @unchecked Sendable {
        private let lock = NSLock()
        private var free: [[UInt8]] = []
        /// At most this many arrays wait for reuse (no more than a window's worth of batches is ever in flight).
        private let keeping: Int

        init(keeping: Int) { self.keeping = keeping }

        /// The writer's bytes, copied into a recycled array when there is one.
        func copy(_ writer: borrowing ByteWriter) -> [UInt8] {
            lock.lock()
            var array = free.popLast() ?? []
            lock.unlock()
            array.removeAll(keepingCapacity: true)
            writer.withBytes { array.append(contentsOf: $0) }
            return array
        }

        func recycle(_ array: [UInt8]) {
            guard array.capacity <= ReplayBatch.keptBytes else { return }
            lock.lock()
            defer { lock.unlock() }
            if free.count < keeping { free.append(array) }
        }
    }
}

/// The tokens of a replay in input order, labelled as the report names them: each non-blank line of standard input
/// (`stdin:N`, N counting every line) and each token file (its path). A file that cannot be read ends the stream
/// and is kept as `failure` (exit 2 once the lines before it are written).
struct ReplayTokenSource {
    let paths: [String]
    let fileSystem: any FileSystem
    let readLine: () -> Substring?
    private var position = 0
    private var lineNumber: Int?
    private(set) var failure: String?

    init(paths: [String], fileSystem: any FileSystem, readLine: @escaping () -> Substring?) {
        self.paths = paths
        self.fileSystem = fileSystem
        self.readLine = readLine
    }

    mutating func next() -> (Substring, String)? {
        while position < paths.count, failure == nil {
            let path = paths[position]
            if path == "-" {
                let number = (lineNumber ?? 0) + 1
                guard let line = readLine() else {
                    lineNumber = nil
                    position += 1
                    continue
                }
                lineNumber = number
                let token = Driver.trimmingLineWhitespace(line)
                if token.isEmpty { continue }
                return (token, "stdin:" + String(number))
            }
            position += 1
            guard let bytes = try? fileSystem.readFile(path) else {
                failure = "error: cannot read token file \(path)\n"
                return nil
            }
            let text = String(decoding: bytes.prefix(ReplaySession.maxFileBytes), as: UTF8.self)
            return (Driver.trimmingLineWhitespace(Substring(text)), path)
        }
        return nil
    }
}

extension ReplaySession.Outcome {
    /// The outcome's JSON line or text explanation.
    func write(to out: inout ByteWriter, json: Bool) {
        if json { writeJSONLine(to: &out) } else { out.appendUTF8(text()) }
    }
}

extension ReplaySession {
    /// Replays one token and appends its line to `out`; true when the token is rejected. One path for one thread and
    /// for the workers of `--jobs`, so their lines cannot differ.
    func replay(token: Substring, label: String, json: Bool, to out: inout ByteWriter, memo: inout JWSHeaderMemo)
        -> Bool
    {
        let outcome = replay(token: token, label: label, memo: &memo)
        outcome.write(to: &out, json: json)
        return outcome.rejection != nil
    }
}

extension ReplaySession {
    /// A token file, or a line of standard input, is read up to this many bytes; anything larger is
    /// `token_too_large` anyway.
    package static let maxFileBytes = 1 << 20
}
