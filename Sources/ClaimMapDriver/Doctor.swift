import ClaimMapDiagnostics
import ClaimMapEvaluator
import ClaimMapIdP
import ClaimMapJOSE
import ClaimMapRuntime
import Foundation

/// `claimmap doctor SPEC`: one report of what will break on deployment day, from the spec and its live IdP.
extension Driver {
    struct DoctorCheck {
        enum Status: String { case ok, warn, fail }
        var name: String
        var status: Status
        var detail: String
    }

    package func runDoctor(spec: String, network: NetworkOptions, format: ReportFormat) -> CommandOutput {
        let expected: ExpectedIdentity
        let jwksPath: String?
        let program: EvaluatorProgram
        do {
            (expected, jwksPath, program) = try liveTarget(spec)
        } catch {
            return CommandOutput(stderr: "error: \(TerminalText.escaped("\(error)"))\n", exitCode: 2)
        }
        let client: IdPClient
        do {
            client = try IdPClient(caFile: network.caFile, totalSeconds: network.timeoutSeconds)
        } catch {
            return CommandOutput(stderr: "error: \(error)\n", exitCode: 2)
        }
        defer { client.shutdown() }
        var checks: [DoctorCheck] = []
        func add(_ name: String, _ status: DoctorCheck.Status, _ detail: String) {
            checks.append(DoctorCheck(name: name, status: status, detail: detail))
        }
        let now = Int64(Date().timeIntervalSince1970)
        // Discovery and the JWKS, step by step, so each failure is named where it happens.
        var discovery: DiscoveryDocument?
        do {
            let found = try LiveIdentity.discover(expected, client: client)
            discovery = found
            add("discovery", .ok, "\(found.fetched.url) answered (\(found.fetched.body.count) bytes)")
            add("issuer", .ok, "\(JSONValue.quoted(found.issuer)) equals identity.issuer byte for byte")
            add("jwks_uri", .ok, found.jwksURI)
            add(
                "algorithms", .ok,
                "the IdP offers \(found.algorithms.joined(separator: ", ")); the spec allows \(expected.algorithms.joined(separator: ", "))"
            )
            if !found.algorithms.contains("RS256") {
                add("RS256", .warn, "the IdP does not offer RS256, the one algorithm every OIDC provider must support")
            }
            if let date = found.fetched.date, let idpTime = Self.httpDate(date) {
                let skew = now - idpTime
                let leeway = Int64(program.identity.leewaySeconds)
                let text =
                    "this machine is \(abs(skew)) s \(skew >= 0 ? "ahead of" : "behind") the IdP (its Date header); leeway is \(leeway) s"
                add("clock", abs(skew) > leeway ? .fail : abs(skew) * 2 > leeway ? .warn : .ok, text)
            } else {
                add("clock", .warn, "the IdP sent no usable Date header; clock skew not measured")
            }
        } catch {
            add("discovery", .fail, error.description)
        }
        var liveKids: [String]?
        if let discovery {
            do {
                let keys = try LiveIdentity.fetchKeys(at: discovery, client: client).keys
                let found = keys.keys.compactMap(\.kid)
                liveKids = found
                let sizes = Set(keys.keys.map(\.bits)).sorted().map(String.init).joined(separator: "/")
                add(
                    "keys", .ok,
                    "\(keys.keys.count) RSA key\(keys.keys.count == 1 ? "" : "s") (\(sizes) bits, use sig): \(found.map { "\"\($0)\"" }.joined(separator: ", "))"
                )
                for dropped in keys.dropped {
                    add(
                        "keys", .warn,
                        "\(dropped.kid.map { "kid \"\($0)\"" } ?? "a key without kid") is unusable: \(dropped.reason)")
                }
            } catch {
                add("keys", .fail, error.description)
            }
        }
        if let jwksPath {
            if let fileKids = kids(ofJWKSFile: jwksPath) {
                if let liveKids {
                    let stale = fileKids.filter { !liveKids.containsByteEqual($0) }
                    let new = liveKids.filter { !fileKids.containsByteEqual($0) }
                    if stale.isEmpty && new.isEmpty {
                        add("spec kids", .ok, "\(jwksPath) holds the IdP's kids")
                    }
                    if !stale.isEmpty {
                        add(
                            "spec kids", .fail,
                            "\(jwksPath) holds \(stale.map { "\"\($0)\"" }.joined(separator: ", ")), which the IdP no longer publishes: replay and tests verify against retired keys; run `claimmap keys fetch \(spec)`"
                        )
                    }
                    if !new.isEmpty {
                        add(
                            "spec kids", .warn,
                            "the IdP publishes \(new.map { "\"\($0)\"" }.joined(separator: ", ")), not in \(jwksPath): tokens signed with it fail replay with key_not_found; run `claimmap keys fetch \(spec)`"
                        )
                    }
                }
            } else {
                add("spec kids", .warn, "\(jwksPath) is missing or not a JWKS; run `claimmap keys fetch \(spec)`")
            }
        }
        let cacheDirectory = LiveKeys.cacheDirectory()
        let cacheFile = LiveKeys.cacheFile(for: expected.discovery, in: cacheDirectory)
        if let fetchedAt = LiveKeys.cachedAt(expected, cacheDirectory: cacheDirectory) {
            let age = now - fetchedAt
            add(
                "cache", age > LiveKeys.maxCacheAgeSeconds ? .warn : .ok,
                "\(cacheFile): fetched \(age) s ago (--live refetches after \(LiveKeys.maxCacheAgeSeconds) s)")
        } else {
            add("cache", .ok, "no --live cache yet (\(cacheFile))")
        }
        // The spec lints that bite on deployment day.
        if let result = try? check(path: spec) {
            for diagnostic in result.diagnostics
            where [DiagnosticCode.nonceOptional, .emailAsIdentityWithoutEmailVerified].contains(diagnostic.code) {
                add(diagnostic.code == .nonceOptional ? "nonce" : "email_verified", .warn, diagnostic.message)
            }
            if !result.diagnostics.contains(where: { $0.code == .nonceOptional }) {
                add("nonce", .ok, "identity.nonce is required: a replayed token is refused")
            }
        }
        let failures = checks.count { $0.status == .fail }
        let warnings = checks.count { $0.status == .warn }
        var output = CommandOutput(exitCode: failures > 0 ? 1 : 0)
        if format == .json {
            let json = JSONValue.object([
                ("spec", .string(spec)),
                (
                    "checks",
                    .array(
                        checks.map {
                            .object([
                                ("name", .string($0.name)), ("status", .string($0.status.rawValue)),
                                ("detail", .string($0.detail)),
                            ])
                        })
                ),
                ("failures", .number(String(failures))), ("warnings", .number(String(warnings))),
            ])
            output.stdout = json.rendered() + "\n"
        } else {
            var text = "\(spec):\n"
            for check in checks {
                text +=
                    "  \(check.status.rawValue.padding(toLength: 4, withPad: " ", startingAt: 0))  \(check.name): \(TerminalText.escaped(check.detail))\n"
            }
            text += "\(failures) failure\(failures == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s")\n"
            output.stdout = text
        }
        return output
    }

    /// An HTTP date (RFC 9110 §5.6.7, IMF-fixdate: `Sun, 06 Nov 1994 08:49:37 GMT`) in epoch seconds.
    static func httpDate(_ text: String) -> Int64? {
        let parts = text.split(separator: " ")
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        guard parts.count == 6, parts[5] == "GMT", let day = Int(parts[1]),
            let month = months.firstIndex(of: String(parts[2])), let year = Int(parts[3])
        else { return nil }
        let time = parts[4].split(separator: ":").compactMap { Int($0) }
        guard time.count == 3 else { return nil }
        let text = String(format: "%04d-%02d-%02dT%02d:%02d:%02dZ", year, month + 1, day, time[0], time[1], time[2])
        return Value.parseRFC3339(text).map { $0 / 1000 }
    }
}
