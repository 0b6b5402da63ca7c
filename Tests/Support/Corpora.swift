import Foundation

/// The test corpora vendored under `Tests/Corpora/` (each folder with its licence and a `SOURCE` file), and the
/// repository root. Tests read nothing outside the repository.
public enum Corpora {
    /// A vendored corpus file or folder that is not there: a test failure naming it, never a silent skip.
    public struct Missing: Error, CustomStringConvertible {
        public var path: String
        public var description: String {
            "vendored test corpus `Tests/Corpora/\(path)` is missing; it is tracked in git "
                + "(`git checkout -- Tests/Corpora`), see Tests/Corpora/README.md"
        }
    }

    public static var root: URL { repository.appendingPathComponent("Tests/Corpora") }

    /// The repository root (this file is `Tests/Support/Corpora.swift`).
    public static var repository: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
    }

    /// `Tests/Corpora/<name>`, which must exist.
    public static func directory(_ name: String) throws -> URL {
        let url = root.appendingPathComponent(name)
        guard FileManager.default.fileExists(atPath: url.path) else { throw Missing(path: name) }
        return url
    }
}
