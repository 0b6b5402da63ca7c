import ClaimMapDiagnostics
import ClaimMapSemantics
import ClaimMapSyntax

/// Runs the compiler stages in order for each spec and stops after a stage that produced errors:
/// bytes → `YAMLReader` → `SpecParser` (`SpecDocument`) → `TypeChecker` (`CheckedSpec`).
package struct Driver: Sendable {
    package let fileSystem: any FileSystem

    package init(fileSystem: any FileSystem = LocalFileSystem()) {
        self.fileSystem = fileSystem
    }

    /// The outcome of checking one spec file.
    package struct SpecResult: Sendable {
        package var path: String
        package var source: SourceText
        package var diagnostics: [Diagnostic]
        package var checked: CheckedSpec?
        package var hasErrors: Bool { diagnostics.contains { $0.isError } }
    }

    /// The suffix every spec file carries.
    package static let specSuffix = ".mapping.yaml"

    /// `<name>` of `<name>.mapping.yaml`, or nil when the file name does not follow the convention.
    package static func specName(forPath path: String) -> String? {
        let file = path.split(separator: "/").last.map(String.init) ?? path
        guard file.hasSuffix(specSuffix) else { return nil }
        let name = String(file.dropLast(specSuffix.count))
        guard !name.isEmpty,
            name.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" })
        else { return nil }
        return name
    }

    /// Every `*.mapping.yaml` directly in `directory`, sorted. A spec found this way is never followed through a
    /// symbolic link (nor read when it is a device or FIFO): that is an error naming it, so a link planted in
    /// `Mappings/` cannot make claimmap read, and print in a diagnostic, a file outside the repository.
    package func discoverSpecs(in directory: String = "Mappings", suffix: String = Driver.specSuffix) throws -> [String]
    {
        let paths = try fileSystem.listDirectory(directory).filter { $0.hasSuffix(suffix) }.map { "\(directory)/\($0)" }
        for path in paths {
            let kind = fileSystem.entryKind(path)
            guard kind == .file else {
                throw FileSystemError(
                    path: path,
                    reason: "is \(kind.noun), not a regular file; specs found in a folder are never followed "
                        + "(name the file it points to on the command line)")
            }
        }
        return paths
    }

    /// The largest spec read: one byte over the reader's limit, so the reader reports the size with its code.
    static let specReadLimit = YAMLReader.Limits().maxFileBytes + 1

    /// Checks one spec file. I/O failures throw; everything about the content is a diagnostic. A spec named on the
    /// command line is read through its links, as the user asked; one found in a folder was checked above.
    package func check(path: String) throws -> SpecResult {
        let bytes = try fileSystem.readFile(path, limit: Self.specReadLimit)
        return check(path: path, bytes: bytes)
    }

    package func check(path: String, bytes: [UInt8]) -> SpecResult {
        var bag = DiagnosticBag(file: path)
        var reader = YAMLReader()
        let read = reader.read(bytes)
        let source = SourceText(path: path, text: read.text)
        bag.append(contentsOf: read.diagnostics)
        guard let name = Self.specName(forPath: path) else {
            bag.append(
                SpecDiagnostics.badSpecName(path.split(separator: "/").last.map(String.init) ?? path, path: path))
            return SpecResult(path: path, source: source, diagnostics: bag.sorted, checked: nil)
        }
        guard !read.hasErrors, let root = read.root else {
            return SpecResult(path: path, source: source, diagnostics: bag.sorted, checked: nil)
        }
        let (document, parseDiagnostics) = SpecParser.parse(root: root, text: read.text, path: path)
        bag.append(contentsOf: parseDiagnostics)
        guard let document, !bag.hasErrors else {
            return SpecResult(path: path, source: source, diagnostics: bag.sorted, checked: nil)
        }
        let (checked, checkDiagnostics) = TypeChecker.check(document, specName: name)
        bag.append(contentsOf: checkDiagnostics)
        return SpecResult(path: path, source: source, diagnostics: bag.sorted, checked: checked)
    }
}
