import ClaimMapEmitters
import Foundation

/// Writes one spec's outputs to `<root>/<name>/` atomically (docs/decisions.md, Atomic output): the new folder is built
/// in a sibling staging folder and swapped in with one `renameat2(RENAME_EXCHANGE)` (or, where that is unavailable,
/// move-aside then move-in), so an interrupted run leaves the old or the new folder whole. Files whose bytes did not
/// change are hard-linked from the old folder, keeping their timestamps. Stale staging folders of earlier, interrupted
/// runs are removed first.
struct OutputFolder {
    let fileSystem: any FileSystem
    let root: String
    let name: String

    var target: String { "\(root)/\(name)" }

    struct Summary: Equatable {
        var written = 0
        var unchanged = 0
        var removed = 0
        var upToDate: Bool { written == 0 && removed == 0 }
    }

    /// The target folder as it is, read in one walk without following any link: its regular files (relative
    /// path → bytes), every entry claimmap never writes (a symbolic link, a device or FIFO, the target itself when
    /// it is not a folder), which is never followed or read, and its folders.
    struct Contents {
        var files: [String: [UInt8]] = [:]
        var foreign: [(path: String, kind: EntryKind)] = []
        var folders: [String] = []

        /// Folders that hold no file claimmap produces (empty, or with foreign entries only).
        func strayFolders(producing paths: [String]) -> [String] {
            let produced = Set(paths.flatMap(parentFolders(of:)))
            return folders.filter { !produced.contains($0) }
        }
    }

    func contents() throws -> Contents {
        let kind = fileSystem.entryKind(target)
        guard kind == .directory else { return Contents(foreign: kind == .missing ? [] : [("", kind)]) }
        var contents = Contents()
        for entry in try fileSystem.listEntriesRecursively(target) {
            switch entry.kind {
            case .file: contents.files[entry.path] = try fileSystem.readFileInPlace("\(target)/\(entry.path)")
            case .directory: contents.folders.append(entry.path)
            case .missing: continue
            case .symlink, .other: contents.foreign.append(entry)
            }
        }
        return contents
    }

    private func cleanStale() throws {
        guard fileSystem.isDirectory(root) else { return }
        let prefixes = [".\(name).staging-", ".\(name).old-"]
        for entry in try fileSystem.listDirectory(root) where prefixes.contains(where: entry.hasPrefix) {
            // A move-aside that was interrupted before the move-in: restore the old folder first.
            if entry.hasPrefix(".\(name).old-") && !fileSystem.fileExists(target) {
                try fileSystem.rename("\(root)/\(entry)", to: target)
                continue
            }
            try fileSystem.removeItem("\(root)/\(entry)")
        }
    }

    func write(_ files: [GeneratedFile]) throws -> Summary {
        try cleanStale()
        let current = try contents()
        let old = current.files
        var summary = Summary()
        let contents = files.map { Array($0.contents.utf8) }
        for (file, bytes) in zip(files, contents) {
            if old[file.path] == bytes { summary.unchanged += 1 } else { summary.written += 1 }
        }
        summary.removed =
            Set(old.keys).subtracting(files.map(\.path)).count + current.foreign.count
            + current.strayFolders(producing: files.map(\.path)).count
        if summary.upToDate { return summary }
        let token = "\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0...UInt32.max))"
        let staging = "\(root)/.\(name).staging-\(token)"
        try fileSystem.createDirectory(staging)
        var folders: Set<String> = [staging]
        for (file, bytes) in zip(files, contents) {
            let path = "\(staging)/\(file.path)"
            if let slash = file.path.range(of: "/", options: .backwards) {
                try fileSystem.createDirectory("\(staging)/\(file.path[..<slash.lowerBound])")
                // Every folder on the way holds a new entry to flush.
                var folder = file.path[..<slash.lowerBound]
                while !folder.isEmpty {
                    folders.insert("\(staging)/\(folder)")
                    folder = folder.range(of: "/", options: .backwards).map { folder[..<$0.lowerBound] } ?? ""
                }
            }
            if old[file.path] == bytes, fileSystem.link("\(target)/\(file.path)", to: path) { continue }
            try fileSystem.writeFile(path, bytes)
        }
        // Files and folder entries reach the disk before the swap makes them Generated/ (the files were fsynced as
        // they were written).
        for folder in folders.sorted(by: >) { try fileSystem.synchronizeDirectory(folder) }
        Self.testPause()
        defer { try? fileSystem.synchronizeDirectory(root) }
        if !fileSystem.fileExists(target) {
            try fileSystem.rename(staging, to: target)
        } else if fileSystem.exchange(staging, target) {
            try fileSystem.removeItem(staging)
        } else {
            let aside = "\(root)/.\(name).old-\(token)"
            try fileSystem.rename(target, to: aside)
            try fileSystem.rename(staging, to: target)
            try fileSystem.removeItem(aside)
        }
        return summary
    }

    /// Test hook: `CLAIMMAP_TEST_PAUSE_BEFORE_SWAP_MS` makes `compile` wait with the staging folder complete and
    /// the swap not yet done, so a test can kill it at that exact point. Unset in normal use.
    private static func testPause() {
        guard let text = ProcessInfo.processInfo.environment["CLAIMMAP_TEST_PAUSE_BEFORE_SWAP_MS"],
            let ms = UInt32(text)
        else {
            return
        }
        usleep(ms * 1000)
    }
}
