import Foundation

/// The driver's only access to files, so tests can run the whole pipeline in memory.
package protocol FileSystem: Sendable {
    func readFile(_ path: String) throws -> [UInt8]
    func fileExists(_ path: String) -> Bool
    func isDirectory(_ path: String) -> Bool
    /// Names (not paths) of the entries of a directory, sorted.
    func listDirectory(_ path: String) throws -> [String]
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

    package func readFile(_ path: String) throws -> [UInt8] {
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
