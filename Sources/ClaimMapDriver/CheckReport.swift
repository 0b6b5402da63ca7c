import ClaimMapDiagnostics

/// Output formats of `claimmap check`.
package enum DiagnosticFormat: String, CaseIterable, Sendable {
    case text, json, sarif
}

/// `--format` of `replay`, `test`, `doctor` and `drift --deployed`: for a person, or one JSON document (JSON Lines
/// for replay).
package enum ReportFormat: String, CaseIterable, Sendable {
    case text, json
}

/// What a command prints and how it exits; the executable only writes these out.
package struct CommandOutput: Error, Sendable, Equatable {
    package var stdout: String = ""
    package var stderr: String = ""
    package var exitCode: Int32 = 0

    package init(stdout: String = "", stderr: String = "", exitCode: Int32 = 0) {
        self.stdout = stdout
        self.stderr = stderr
        self.exitCode = exitCode
    }
}

/// The version reported in SARIF output and `--version`.
package let claimmapVersion = "0.1.0"

extension Driver {
    /// `claimmap check`: checks each spec (all of `Mappings/` when none is given) and renders the diagnostics.
    /// Exit 0 when no spec has errors (warnings too with `strict`), 1 when one has, 2 when an input is unreadable.
    package func runCheck(specs: [String], format: DiagnosticFormat, strict: Bool) -> CommandOutput {
        var paths = specs
        if paths.isEmpty {
            guard fileSystem.isDirectory("Mappings") else {
                return CommandOutput(
                    stderr:
                        "error: no spec given and no `Mappings/` folder here; run from the repository root or name a spec\n",
                    exitCode: 2)
            }
            do {
                paths = try discoverSpecs()
            } catch {
                return CommandOutput(stderr: "error: \(error)\n", exitCode: 2)
            }
            if paths.isEmpty {
                return CommandOutput(stderr: "error: `Mappings/` holds no `*.mapping.yaml` spec\n", exitCode: 2)
            }
        }
        do {
            paths = try expandDirectories(paths)
        } catch {
            return CommandOutput(stderr: "error: \(error)\n", exitCode: 2)
        }
        var diagnostics: [Diagnostic] = []
        var sources: [String: SourceText] = [:]
        var unreadable: [String] = []
        for path in paths {
            do {
                let result = try check(path: path)
                sources[path] = result.source
                diagnostics.append(contentsOf: result.diagnostics)
            } catch {
                unreadable.append("error: cannot read spec \(error)\n")
            }
        }
        if strict {
            diagnostics = diagnostics.map { diagnostic in
                var promoted = diagnostic
                if promoted.severity == .warning { promoted.severity = .error }
                return promoted
            }
        }
        let errors = diagnostics.count { $0.isError }
        let warnings = diagnostics.count { $0.severity == .warning }
        var output = CommandOutput()
        switch format {
        case .text:
            output.stderr = DiagnosticRenderer.text(diagnostics, sources: sources)
            // Always a summary, on success too; a spec that could not be read was not checked.
            let checkedCount = paths.count - unreadable.count
            if checkedCount > 0 {
                output.stderr +=
                    "\(Self.plural(checkedCount, "spec")) checked: \(Self.plural(errors, "error")), \(Self.plural(warnings, "warning"))\n"
            }
        case .json:
            output.stdout = DiagnosticRenderer.json(diagnostics)
        case .sarif:
            output.stdout = DiagnosticRenderer.sarif(diagnostics, toolVersion: claimmapVersion)
        }
        output.stderr += unreadable.joined()
        output.exitCode = !unreadable.isEmpty ? 2 : errors > 0 ? 1 : 0
        return output
    }

    /// A folder given as a spec stands for the `*.mapping.yaml` files in it; a folder holding none is an error.
    func expandDirectories(_ paths: [String], suffix: String = Driver.specSuffix) throws -> [String] {
        try paths.flatMap { path throws -> [String] in
            guard fileSystem.isDirectory(path) else { return [path] }
            let folder = path.hasSuffix("/") ? String(path.dropLast()) : path
            let found = try discoverSpecs(in: folder, suffix: suffix)
            if found.isEmpty { throw EmptyFolder(folder: folder, suffix: suffix) }
            return found
        }
    }

    struct EmptyFolder: Error, CustomStringConvertible {
        var folder: String
        var suffix: String
        var description: String {
            let what = suffix == Driver.specSuffix ? "a spec" : "a tests file"
            return
                "`\(TerminalText.escaped(folder))/` holds no `*\(suffix)` file; name \(what), or a folder that holds one"
        }
    }

    static func plural(_ count: Int, _ noun: String) -> String { "\(count) \(noun)\(count == 1 ? "" : "s")" }

    /// `claimmap schema`.
    package func runSchema() -> CommandOutput {
        CommandOutput(stdout: SpecSchema.document().rendered())
    }
}
