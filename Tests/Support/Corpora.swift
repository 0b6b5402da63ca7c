import Foundation

/// Locates `../shared/corpora` beside the repository (where the workplace and CI put it).
public enum Corpora {
    public static var root: URL {
        repository.deletingLastPathComponent().appendingPathComponent("shared/corpora")
    }

    /// The repository root (this file is `Tests/Support/Corpora.swift`).
    public static var repository: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
    }

    public static func directory(_ name: String) -> URL { root.appendingPathComponent(name) }
}
