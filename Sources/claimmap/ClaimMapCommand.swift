import ArgumentParser
import ClaimMapDriver
import Foundation

/// The `claimmap` executable: parses arguments, calls the driver, writes its output. Nothing else.
@main
struct ClaimMapCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "claimmap",
        abstract: "Compile OpenID Connect claim mappings into Genesys Cloud flows, data actions and an evaluator.",
        version: claimmapVersion,
        subcommands: [
            CheckCommand.self, CompileCommand.self, DriftCommand.self, ReplayCommand.self, TestCommand.self,
            KeysCommand.self, TokenCommand.self, DoctorCommand.self, SchemaCommand.self,
        ]
    )

    /// Usage errors exit 2 (docs/decisions.md, Exit codes), not ArgumentParser's 64.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            let code = exitCode(for: error)
            let message = fullMessage(for: error)
            if code == .success {
                print(message)
                Foundation.exit(0)
            }
            if let exit = error as? ExitCode { Foundation.exit(exit.rawValue) }
            FileHandle.standardError.write(Data((message + "\n").utf8))
            Foundation.exit(2)
        }
    }
}

/// Writes a driver result to the standard streams and exits with its code.
func emit(_ output: CommandOutput) throws {
    if !output.stdout.isEmpty { FileHandle.standardOutput.write(Data(output.stdout.utf8)) }
    if !output.stderr.isEmpty { FileHandle.standardError.write(Data(output.stderr.utf8)) }
    if output.exitCode != 0 { throw ExitCode(output.exitCode) }
}

extension DiagnosticFormat: ExpressibleByArgument {}
extension ReportFormat: ExpressibleByArgument {}

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check", abstract: "Parse and type-check specs (default: Mappings/*.mapping.yaml).")

    @Argument(help: "Spec files (`<name>.mapping.yaml`).")
    var specs: [String] = []

    @Option(help: "Output format: text, json or sarif.")
    var format: DiagnosticFormat = .text

    @Flag(help: "Treat warnings as errors.")
    var strict = false

    func run() throws {
        try emit(Driver().runCheck(specs: specs, format: format, strict: strict))
    }
}

struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema", abstract: "Print the JSON Schema of the spec language, for editors.")

    func run() throws {
        try emit(Driver().runSchema())
    }
}

/// The specs and the output folder they compile into, for `compile` and `drift`.
struct CompileTargets: ParsableArguments {
    @Argument(help: "Spec files (default: Mappings/*.mapping.yaml).")
    var specs: [String] = []

    @Option(help: "The output folder.")
    var output = "Generated"
}

struct CompileCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compile",
        abstract: "Check, then write <output>/<name>/ for each spec (atomically, only changed files).")

    @OptionGroup var targets: CompileTargets

    func run() throws {
        try emit(Driver().runCompile(specs: targets.specs, output: targets.output))
    }
}

struct DriftCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drift",
        abstract: "Never writes: exit 1 with a diff when <output>/ differs from what the specs produce.")

    @OptionGroup var targets: CompileTargets

    @Option(
        name: .customLong("deployed"),
        help:
            "A flow as `archy export` wrote it, one per SPEC in order: compare it with what the spec generates, by meaning (Generated/ is not read)."
    )
    var deployed: [String] = []

    @Option(
        help: "With --deployed: the Archy options file the flow was published with (default: the spec's own values).")
    var options: String?

    @Option(help: "With --deployed: text or json.")
    var format = ReportFormat.text

    func validate() throws {
        if deployed.isEmpty && (options != nil || format != .text) {
            throw ValidationError("--options and --format compare with a deployed flow: give --deployed FLOW.yaml")
        }
    }

    func run() throws {
        if !deployed.isEmpty {
            var settings = Driver.DeployedDriftOptions()
            settings.deployed = deployed
            settings.options = options
            settings.format = format
            try emit(Driver().runDeployedDrift(specs: targets.specs, options: settings))
            return
        }
        try emit(Driver().runDrift(specs: targets.specs, output: targets.output))
    }
}
