import Foundation

/// Locates `../shared/corpora` beside the repository (where the workplace and CI put it).
enum Corpora {
    static var root: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/corpora")
    }

    static func directory(_ name: String) -> URL { root.appendingPathComponent(name) }
}
