import ArgumentParser
import ClaimMapDriver
import Foundation

struct TestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Run Mappings/*.tests.yaml: mint, sign and replay each case; print \"N passed, N failed\".")

    @Argument(help: "Tests files (default: Mappings/*.tests.yaml).")
    var tests: [String] = []

    @Flag(help: "Verify against each spec's live IdP keys (discovery, cached) instead of identity.jwks.")
    var live = false

    @OptionGroup var network: NetworkArguments

    @Flag(
        help: """
            After the cases, report per spec which rules, guard outcomes, variable sources and participant data the \
            cases reached, and the percentage (docs/language.md, 9.4).
            """)
    var coverage = false

    @Option(help: "text, or json: one JSON document on stdout (the case lines go to stderr).")
    var format = ReportFormat.text

    @Option(help: "PCT (0 ... 100): exit 1 when a spec's coverage is below it; implies --coverage.")
    var minCoverage: String?

    func validate() throws {
        if let minCoverage, Driver.coveragePercent(minCoverage) == nil {
            throw ValidationError(
                "--min-coverage takes a percentage from 0 to 100 (e.g. 100 or 87.5), not `\(minCoverage)`")
        }
    }

    func run() throws {
        var options = Driver.TestOptions()
        options.live = live
        options.network = network.options
        options.coverage = coverage
        options.format = format
        options.minimumCoverage = minCoverage.flatMap(Driver.coveragePercent)
        try emit(Driver().runTests(tests, options: options))
    }
}

/// `--ca-file` and `--timeout`, for every command that talks to the IdP.
struct NetworkArguments: ParsableArguments {
    @Option(help: "A PEM file of extra trusted CA certificates (a private or test CA), added to the system's.")
    var caFile: String?

    @Option(help: "Seconds for all requests to the IdP together (1 ... 300).")
    var timeout: Int64 = 10

    var options: NetworkOptions { NetworkOptions(caFile: caFile, timeoutSeconds: timeout) }
}

struct DoctorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check a spec against its live IdP: what will break on deployment day. Exit 1 when something will.")

    @Argument(help: "The spec (*.mapping.yaml).")
    var spec: String

    @OptionGroup var network: NetworkArguments

    @Option(help: "text or json.")
    var format = ReportFormat.text

    func run() throws {
        try emit(Driver().runDoctor(spec: spec, network: network.options, format: format))
    }
}

struct KeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys", abstract: "Key lab for tests and replay.",
        subcommands: [GenerateKey.self, ImportKey.self, FetchKeys.self])

    struct FetchKeys: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "fetch",
            abstract:
                "Fetch the spec's JWKS from its IdP (OIDC discovery) into identity.jwks, with a provenance file. Exit 1 when the IdP contradicts the spec."
        )

        @Argument(help: "The spec (*.mapping.yaml).")
        var spec: String

        @OptionGroup var network: NetworkArguments

        func run() throws {
            try emit(Driver().runKeysFetch(spec: spec, network: network.options))
        }
    }

    struct ImportKey: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Add a PEM RSA key's public half to a JWKS (for an IdP that publishes PEM instead of a JWKS).")

        @Option(help: "The PEM file (public key, or a private key whose public half is taken).")
        var pem: String

        @Option(help: "The key id: the kid the IdP puts in its tokens' header.")
        var kid: String

        @Option(help: "The JWKS to create or add the key to.")
        var jwks: String

        func run() throws {
            try emit(Driver().runKeysImport(pem: pem, kid: kid, jwks: jwks))
        }
    }

    struct GenerateKey: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "generate",
            abstract: "Generate an RSA-2048 key: DIR/KID.private.jwk.json (0600) and its public key in the JWKS.")

        @Option(help: "The key id.")
        var kid: String

        @Option(help: "The folder for the private key.")
        var out: String

        @Option(help: "The JWKS to create or add the public key to (default: DIR/jwks.json).")
        var jwks: String?

        func run() throws {
            try emit(Driver().runKeysGenerate(kid: kid, out: out, jwks: jwks))
        }
    }
}

struct TokenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token", abstract: "Token lab for tests and replay.", subcommands: [Mint.self])

    struct Mint: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "mint", abstract: "Sign claims (a JSON object) into a compact JWS with a private JWK.")

        @Option(help: "The private JWK file.")
        var key: String

        @Option(help: "The claims: a JSON file, or - for standard input.")
        var claims: String

        @Option(
            name: .customLong("header"),
            help: "NAME=VALUE: set or override a header parameter (JSON values are kept as JSON).")
        var headers: [String] = []

        @Option(help: "iat (and exp = iat + 1h) unless the claims give them: RFC 3339 or epoch seconds.")
        var now: String?

        func run() throws {
            let bytes: [UInt8]
            if claims == "-" {
                bytes = [UInt8](FileHandle.standardInput.readDataToEndOfFile())
            } else {
                guard let data = FileManager.default.contents(atPath: claims) else {
                    throw ValidationError("cannot read claims file \(claims)")
                }
                bytes = [UInt8](data)
            }
            try emit(Driver().runTokenMint(key: key, claims: bytes, headers: headers, now: now))
        }
    }
}
