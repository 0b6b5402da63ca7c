import CClaimMapShims
import Foundation

/// What a path names, without following a final symbolic link (`lstat`).
package enum EntryKind: Sendable, Equatable {
    case missing, file, directory, symlink
    /// A FIFO, socket or device: never a spec or a generated file.
    case other

    package var noun: String {
        switch self {
        case .missing: "nothing"
        case .file: "a file"
        case .directory: "a folder"
        case .symlink: "a symbolic link"
        case .other: "a device, FIFO or socket"
        }
    }
}

/// The driver's only access to files, so tests can run the whole pipeline in memory.
///
/// Two ways to read: `readFile` for a path the user named (followed through links, as a shell would), and
/// `readFileInPlace` for a file found by walking a folder or inside `Generated/` (a symbolic link or anything but a
/// regular file is refused, so a link planted in the repository cannot make claimmap read `/proc/self/environ` or
/// `/dev/zero`). Both read at most `limit` bytes and fail beyond it.
package protocol FileSystem: Sendable {
    func readFile(_ path: String, limit: Int) throws -> [UInt8]
    func readFileInPlace(_ path: String, limit: Int) throws -> [UInt8]
    func entryKind(_ path: String) -> EntryKind
    /// Every entry below `path` (relative paths, sorted), links not followed: files, folders, links and others.
    func listEntriesRecursively(_ path: String) throws -> [(path: String, kind: EntryKind)]
    func fileExists(_ path: String) -> Bool
    func isDirectory(_ path: String) -> Bool
    /// Names (not paths) of the entries of a directory, sorted.
    func listDirectory(_ path: String) throws -> [String]

    func createDirectory(_ path: String) throws
    func writeFile(_ path: String, _ bytes: [UInt8]) throws
    func removeItem(_ path: String) throws
    func rename(_ from: String, to: String) throws
    /// Atomically swaps two paths; false when the platform cannot (the caller falls back to two renames).
    func exchange(_ first: String, _ second: String) -> Bool
    /// Makes `to` another name of the file `from` (keeps its timestamps); false when that is not possible.
    func link(_ from: String, to: String) -> Bool
    /// Flushes a folder's entries to stable storage (`fsync` on the folder), so a rename survives a power cut.
    func synchronizeDirectory(_ path: String) throws
}

/// The default cap of one read: 64 MiB, far above any spec (1 MiB) or generated file.
package let defaultReadLimit = 64 << 20

extension FileSystem {
    package func readFile(_ path: String) throws -> [UInt8] { try readFile(path, limit: defaultReadLimit) }
    package func readFileInPlace(_ path: String) throws -> [UInt8] {
        try readFileInPlace(path, limit: defaultReadLimit)
    }
}

/// The folders a relative path lies in, innermost last: `a/b/c.json` → `a`, `a/b`.
package func parentFolders(of path: String) -> [String] {
    let parts = path.split(separator: "/").dropLast()
    return parts.indices.map { parts[...$0].joined(separator: "/") }
}

package struct FileSystemError: Error, CustomStringConvertible, Sendable {
    package var path: String
    package var reason: String
    package init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }
    package var description: String { "\(path): \(reason)" }
}

/// The real file system.
package struct LocalFileSystem: FileSystem {
    package init() {}

    package func entryKind(_ path: String) -> EntryKind {
        var info = stat()
        guard lstat(path, &info) == 0 else { return .missing }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return .file
        case S_IFDIR: return .directory
        case S_IFLNK: return .symlink
        default: return .other
        }
    }

    package func listEntriesRecursively(_ path: String) throws -> [(path: String, kind: EntryKind)] {
        guard entryKind(path) == .directory else { return [] }
        var entries: [(path: String, kind: EntryKind)] = []
        var pending = [""]
        while let relative = pending.popLast() {
            let folder = relative.isEmpty ? path : "\(path)/\(relative)"
            for name in try listDirectory(folder) {
                let child = relative.isEmpty ? name : "\(relative)/\(name)"
                let kind = entryKind("\(path)/\(child)")
                entries.append((child, kind))
                if kind == .directory { pending.append(child) }
            }
        }
        return entries.sorted { $0.path < $1.path }
    }

    package func createDirectory(_ path: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw FileSystemError(path: path, reason: "cannot create directory")
        }
    }

    /// Writes and `fsync`s the file: once `compile` swaps a folder in, its files are on disk, not just in the page
    /// cache (a power cut after the swap must not leave empty files in `Generated/`).
    package func writeFile(_ path: String, _ bytes: [UInt8]) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw FileSystemError(path: path, reason: "cannot write file") }
        defer { close(descriptor) }
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { raw in
                raw.baseAddress.map { Foundation.write(descriptor, $0 + offset, raw.count - offset) } ?? -1
            }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { throw FileSystemError(path: path, reason: "cannot write file") }
            offset += written
        }
        guard fsync(descriptor) == 0 else { throw FileSystemError(path: path, reason: "cannot flush file to disk") }
    }

    package func synchronizeDirectory(_ path: String) throws {
        let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw FileSystemError(path: path, reason: "cannot open folder") }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw FileSystemError(path: path, reason: "cannot flush folder to disk") }
    }

    package func removeItem(_ path: String) throws {
        guard FileManager.default.fileExists(atPath: path) else { return }
        do {
            try FileManager.default.removeItem(atPath: path)
        } catch {
            throw FileSystemError(path: path, reason: "cannot remove")
        }
    }

    package func rename(_ from: String, to: String) throws {
        guard Foundation.rename(from, to) == 0 else {
            throw FileSystemError(path: from, reason: "cannot rename to \(to): \(String(cString: strerror(errno)))")
        }
    }

    package func exchange(_ first: String, _ second: String) -> Bool {
        claimmap_rename_exchange(first, second) == 0
    }

    package func link(_ from: String, to: String) -> Bool {
        Foundation.link(from, to) == 0
    }

    package func readFile(_ path: String, limit: Int) throws -> [UInt8] {
        if isDirectory(path) { throw FileSystemError(path: path, reason: "is a folder, not a file") }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw FileSystemError(path: path, reason: fileExists(path) ? "cannot be read" : "no such file")
        }
        defer { close(descriptor) }
        return try read(descriptor, path: path, limit: limit)
    }

    package func readFileInPlace(_ path: String, limit: Int) throws -> [UInt8] {
        let kind = entryKind(path)
        guard kind == .file else {
            throw FileSystemError(
                path: path,
                reason: kind == .missing
                    ? "no such file" : "is \(kind.noun), not a regular file; claimmap never follows it")
        }
        // O_NOFOLLOW closes the race between the check above and the open: a link swapped in meanwhile fails.
        let descriptor = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else { throw FileSystemError(path: path, reason: "cannot be read") }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0, info.st_mode & S_IFMT == S_IFREG else {
            throw FileSystemError(path: path, reason: "is not a regular file; claimmap never follows it")
        }
        return try read(descriptor, path: path, limit: limit)
    }

    /// Reads at most `limit` bytes and fails when there is more: an oversized input is reported, never loaded.
    private func read(_ descriptor: Int32, path: String, limit: Int) throws -> [UInt8] {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        while true {
            let count = chunk.withUnsafeMutableBytes { Foundation.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count >= 0 else {
                throw FileSystemError(path: path, reason: "cannot be read: \(String(cString: strerror(errno)))")
            }
            if count == 0 { return bytes }
            guard bytes.count + count <= limit else {
                throw FileSystemError(path: path, reason: "is larger than \(limit) bytes; not read")
            }
            bytes.append(contentsOf: chunk[..<count])
        }
    }

    package func fileExists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }

    package func isDirectory(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    package func listDirectory(_ path: String) throws -> [String] {
        do {
            return try FileManager.default.contentsOfDirectory(atPath: path).sorted()
        } catch {
            throw FileSystemError(path: path, reason: "cannot list directory")
        }
    }
}

/// An in-memory file system for tests: paths map to bytes; directories are implied by paths.
package final class InMemoryFileSystem: FileSystem, @unchecked Sendable {
    private let lock = NSLock()
    private var files: [String: [UInt8]]

    package init(files: [String: String] = [:]) {
        self.files = files.mapValues { Array($0.utf8) }
    }

    package func write(_ path: String, _ text: String) {
        lock.withLock { files[path] = Array(text.utf8) }
    }

    package func readFile(_ path: String, limit: Int) throws -> [UInt8] {
        guard let bytes = lock.withLock({ files[path] }) else {
            throw FileSystemError(path: path, reason: "no such file")
        }
        guard bytes.count <= limit else { throw FileSystemError(path: path, reason: "is larger than \(limit) bytes") }
        return bytes
    }

    package func readFileInPlace(_ path: String, limit: Int) throws -> [UInt8] { try readFile(path, limit: limit) }

    package func entryKind(_ path: String) -> EntryKind {
        if lock.withLock({ files[path] != nil }) { return .file }
        return isDirectory(path) ? .directory : .missing
    }

    package func listEntriesRecursively(_ path: String) throws -> [(path: String, kind: EntryKind)] {
        let files = try listFilesRecursively(path)
        let folders = Set(files.flatMap(parentFolders(of:)))
        return (files.map { ($0, EntryKind.file) } + folders.map { ($0, EntryKind.directory) }).sorted { $0.0 < $1.0 }
    }

    package func fileExists(_ path: String) -> Bool { lock.withLock { files[path] != nil } || isDirectory(path) }

    package func isDirectory(_ path: String) -> Bool {
        let prefix = path.hasSuffix("/") ? path : path + "/"
        return lock.withLock { files.keys.contains { $0.hasPrefix(prefix) } }
    }

    package func listFilesRecursively(_ path: String) throws -> [String] {
        let prefix = path.hasSuffix("/") ? path : path + "/"
        return lock.withLock { files.keys.filter { $0.hasPrefix(prefix) }.map { String($0.dropFirst(prefix.count)) } }
            .sorted()
    }

    package func createDirectory(_ path: String) throws {}

    package func writeFile(_ path: String, _ bytes: [UInt8]) throws {
        lock.withLock { files[path] = bytes }
    }

    package func synchronizeDirectory(_ path: String) throws {}

    package func removeItem(_ path: String) throws {
        let prefix = path + "/"
        lock.withLock {
            files[path] = nil
            for key in files.keys where key.hasPrefix(prefix) { files[key] = nil }
        }
    }

    package func rename(_ from: String, to: String) throws {
        let prefix = from + "/"
        lock.withLock {
            if let bytes = files.removeValue(forKey: from) { files[to] = bytes }
            for key in files.keys where key.hasPrefix(prefix) {
                files[to + "/" + key.dropFirst(prefix.count)] = files.removeValue(forKey: key)
            }
        }
    }

    package func exchange(_ first: String, _ second: String) -> Bool {
        let temporary = first + ".exchange"
        do {
            try rename(first, to: temporary)
            try rename(second, to: first)
            try rename(temporary, to: second)
            return true
        } catch {
            return false
        }
    }

    package func link(_ from: String, to: String) -> Bool {
        lock.withLock {
            guard let bytes = files[from] else { return false }
            files[to] = bytes
            return true
        }
    }

    package func listDirectory(_ path: String) throws -> [String] {
        let prefix = path.hasSuffix("/") ? path : path + "/"
        let names = lock.withLock {
            files.keys.filter { $0.hasPrefix(prefix) }.map {
                String($0.dropFirst(prefix.count).split(separator: "/")[0])
            }
        }
        return Array(Set(names)).sorted()
    }
}
