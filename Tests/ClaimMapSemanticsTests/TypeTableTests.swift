import ClaimMapDriver
import ClaimMapTestSupport
import Testing

/// The claim type × Architect type table of docs/language.md (Claim types and Architect types), exhaustively, through
/// the checker.
@Suite("claim type × Architect type")
struct TypeTableTests {
    static let architectTypes = [
        "String", "Integer", "Decimal", "Boolean", "DateTime", "Duration", "JSON", "StringCollection",
        "IntegerCollection", "DecimalCollection", "BooleanCollection", "DateTimeCollection",
    ]

    /// Claim declaration → the Architect types it may be stored in. Written out by hand from docs/language.md.
    static let table: [(claim: String, allowed: Set<String>)] = [
        ("{ type: string }", ["String"]),
        ("{ type: string, enum: [a, b] }", ["String"]),
        ("{ type: string, format: email }", ["String"]),
        ("{ type: string, format: date-time }", ["String", "DateTime"]),
        ("{ type: integer }", ["Integer", "Decimal", "String"]),
        ("{ type: integer, format: numeric-date }", ["DateTime", "Integer"]),
        ("{ type: number }", ["Decimal", "String"]),
        ("{ type: boolean }", ["Boolean", "String"]),
        ("{ type: array, items: { type: string } }", ["StringCollection"]),
        ("{ type: array, items: { type: integer } }", ["IntegerCollection"]),
        ("{ type: array, items: { type: number } }", ["DecimalCollection"]),
        ("{ type: array, items: { type: boolean } }", ["BooleanCollection"]),
        ("{ type: object, properties: { a: { type: string } } }", ["JSON"]),
    ]

    static var cases: [(String, String, Bool)] {
        table.flatMap { row in architectTypes.map { (row.claim, $0, row.allowed.contains($0)) } }
    }

    @Test("each pair is accepted exactly when the table allows it", arguments: cases)
    func pair(claim: String, type: String, allowed: Bool) {
        let text = SpecFixture.text([
            "claims": "  sub: { type: string, required: true }\n  c: \(claim)\n",
            "enrichment": "  Profile:\n    category: CRM\n    url: https://crm.example/c/{sub}\n    returns: [c]\n",
            "variables": "  Flow.Id: { from: sub }\n  Flow.V: { from: c, via: Profile, type: \(type) }\n",
            "attributes": "",
            "routing": "  - rule: default\n    queue: General\n",
        ])
        let result = SpecFixture.check(text)
        if allowed {
            #expect(result.errorCodes.isEmpty, "\(claim) -> \(type): \(result.errorCodes)")
        } else {
            #expect(result.errorCodes == ["CM2101"], "\(claim) -> \(type): \(result.errorCodes)")
        }
    }

    @Test("the inferred type is the first allowed one")
    func inference() {
        let text = SpecFixture.text([
            "variables": """
              Flow.Id: { from: sub }
              Flow.Ltv: { from: ltv, via: Profile, default: 0 }
              Flow.Accounts: { from: accounts, via: Profile }
              Flow.Sum: { type: Integer, expr: 'Flow.Ltv' }
            """,
            "attributes": "",
            "routing": "  - rule: default\n    queue: General\n",
        ])
        let result = SpecFixture.check(text)
        // ltv is a number: inferred Decimal, which cannot narrow to Integer.
        #expect(result.errorCodes == ["CM2102"])
        #expect(result.diagnostic("CM2102")?.have == "Decimal")
    }

    @Test("builtins deliver strings; a non-built-in claim needs a channel")
    func channels() {
        let noChannel = SpecFixture.check(
            SpecFixture.text(["variables": "  Flow.Id: { from: sub }\n  Flow.Tier: { from: tier }\n", "attributes": ""])
        )
        #expect(noChannel.errorCodes.contains("CM2104"))
        let attributeTyped = SpecFixture.check(
            SpecFixture.text([
                "variables": "  Flow.Id: { from: sub }\n  Flow.Lang: { from: attribute lang, type: Integer }\n"
            ]))
        #expect(attributeTyped.errorCodes.contains("CM2102"))
        let nonStringAttribute = SpecFixture.check(SpecFixture.text(["attributes": "  lang: { type: integer }\n"]))
        #expect(nonStringAttribute.errorCodes.contains("CM2110"))
    }
}
