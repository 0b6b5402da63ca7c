import ArgumentParser
import ClaimMapDriver
import Foundation

/// Buffered standard output: replay of a million tokens must not make a system call per line.
final class OutputBuffer {
    private var buffer: [UInt8] = []

    func write(_ bytes: UnsafeBufferPointer<UInt8>) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 16 { flush() }
    }

    func flush() {
        guard !buffer.isEmpty else { return }
        buffer.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return }
            var offset = 0
            while offset < raw.count {
                let written = Foundation.write(1, base + offset, raw.count - offset)
                if written <= 0 { break }
                offset += written
            }
        }
        buffer.removeAll(keepingCapacity: true)
    }
}

/// Standard input one line at a time through a 64 KiB buffer (`Swift.readLine` cost a tenth of replay's time).
/// A line longer than `limit` bytes keeps its first `limit + 1` bytes — enough for replay to reject it as too
/// large — so a stream without newlines cannot grow memory. Like `readLine`, the last line needs no newline, and
/// invalid UTF-8 is repaired (the token then fails base64url).
///
/// The complete lines of each read are decoded as one string and handed out as slices of it: one allocation and
/// one UTF-8 check per 64 KiB, not per line. Repair cannot differ from decoding line by line, since a line feed is
/// never part of a UTF-8 sequence: the decoder ends any broken sequence before it.
final class StandardInputLines {
    private var buffer = [UInt8](repeating: 0, count: 1 << 16)
    private var start = 0
    private var end = 0
    private var atEnd = false
    private let limit: Int
    /// The complete lines of the last read, decoded, each with its line feed; those before `decodedOffset` (a
    /// byte offset) have been handed out.
    private var decoded = ""
    private var decodedOffset = 0

    init(limit: Int) {
        self.limit = limit
    }

    /// The first line feed in `buffer[from..<to]`.
    private func newline(_ from: Int, _ to: Int) -> Int? {
        buffer.withUnsafeBufferPointer { UnsafeBufferPointer(rebasing: $0[..<to]).firstIndex(of: 0x0A, from: from) }
    }

    /// The last line feed in `buffer[from..<to]` (usually within the last line's length of `to`).
    private func lastNewline(_ from: Int, _ to: Int) -> Int? {
        buffer.withUnsafeBufferPointer { UnsafeBufferPointer(rebasing: $0[from..<to]).lastIndex(of: 0x0A) }
            .map { from + $0 }
    }

    /// The next decoded line, without its line feed.
    private func nextDecoded() -> Substring? {
        let start = decodedOffset
        guard let newline = decoded.withUTF8({ $0.firstIndex(of: 0x0A, from: start) }) else { return nil }
        decodedOffset = newline + 1
        let utf8 = decoded.utf8
        // Both ends are scalar boundaries (a line feed is one byte), so the slice is exactly the line's text.
        return decoded[utf8.index(utf8.startIndex, offsetBy: start)..<utf8.index(utf8.startIndex, offsetBy: newline)]
    }

    func next() -> Substring? {
        if let line = nextDecoded() { return line }
        // The usual case: the complete lines in the buffer, decoded at once (each shorter than the buffer, so
        // within the limit whenever the limit is at least the buffer's size).
        if start < end, limit >= buffer.count, let last = lastNewline(start, end) {
            decoded = String(decoding: buffer[start...last], as: UTF8.self)
            decodedOffset = 0
            start = last + 1
            return nextDecoded()
        }
        var line: [UInt8] = []
        var consumed = false
        while true {
            if start == end {
                if atEnd { return consumed ? Substring(String(decoding: line, as: UTF8.self)) : nil }
                let count = buffer.withUnsafeMutableBytes { Foundation.read(0, $0.baseAddress, $0.count) }
                if count < 0 && errno == EINTR { continue }
                if count <= 0 {
                    atEnd = true
                    continue
                }
                start = 0
                end = count
                // A fresh buffer that holds a whole line (and no partial one before it): decoded at once.
                if !consumed { return next() }
            }
            consumed = true
            let newline = newline(start, end)
            let stop = newline ?? end
            if line.count <= limit {
                line.append(contentsOf: buffer[start..<min(stop, start + limit + 1 - line.count)])
            }
            if let newline {
                start = newline + 1
                return Substring(String(decoding: line, as: UTF8.self))
            }
            start = end
        }
    }
}

struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract:
            "Verify sample ID tokens and show the variables, participant data, route and guard decisions they get.",
        discussion: """
            SPEC is a Mappings/<name>.mapping.yaml or a Generated/<name>/evaluator.json. Each TOKEN is a file holding
            one compact JWS, or - to read one token per line from standard input.
            """)

    @Argument(help: "SPEC|EVALUATOR, then TOKEN files (- for standard input).")
    var inputs: [String]

    @Option(help: "The JWKS file (default: the spec's identity.jwks).")
    var jwks: String?

    @Option(help: "The time to verify at: RFC 3339 or epoch seconds (default: now).")
    var now: String?

    @Option(help: "The nonce the page sent; the token's nonce must equal it.")
    var nonce: String?

    @Option(
        name: .customLong("attribute"), help: "KEY=VALUE: a custom attribute the page sent (simulates a tampered page)."
    )
    var attributes: [String] = []

    @Option(name: .customLong("enrichment"), help: "NAME=FILE|fail: a data action's JSON response, or its failure.")
    var enrichments: [String] = []

    @Flag(help: "Replay a guest (unauthenticated) conversation.")
    var guest = false

    @Option(help: "text or json (JSON Lines).")
    var format = ReportFormat.text

    @Flag(help: "Keys from the spec's IdP through discovery (cached), not a JWKS file; an unknown kid refetches once.")
    var live = false

    @Option(help: "With --live: seconds after a refetch before an unknown kid may refetch again.")
    var refetchCooldown: Int64 = 30

    @Option(
        help:
            "Threads verifying tokens at once (default: the cores this process may run on). The output is the same for any value."
    )
    var jobs: Int?

    @OptionGroup var network: NetworkArguments

    func validate() throws {
        if let jobs, !(1...1024).contains(jobs) { throw ValidationError("--jobs must be 1 ... 1024") }
    }

    func run() throws {
        guard let target = inputs.first else { throw ValidationError("give SPEC (a .mapping.yaml or evaluator.json)") }
        var options = ReplayOptions(
            target: target, tokens: Array(inputs.dropFirst()), jwks: jwks, now: now, nonce: nonce,
            attributes: attributes,
            enrichments: enrichments, guest: guest, format: format)
        options.live = live
        options.refetchCooldown = refetchCooldown
        options.network = network.options
        options.jobs = jobs ?? ReplayOptions.availableCores
        let output = OutputBuffer()
        let code = Driver().runReplay(
            options, write: output.write, writeError: { FileHandle.standardError.write(Data($0.utf8)) },
            readLine: StandardInputLines(limit: ReplaySession.maxFileBytes).next)
        output.flush()
        if code != 0 { throw ExitCode(code) }
    }
}
