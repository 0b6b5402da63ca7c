import ClaimMapDiagnostics

/// `Mappings/<name>.tests.yaml` (docs/language.md, The tests file), read with the same strict reader as specs. Values
/// stay YAML nodes: they are typed later by the spec's claim and variable types.
package struct TestsDocument: Sendable {
    package var spec: Located<String>
    package var now: Located<String>?
    package var cases: [TestCaseDecl]
}

package struct TestCaseDecl: Sendable {
    package var name: Located<String>
    package var claims: [(key: YAMLScalar, value: YAMLNode)]?
    package var raw: [(key: YAMLScalar, value: YAMLNode)]?
    package var token: Located<String>?
    package var guest: Bool
    package var nonce: Located<String>?
    /// Enrichment or guarded action name → `fail` or a mapping of values.
    package var enrichment: [(key: YAMLScalar, value: YAMLNode)]
    package var attributes: [(key: YAMLScalar, value: YAMLScalar)]
    package var jwks: Located<String>?
    package var expect: TestExpectationDecl
    package var range: SourceRange
}

package struct TestExpectationDecl: Sendable {
    package var rejected: Located<String>?
    package var route: Located<String>?
    package var variables: [(key: YAMLScalar, value: YAMLNode)]
    package var guards: [(key: YAMLScalar, value: YAMLScalar)]
    package var participantData: [(key: YAMLScalar, value: YAMLNode)]
}

package enum TestsFileParser {
    static let caseKeys = [
        "name", "claims", "raw", "token", "guest", "nonce", "enrichment", "attributes", "jwks", "expect",
    ]
    static let expectKeys = ["rejected", "route", "variables", "guards", "participantData"]

    package static func parse(root: YAMLNode) -> (TestsDocument?, [Diagnostic]) {
        var diagnostics: [Diagnostic] = []
        guard case .mapping(let mapping) = root else {
            return (nil, [SpecDiagnostics.wrongNode(context: "a tests file", expected: "a mapping", found: root)])
        }
        let reader = MappingReader(
            mapping, allowed: ["spec", "now", "cases"], context: "the tests file", diagnostics: &diagnostics)
        let spec = reader.requiredString("spec", &diagnostics)
        let now = reader.string("now", &diagnostics)
        var cases: [TestCaseDecl] = []
        if let node = reader.node("cases") {
            guard case .sequence(let sequence) = node else {
                diagnostics.append(
                    SpecDiagnostics.wrongNode(key: "cases", expected: "a list of cases (`- name: ...`)", found: node))
                return (nil, diagnostics)
            }
            for item in sequence.items {
                guard case .mapping(let body) = item else {
                    diagnostics.append(
                        SpecDiagnostics.wrongNode(context: "a test case", expected: "a mapping", found: item))
                    continue
                }
                if let testCase = parseCase(body, &diagnostics) { cases.append(testCase) }
            }
        } else {
            diagnostics.append(SpecDiagnostics.missingKey("cases", context: "the tests file", at: mapping.range))
        }
        guard let spec else { return (nil, diagnostics) }
        return (TestsDocument(spec: spec, now: now, cases: cases), diagnostics)
    }

    private static func entries(_ reader: MappingReader, _ key: String, _ diagnostics: inout [Diagnostic]) -> [(
        key: YAMLScalar, value: YAMLNode
    )]? {
        reader.mappingValue(key, &diagnostics)?.entries
    }

    private static func scalars(_ reader: MappingReader, _ key: String, _ diagnostics: inout [Diagnostic]) -> [(
        key: YAMLScalar, value: YAMLScalar
    )] {
        var out: [(key: YAMLScalar, value: YAMLScalar)] = []
        for (name, value) in reader.mappingValue(key, &diagnostics)?.entries ?? [] {
            guard case .scalar(let scalar) = value else {
                diagnostics.append(SpecDiagnostics.wrongNode(key: name.text, expected: "a single value", found: value))
                continue
            }
            out.append((name, scalar))
        }
        return out
    }

    private static func parseCase(_ body: YAMLMapping, _ diagnostics: inout [Diagnostic]) -> TestCaseDecl? {
        let reader = MappingReader(body, allowed: caseKeys, context: "a test case", diagnostics: &diagnostics)
        guard let name = reader.requiredString("name", &diagnostics) else { return nil }
        var expectation = TestExpectationDecl(rejected: nil, route: nil, variables: [], guards: [], participantData: [])
        if let expect = reader.mappingValue("expect", &diagnostics) {
            let e = MappingReader(
                expect, allowed: expectKeys, context: "`expect` of `\(name.value)`", diagnostics: &diagnostics)
            expectation.rejected = e.string("rejected", &diagnostics)
            expectation.route = e.string("route", &diagnostics)
            expectation.variables = entries(e, "variables", &diagnostics) ?? []
            expectation.guards = scalars(e, "guards", &diagnostics)
            expectation.participantData = entries(e, "participantData", &diagnostics) ?? []
        } else {
            diagnostics.append(
                SpecDiagnostics.missingKey("expect", context: "test case `\(name.value)`", at: name.range))
        }
        return TestCaseDecl(
            name: name, claims: entries(reader, "claims", &diagnostics), raw: entries(reader, "raw", &diagnostics),
            token: reader.string("token", &diagnostics), guest: reader.boolean("guest", &diagnostics)?.value ?? false,
            nonce: reader.string("nonce", &diagnostics, allowEmpty: true),
            enrichment: entries(reader, "enrichment", &diagnostics) ?? [],
            attributes: scalars(reader, "attributes", &diagnostics), jwks: reader.string("jwks", &diagnostics),
            expect: expectation,
            range: name.range)
    }
}
