import ClaimMapDiagnostics
import ClaimMapEmitters
import ClaimMapSemantics

extension Driver {
    /// Checks every spec; on success returns the checked specs, else the rendered diagnostics and exit code.
    func checkAll(_ specs: [String]) -> Result<[CheckedSpec], CommandOutput> {
        var paths = specs
        do {
            if paths.isEmpty {
                let discovered = fileSystem.isDirectory("Mappings") ? try discoverSpecs() : []
                guard !discovered.isEmpty else {
                    return .failure(
                        CommandOutput(
                            stderr:
                                "error: no spec given and no `Mappings/*.mapping.yaml` here; run from the repository root or name a spec\n",
                            exitCode: 2))
                }
                paths = discovered
            }
            paths = try expandDirectories(paths)
        } catch {
            return .failure(CommandOutput(stderr: "error: \(error)\n", exitCode: 2))
        }
        var checked: [CheckedSpec] = []
        var diagnostics: [Diagnostic] = []
        var sources: [String: SourceText] = [:]
        for path in paths {
            do {
                let result = try check(path: path)
                sources[path] = result.source
                diagnostics.append(contentsOf: result.diagnostics.filter(\.isError))
                if let spec = result.checked { checked.append(spec) }
            } catch {
                return .failure(CommandOutput(stderr: "error: cannot read spec \(error)\n", exitCode: 2))
            }
        }
        let names = Dictionary(grouping: checked, by: \.name).filter { $0.value.count > 1 }
        if let duplicate = names.keys.sorted().first {
            return .failure(
                CommandOutput(
                    stderr: "error: two specs are named `\(duplicate)`; each needs its own output folder\n", exitCode: 2
                ))
        }
        if !diagnostics.isEmpty {
            let errors = diagnostics.count
            return .failure(
                CommandOutput(
                    stderr: DiagnosticRenderer.text(diagnostics, sources: sources)
                        + "\(Self.plural(errors, "error")): nothing was written\n",
                    exitCode: 1))
        }
        return .success(checked)
    }

    /// `claimmap compile`: check, then write `<output>/<name>/` atomically, only when bytes differ.
    package func runCompile(specs: [String], output: String) -> CommandOutput {
        let checked: [CheckedSpec]
        switch checkAll(specs) {
        case .failure(let failure): return failure
        case .success(let specs): checked = specs
        }
        var out = CommandOutput()
        do {
            try fileSystem.createDirectory(output)
            for spec in checked {
                let folder = OutputFolder(fileSystem: fileSystem, root: output, name: spec.name)
                let summary = try folder.write(Emitter.files(for: spec))
                if summary.upToDate {
                    out.stdout += "\(folder.target): up to date\n"
                } else {
                    out.stdout +=
                        "\(folder.target): \(summary.written) written, \(summary.unchanged) unchanged, \(summary.removed) removed\n"
                }
            }
        } catch {
            out.stderr += "error: \(error)\n"
            out.exitCode = 2
        }
        return out
    }

    /// Whether a file name in `Generated/<name>/` is one claimmap writes, or wrote in an earlier version
    /// (`deployment.json`), so a stale one can be told from a file someone put there.
    static func isClaimmapOutputName(_ path: String) -> Bool {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        if parts.count == 2 {
            return (parts[0] == "data-actions" && parts[1].hasSuffix(".json"))
                || (parts[0] == "terraform" && parts[1].hasSuffix(".tf"))
        }
        return parts.count == 1
            && [
                "flow.yaml", "archy-options.yaml", "participant-data.json", "guards.json", "deployment.json",
                "deployment-checklist.json", "claims.json", "evaluator.json", "messenger.js", "Evaluator.swift",
                "ClaimMapRuntime.swift",
            ].contains(String(parts[0]))
    }

    /// `claimmap drift`: never writes. Exit 0 when `<output>/` holds exactly what the specs produce; else exit 1
    /// with a unified diff per changed file, missing and stale files, folders whose spec is gone, and the fix.
    package func runDrift(specs: [String], output: String) -> CommandOutput {
        let checked: [CheckedSpec]
        switch checkAll(specs) {
        case .failure(let failure): return failure
        case .success(let specs): checked = specs
        }
        var report = ""
        var problems = 0
        do {
            for spec in checked {
                let folder = OutputFolder(fileSystem: fileSystem, root: output, name: spec.name)
                let contents = try folder.contents()
                let existing = contents.files
                let files = Emitter.files(for: spec)
                // Never followed, read or diffed: a link to /proc/self/environ must not print CI's secrets.
                for entry in contents.foreign {
                    let path = entry.path.isEmpty ? folder.target : "\(folder.target)/\(entry.path)"
                    report +=
                        "not produced by claimmap: \(TerminalText.escaped(path)) is \(entry.kind.noun) (compile replaces the folder)\n"
                    problems += 1
                }
                for stray in contents.strayFolders(producing: files.map(\.path)) {
                    report +=
                        "not produced by claimmap: \(folder.target)/\(TerminalText.escaped(stray))/ (compile replaces the folder)\n"
                    problems += 1
                }
                for file in files {
                    let path = "\(folder.target)/\(file.path)"
                    guard let bytes = existing[file.path] else {
                        report += "missing: \(path)\n"
                        problems += 1
                        continue
                    }
                    let old = String(decoding: bytes, as: UTF8.self)
                    if bytes != Array(file.contents.utf8) {
                        report += UnifiedDiff.diff(
                            old: old, new: file.contents, oldLabel: "a/\(path)", newLabel: "b/\(path)")
                        problems += 1
                    }
                }
                for stale in Set(existing.keys).subtracting(files.map(\.path)).sorted() {
                    let why = Self.isClaimmapOutputName(stale) ? "no longer produced" : "not produced by claimmap"
                    report += "stale: \(folder.target)/\(TerminalText.escaped(stale)) (\(why))\n"
                    problems += 1
                }
            }
            if specs.isEmpty, fileSystem.isDirectory(output) {
                let names = Set(checked.map(\.name))
                for entry in try fileSystem.listDirectory(output)
                where !entry.hasPrefix(".") && fileSystem.isDirectory("\(output)/\(entry)") && !names.contains(entry) {
                    report +=
                        "orphaned: \(output)/\(TerminalText.escaped(entry))/ has no spec Mappings/\(TerminalText.escaped(entry)).mapping.yaml (remove it: rm -r \(output)/\(TerminalText.escaped(entry)))\n"
                    problems += 1
                }
            }
        } catch {
            return CommandOutput(stderr: "error: \(error)\n", exitCode: 2)
        }
        // Success says what was compared (stderr, like check's summary), so a green CI log shows the check ran.
        if problems == 0 {
            return CommandOutput(stderr: "\(output)/ is up to date with \(Self.plural(checked.count, "spec"))\n")
        }
        var command = "claimmap compile"
        if !specs.isEmpty { command += " " + specs.joined(separator: " ") }
        if output != "Generated" { command += " --output \(output)" }
        report +=
            "\(Self.plural(problems, "difference")) between \(output)/ and the specs; fix: \(command) (it overwrites hand edits in \(output)/: make them in the spec)\n"
        return CommandOutput(stdout: report, exitCode: 1)
    }
}
