import AsyncHTTPClient
import ClaimMapRuntime
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL

/// Why talking to the identity provider failed, and so the exit code: `usage` and `network` 2, `contradiction` 1
/// (the IdP answered, and what it said contradicts the spec).
public enum IdPError: Error, CustomStringConvertible, Sendable {
    case usage(String)
    case network(String)
    case contradiction(String)

    public var description: String {
        switch self {
        case .usage(let message), .network(let message), .contradiction(let message): message
        }
    }

    public var exitCode: Int32 {
        switch self {
        case .contradiction: 1
        case .usage, .network: 2
        }
    }
}

/// One document fetched from the IdP: its final URL (after redirects), body and `Date` header.
public struct FetchedDocument: Sendable {
    public var url: String
    public var body: [UInt8]
    /// The response's `Date` header (RFC 9110 IMF-fixdate), for the clock-skew check.
    public var date: String?
}

/// GET over HTTPS with the network rules of docs/decisions.md ("The live identity provider"):
/// - https only, except http to a loopback address (a local IdP); a redirect never goes from https to http;
/// - the system trust store, plus `--ca-file` roots;
/// - a connect timeout and one deadline for the whole command (default 10 s);
/// - bodies capped at 1 MiB; at most 3 redirects, each checked like the first URL;
/// - no request carries a token, a cookie or credentials: only `Accept` and `User-Agent`.
/// Built on async-http-client (SwiftNIO); the synchronous API blocks the calling thread, never an event loop.
public final class IdPClient: @unchecked Sendable {
    public static let maxBodyBytes = 1 << 20
    public static let maxRedirects = 3
    private let client: HTTPClient
    private let deadline: NIODeadline
    private var isShutDown = false
    private let lock = NSLock()

    /// - Parameters:
    ///   - caFile: PEM file of extra trusted roots (a test or corporate CA), added to the system's.
    ///   - totalSeconds: the deadline for everything this client fetches.
    public init(caFile: String?, totalSeconds: Int64 = 10) throws(IdPError) {
        guard totalSeconds > 0, totalSeconds <= 300 else {
            throw .usage("--timeout must be 1 ... 300 seconds")
        }
        var tls = TLSConfiguration.makeClientConfiguration()
        if let caFile {
            guard FileManager.default.fileExists(atPath: caFile) else {
                throw .usage("cannot read --ca-file \(caFile): no such file")
            }
            do {
                let certificates = try NIOSSLCertificate.fromPEMFile(caFile)
                guard !certificates.isEmpty else { throw IdPError.usage("--ca-file \(caFile) holds no certificate") }
                tls.additionalTrustRoots = [.certificates(certificates)]
            } catch let error as IdPError {
                throw error
            } catch {
                throw .usage("--ca-file \(caFile) is not a PEM certificate file (\(error))")
            }
        }
        var configuration = HTTPClient.Configuration(
            tlsConfiguration: tls, redirectConfiguration: .disallow,
            timeout: .init(connect: .seconds(min(5, totalSeconds)), read: .seconds(totalSeconds)))
        configuration.httpVersion = .http1Only
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        deadline = .now() + .seconds(totalSeconds)
    }

    deinit {
        shutdown()
    }

    public func shutdown() {
        lock.lock()
        defer { lock.unlock() }
        guard !isShutDown else { return }
        isShutDown = true
        // Not waited for: closing a TLS connection the IdP has stalled waits for the IdP's close_notify, which
        // would outlast the deadline the user asked for. The connections close as the process ends.
        _ = client.shutdown()
    }

    /// Whether `host` names this machine: `localhost`, 127.0.0.0/8 or ::1.
    public static func isLoopback(_ host: String) -> Bool {
        let host = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        if host.lowercased() == "localhost" || host == "::1" { return true }
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts[0] == "127" && parts.allSatisfy { UInt8($0) != nil }
    }

    /// Why `text` may not be fetched, or nil: https, or http to a loopback address; no user information.
    public static func urlProblem(_ text: String) -> String? {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), let host = url.host, !host.isEmpty
        else { return "`\(text)` is not an absolute URL" }
        if url.user != nil || url.password != nil { return "`\(text)` carries user information" }
        switch scheme {
        case "https": return nil
        case "http":
            return isLoopback(host) ? nil : "`\(text)` is http; only https is allowed (http only to a loopback address)"
        default: return "`\(text)` is \(scheme); only https is allowed"
        }
    }

    /// GETs `url`, following at most 3 redirects; the final response must be 200.
    public func get(_ url: String, what: String) throws(IdPError) -> FetchedDocument {
        var current = url
        for hop in 0...Self.maxRedirects {
            if let problem = Self.urlProblem(current) { throw .usage("\(what): \(problem)") }
            let response = try fetchOnce(current, what: what)
            let status = response.status.code
            if (300..<400).contains(status), status != 304 {
                guard hop < Self.maxRedirects else {
                    throw .network("\(what): more than \(Self.maxRedirects) redirects from \(url)")
                }
                guard let location = response.headers.first(name: "Location"),
                    let next = URL(string: location, relativeTo: URL(string: current))?.absoluteString
                else { throw .network("\(what): \(current) answered \(status) without a usable Location") }
                if current.lowercased().hasPrefix("https:") && next.lowercased().hasPrefix("http:") {
                    throw .network("\(what): \(current) redirects from https to http (\(next)); refused")
                }
                current = next
                continue
            }
            guard status == 200 else { throw .network("\(what): \(current) answered HTTP \(status)") }
            var body = response.body ?? ByteBuffer()
            let bytes = body.readBytes(length: body.readableBytes) ?? []
            return FetchedDocument(url: current, body: bytes, date: response.headers.first(name: "Date"))
        }
        throw .network("\(what): more than \(Self.maxRedirects) redirects from \(url)")
    }

    private func fetchOnce(_ url: String, what: String) throws(IdPError) -> HTTPClient.Response {
        let request: HTTPClient.Request
        do {
            request = try HTTPClient.Request(
                url: url, method: .GET,
                headers: ["Accept": "application/json", "User-Agent": "claimmap"])
        } catch {
            throw .usage("\(what): `\(url)` is not a URL claimmap can fetch (\(error))")
        }
        let delegate = ResponseAccumulator(request: request, maxBodySize: Self.maxBodyBytes)
        do {
            return try client.execute(request: request, delegate: delegate, deadline: deadline).futureResult.wait()
        } catch is ResponseAccumulator.ResponseTooBigError {
            throw .network("\(what): \(url) sent a body over \(Self.maxBodyBytes) bytes (1 MiB); refused")
        } catch let error as HTTPClientError {
            switch error {
            case .deadlineExceeded, .readTimeout:
                throw .network("\(what): \(url) did not answer in time (timeout)")
            case .connectTimeout:
                throw .network("\(what): cannot connect to \(url) (connect timeout)")
            default:
                throw .network("\(what): \(url): \(error)")
            }
        } catch {
            throw .network("\(what): \(url): \(Self.describe(error))")
        }
    }

    static func describe(_ error: any Error) -> String {
        let text = String(describing: error)
        if text.contains("connectionRefused") || text.contains("Connection refused") { return "connection refused" }
        if text.contains("handshakeFailed") || text.contains("certificate") || text.contains("CERTIFICATE") {
            return
                "TLS handshake failed: the server's certificate is not trusted (give --ca-file for a private CA) [\(text)]"
        }
        return text
    }
}
