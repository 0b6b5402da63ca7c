import ArgumentParser
import ClaimMapDriver
import Foundation

/// Buffered standard output: replay of a million tokens must not make a system call per line.
final class OutputBuffer {
    private var buffer: [UInt8] = []

    func write(_ text: String) {
        buffer.append(contentsOf: text.utf8)
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
    var format = "text"

    func run() throws {
        guard let target = inputs.first else { throw ValidationError("give SPEC (a .mapping.yaml or evaluator.json)") }
        let options = ReplayOptions(
            target: target, tokens: Array(inputs.dropFirst()), jwks: jwks, now: now, nonce: nonce,
            attributes: attributes,
            enrichments: enrichments, guest: guest, format: format)
        let output = OutputBuffer()
        let code = Driver().runReplay(
            options, write: output.write, writeError: { FileHandle.standardError.write(Data($0.utf8)) },
            readLine: { Swift.readLine(strippingNewline: true) })
        output.flush()
        if code != 0 { throw ExitCode(code) }
    }
}
