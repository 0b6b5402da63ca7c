import CClaimMapShims
import Foundation

/// The driver's only access to files, so tests can run the whole pipeline in memory.
package protocol FileSystem: Sendable {
    func readFile(_ path: String) throws -> [UInt8]
    func fileExists(_ path: String) -> Bool
    func isDirectory(_ path: String) -> Bool
    /// Names (not paths) of the entries of a directory, sorted.
    func listDirectory(_ path: String) throws -> [String]
    /// Paths of every regular file below `path`, relative to it, sorted; empty when `path` does not exist.
    func listFilesRecursively(_ path: String) throws -> [String]

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

    package func listFilesRecursively(_ path: String) throws -> [String] {
        guard isDirectory(path) else { return [] }
        guard let enumerator = FileManager.default.enumerator(atPath: path) else {
            throw FileSystemError(path: path, reason: "cannot list directory")
        }
        var files: [String] = []
        while let relative = enumerator.nextObject() as? String {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: path + "/" + relative, isDirectory: &isDirectory),
                !isDirectory.boolValue
            {
                files.append(relative)
            }
        }
        return files.sorted()
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

    package func readFile(_ path: String) throws -> [UInt8] {
        if isDirectory(path) { throw FileSystemError(path: path, reason: "is a folder, not a file") }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw FileSystemError(path: path, reason: fileExists(path) ? "cannot be read" : "no such file")
        }
        defer { try? handle.close() }
        do {
            // Read one byte past the spec limit at most: an oversized file is reported, never loaded whole.
            let data = try handle.read(upToCount: 64 << 20) ?? Data()
            return [UInt8](data)
        } catch {
            throw FileSystemError(path: path, reason: "cannot be read: \(error.localizedDescription)")
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

    package func readFile(_ path: String) throws -> [UInt8] {
        guard let bytes = lock.withLock({ files[path] }) else {
            throw FileSystemError(path: path, reason: "no such file")
        }
        return bytes
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
