import ClaimMapJOSE
import ClaimMapRuntime
import Crypto
import Foundation

/// What the spec expects of its identity provider (from `identity:`).
public struct ExpectedIdentity: Sendable {
    public var discovery: String
    public var issuer: String
    public var algorithms: [String]

    public init(discovery: String, issuer: String, algorithms: [String]) {
        self.discovery = discovery
        self.issuer = issuer
        self.algorithms = algorithms
    }
}

/// An OpenID Provider's discovery document, checked against the spec.
public struct DiscoveryDocument: Sendable {
    public var issuer: String
    public var jwksURI: String
    public var algorithms: [String]
    public var fetched: FetchedDocument
}

/// A JWKS fetched from `jwks_uri`, loaded under the key policy.
public struct FetchedKeys: Sendable {
    public var discovery: DiscoveryDocument
    public var document: FetchedDocument
    public var keys: JWKS
    /// The kids of the keys kept, in document order.
    public var kids: [String] { keys.keys.compactMap(\.kid) }
}

/// OIDC Discovery 1.0 and the JWKS it points to, checked against the spec.
public enum LiveIdentity {
    /// GETs and checks the discovery document: a JSON object whose `issuer` equals `identity.issuer` byte for
    /// byte (OIDC Discovery §4.3), whose `jwks_uri` may be fetched (https), and whose
    /// `id_token_signing_alg_values_supported` (REQUIRED, §3) offers every algorithm the spec allows.
    public static func discover(_ expected: ExpectedIdentity, client: IdPClient) throws(IdPError) -> DiscoveryDocument {
        let fetched = try client.get(expected.discovery, what: "discovery")
        let json: JSONValue
        do {
            json = try StrictJSONReader(maxDepth: 32).parse(fetched.body)
        } catch {
            throw .network("discovery: \(fetched.url) is not JSON (\(error))")
        }
        guard case .object = json else { throw .network("discovery: \(fetched.url) is not a JSON object") }
        guard case .string(let issuer)? = json[member: "issuer"] else {
            throw .contradiction("discovery: the document has no `issuer` string")
        }
        guard issuer.isByteEqual(to: expected.issuer) else {
            throw .contradiction(
                "discovery: the IdP's issuer \(JSONValue.quoted(issuer)) is not identity.issuer \(JSONValue.quoted(expected.issuer)) (compared byte for byte; OIDC Discovery §4.3); tokens carry the IdP's value in `iss`, so the spec would reject every one"
            )
        }
        guard case .string(let jwksURI)? = json[member: "jwks_uri"] else {
            throw .contradiction("discovery: the document has no `jwks_uri` string")
        }
        if let problem = IdPClient.urlProblem(jwksURI) { throw .contradiction("discovery: jwks_uri \(problem)") }
        guard case .array(let offered)? = json[member: "id_token_signing_alg_values_supported"] else {
            throw .contradiction(
                "discovery: the document has no `id_token_signing_alg_values_supported` list (required by OIDC Discovery §3)"
            )
        }
        let algorithms = offered.compactMap { value -> String? in
            if case .string(let text) = value { return text }
            return nil
        }
        let missing = expected.algorithms.filter { !algorithms.containsByteEqual($0) }
        if !missing.isEmpty {
            throw .contradiction(
                "discovery: the IdP signs ID tokens with \(algorithms.joined(separator: ", ")), not with \(missing.joined(separator: ", ")) that identity.algorithms allows; list only what the IdP offers (and never HS* or none)"
            )
        }
        return DiscoveryDocument(issuer: issuer, jwksURI: jwksURI, algorithms: algorithms, fetched: fetched)
    }

    /// Discovery, then the JWKS at `jwks_uri`, loaded under the key policy; at least one key must survive it.
    public static func fetchKeys(_ expected: ExpectedIdentity, client: IdPClient) throws(IdPError) -> FetchedKeys {
        try fetchKeys(at: try discover(expected, client: client), client: client)
    }

    /// The JWKS at a checked discovery document's `jwks_uri`, under the key policy.
    public static func fetchKeys(at discovery: DiscoveryDocument, client: IdPClient) throws(IdPError) -> FetchedKeys {
        let document = try client.get(discovery.jwksURI, what: "jwks_uri")
        let keys = try load(document.body, from: document.url)
        return FetchedKeys(discovery: discovery, document: document, keys: keys)
    }

    /// A JWKS body under the key policy: not JSON is the IdP's fault (exit 2); a set the policy refuses, or one
    /// with no usable key, contradicts what the spec needs (exit 1).
    public static func load(_ body: [UInt8], from url: String) throws(IdPError) -> JWKS {
        guard (try? StrictJSONReader(maxDepth: 16).parse(body)) != nil else {
            throw .network("jwks_uri: \(url) is not JSON")
        }
        let keys: JWKS
        do {
            keys = try JWKS(bytes: body)
        } catch {
            throw .contradiction("jwks_uri: \(url): \(error.detail)")
        }
        if keys.keys.isEmpty {
            let reasons = keys.dropped.map { "\($0.kid.map { "kid \"\($0)\"" } ?? "a key without kid"): \($0.reason)" }
            throw .contradiction(
                "jwks_uri: \(url) holds no key the key policy accepts (RSA ≥ 2048 bits, e = 65537, use sig)"
                    + (reasons.isEmpty ? "" : ": " + reasons.joined(separator: "; ")))
        }
        return keys
    }
}

/// The keys of a `--live` run: from the cache folder when fresh, else from the IdP; the first unknown kid of a run
/// triggers one refetch (the IdP may have rotated since), then none for `cooldown` seconds, whoever asks (the lock makes it one decision for all workers), so a
/// stream of forged kids cannot hammer the IdP. The spec's tracked `identity.jwks` file is never written here.
public final class LiveKeys: @unchecked Sendable {
    public let expected: ExpectedIdentity
    public let cacheFile: String
    public let cooldownSeconds: Int64
    /// A cached JWKS older than this is fetched again at the start of a run.
    public static let maxCacheAgeSeconds: Int64 = 3600
    private let client: IdPClient
    private let lock = NSLock()
    /// The keys in hand and the JWKS body they came from (`test --live` adds its run key to the body).
    private var jwks: JWKS
    private var bodies: [UInt8]
    /// When this run last refetched for an unknown kid (epoch seconds).
    private var lastRefetch: Int64?
    /// Counts the key sets this run has held: a worker that missed a kid in generation `g` and finds a later one in
    /// hand retries with it instead of refetching (another worker already did).
    private var generation = 0

    /// `$XDG_CACHE_HOME/claimmap`, else `$HOME/.cache/claimmap`.
    public static func cacheDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let xdg = environment["XDG_CACHE_HOME"], xdg.hasPrefix("/") { return xdg + "/claimmap" }
        return (environment["HOME"] ?? NSTemporaryDirectory()) + "/.cache/claimmap"
    }

    /// The cache file of a discovery URL: its SHA-256, so no URL text becomes a path.
    public static func cacheFile(for discovery: String, in directory: String) -> String {
        let digest = SHA256.hash(data: Array(discovery.utf8)).map { String(format: "%02x", $0) }.joined()
        return "\(directory)/jwks-\(digest.prefix(32)).json"
    }

    public init(
        _ expected: ExpectedIdentity, client: IdPClient, cacheDirectory: String, cooldownSeconds: Int64,
        now: Int64 = Int64(Date().timeIntervalSince1970)
    ) throws(IdPError) {
        self.expected = expected
        self.client = client
        self.cooldownSeconds = cooldownSeconds
        cacheFile = Self.cacheFile(for: expected.discovery, in: cacheDirectory)
        if let cached = Self.readCache(cacheFile, expected: expected), now - cached.fetchedAt >= 0,
            now - cached.fetchedAt < Self.maxCacheAgeSeconds
        {
            jwks = cached.keys
            bodies = cached.body
            return
        }
        let fetched = try LiveIdentity.fetchKeys(expected, client: client)
        jwks = fetched.keys
        bodies = fetched.document.body
        Self.writeCache(cacheFile, expected: expected, fetched: fetched, fetchedAt: now)
    }

    public var keys: JWKS {
        lock.lock()
        defer { lock.unlock() }
        return jwks
    }

    /// The keys in hand and their generation, read together (for `refetch(after:)`).
    public var current: (keys: JWKS, generation: Int) {
        lock.lock()
        defer { lock.unlock() }
        return (jwks, generation)
    }

    /// The JWKS body in hand (for `test --live`, which adds its run key to it).
    public var body: [UInt8] {
        lock.lock()
        defer { lock.unlock() }
        return bodies
    }

    /// An unknown kid: refetch once unless another refetch happened within the cooldown. Returns the keys to try
    /// again with (nil: no new keys) and what was done, for the rejection's detail.
    /// `seen` is the generation the caller looked the kid up in: when the keys have changed since (another worker of
    /// this run refetched while this one verified), they are returned without a fetch.
    public func refetch(after seen: Int? = nil, now: Int64 = Int64(Date().timeIntervalSince1970)) -> (JWKS?, String) {
        lock.lock()
        defer { lock.unlock() }
        if let seen, seen != generation {
            return (jwks, "the JWKS was refetched meanwhile")
        }
        if let last = lastRefetch, now - last < cooldownSeconds {
            return (nil, "not refetched: the JWKS was fetched \(now - last) s ago (cooldown \(cooldownSeconds) s)")
        }
        lastRefetch = now
        do {
            let fetched = try LiveIdentity.fetchKeys(expected, client: client)
            jwks = fetched.keys
            bodies = fetched.document.body
            generation += 1
            Self.writeCache(cacheFile, expected: expected, fetched: fetched, fetchedAt: now)
            return (fetched.keys, "refetched the JWKS from \(fetched.discovery.jwksURI)")
        } catch {
            return (nil, "the refetch failed: \(error)")
        }
    }

    /// When the cache entry for `expected` was fetched (epoch seconds), or nil when there is no usable one.
    public static func cachedAt(_ expected: ExpectedIdentity, cacheDirectory: String) -> Int64? {
        readCache(cacheFile(for: expected.discovery, in: cacheDirectory), expected: expected)?.fetchedAt
    }

    struct Cached {
        var keys: JWKS
        var body: [UInt8]
        var fetchedAt: Int64
    }

    /// The cache entry, when it is for this discovery URL and issuer and its keys still load.
    static func readCache(_ path: String, expected: ExpectedIdentity) -> Cached? {
        guard let data = FileManager.default.contents(atPath: path),
            let json = try? StrictJSONReader(maxDepth: 16).parse([UInt8](data)),
            case .string(let discovery)? = json[member: "discovery"], discovery.isByteEqual(to: expected.discovery),
            case .string(let issuer)? = json[member: "issuer"], issuer.isByteEqual(to: expected.issuer),
            case .string? = json[member: "jwks_uri"], case .string(let text)? = json[member: "jwks"],
            case .number(let at)? = json[member: "fetchedAt"], let fetchedAt = Int64(at),
            let keys = try? JWKS(bytes: Array(text.utf8)), !keys.keys.isEmpty
        else { return nil }
        return Cached(keys: keys, body: Array(text.utf8), fetchedAt: fetchedAt)
    }

    /// Writes the cache entry atomically (a temporary file renamed over it) in a 0700 folder; a cache that cannot
    /// be written only costs a fetch next time.
    static func writeCache(_ path: String, expected: ExpectedIdentity, fetched: FetchedKeys, fetchedAt: Int64) {
        let directory = (path as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(
            atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let entry = JSONValue.object([
            ("discovery", .string(expected.discovery)), ("issuer", .string(expected.issuer)),
            ("jwks_uri", .string(fetched.discovery.jwksURI)), ("fetchedAt", .number(String(fetchedAt))),
            ("jwks", .string(String(decoding: fetched.document.body, as: UTF8.self))),
        ])
        let temporary = "\(path).\(UUID().uuidString).tmp"
        guard FileManager.default.createFile(atPath: temporary, contents: Data(entry.rendered().utf8)) else { return }
        if rename(temporary, path) != 0 { try? FileManager.default.removeItem(atPath: temporary) }
    }
}
