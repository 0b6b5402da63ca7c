import Foundation
import PackagePlugin

/// Embeds text the emitters ship verbatim into the target that writes it, at build time: the source files of the
/// ClaimMapRuntime module (every `Generated/<name>/ClaimMapRuntime.swift` is them) and the page script's fixed
/// JavaScript (`PageScript/*.js` beside the target's sources). What ships is then what this build compiled and
/// tested; no copy of either lives in a Swift string literal (docs/decisions.md, One evaluator runtime).
@main
struct EmbedSources: BuildToolPlugin {
    struct Missing: Error, CustomStringConvertible {
        var description: String
    }

    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        guard let runtime = context.package.targets.first(where: { $0.name == "ClaimMapRuntime" }),
            let runtimeSources = runtime as? SourceModuleTarget, let module = target as? SourceModuleTarget
        else { throw Missing(description: "EmbedSources needs the ClaimMapRuntime target and a source target") }
        let swiftFiles = runtimeSources.sourceFiles(withSuffix: "swift").map(\.url).sorted {
            $0.lastPathComponent < $1.lastPathComponent
        }
        let pageScriptFolder = module.directoryURL.appendingPathComponent("PageScript")
        let scripts = try FileManager.default.contentsOfDirectory(
            at: pageScriptFolder, includingPropertiesForKeys: nil
        ).filter { $0.pathExtension == "js" }.sorted { $0.lastPathComponent < $1.lastPathComponent }
        let output = context.pluginWorkDirectoryURL.appendingPathComponent("EmbeddedSources.swift")
        return [
            .buildCommand(
                displayName: "Embedding the runtime and page-script sources into \(target.name)",
                executable: try context.tool(named: "EmbedSourcesTool").url,
                arguments: [output.path, "runtime"] + swiftFiles.map(\.path) + ["--", "pageScript"]
                    + scripts.map(\.path),
                inputFiles: swiftFiles + scripts,
                outputFiles: [output])
        ]
    }
}
