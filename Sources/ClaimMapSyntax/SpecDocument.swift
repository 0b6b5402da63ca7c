import ClaimMapDiagnostics
import ClaimMapRuntime

/// A value from the spec together with the source range it was written at.
package struct Located<Value: Sendable>: Sendable {
    package var value: Value
    package var range: SourceRange

    package init(_ value: Value, _ range: SourceRange) {
        self.value = value
        self.range = range
    }
}

extension Located: Equatable where Value: Equatable {}
extension Located: Hashable where Value: Hashable {}

/// A duration such as `90s`, `5m`, `1h`, `7d`, kept with the unit it was written in.
package struct DurationValue: Sendable, Hashable {
    package enum Unit: String, Sendable, Hashable {
        case seconds = "s", minutes = "m", hours = "h", days = "d"
        package var seconds: Int {
            switch self {
            case .seconds: 1
            case .minutes: 60
            case .hours: 3600
            case .days: 86400
            }
        }
    }
    package var amount: Int
    package var unit: Unit
    package init(amount: Int, unit: Unit) {
        self.amount = amount
        self.unit = unit
    }
    package var totalSeconds: Int { amount * unit.seconds }
}

/// The syntax-stage representation of one spec (`SpecDocument` in the pipeline): the spec's structure with
/// every leaf located, scalars converted by the schema, expressions parsed. Names are not resolved yet.
package struct SpecDocument: Sendable {
    package var path: String
    package var version: Located<Int>?
    package var flow: FlowSection?
    package var identity: IdentitySection?
    package var claims: [ClaimDecl] = []
    package var enrichments: [EnrichmentDecl] = []
    package var attributes: [AttributeDecl] = []
    package var variables: [VariableDecl] = []
    package var participantData: [ParticipantDatumDecl] = []
    package var routing: [RuleDecl] = []
    package var routingRange: SourceRange?
    package var guards: [GuardDecl] = []
    /// The range of the document root, for diagnostics about missing top-level sections.
    package var rootRange: SourceRange

    package init(path: String, rootRange: SourceRange) {
        self.path = path
        self.rootRange = rootRange
    }
}

package struct FlowSection: Sendable {
    package var name: Located<String>
    package var division: Located<String>?
    package var language: Located<String>?
    package var range: SourceRange
}

package enum NonceMode: String, Sendable, Hashable, CaseIterable { case required, optional }

package struct IdentitySection: Sendable {
    package var discovery: Located<String>?
    package var issuer: Located<String>?
    package var audience: [Located<String>] = []
    package var audienceRange: SourceRange?
    package var algorithms: [Located<String>] = []
    package var algorithmsRange: SourceRange?
    package var leeway: Located<DurationValue>?
    package var maxAge: Located<DurationValue>?
    package var nonce: Located<NonceMode>?
    package var jwks: Located<String>?
    package var guests: Located<GuestMode>?
    package var range: SourceRange
}

/// A claim's JSON-schema-like type, used for a top-level claim, its `items` and its `properties`.
package struct ClaimSchema: Sendable {
    package var kind: Located<ClaimKind>
    package var items: Box<ClaimSchema>?
    package var properties: [(name: Located<String>, schema: ClaimSchema)] = []
    package var enumValues: [Located<String>]?
    package var enumRange: SourceRange?
    package var pattern: Located<String>?
    package var format: Located<ClaimFormat>?
    /// Bounds kept as their decimal text, compared exactly.
    package var minimum: Located<String>?
    package var maximum: Located<String>?
    package var maxLength: Located<Int>?
    package var maxItems: Located<Int>?
    package var required: Located<Bool>?
    package var range: SourceRange
}

/// A reference cell so that `ClaimSchema` can nest (`items`).
package final class Box<Value: Sendable>: Sendable {
    package let value: Value
    package init(_ value: Value) { self.value = value }
}

package struct ClaimDecl: Sendable {
    package var name: Located<String>
    /// `claim:`, the exact JSON member name (default: the local name).
    package var claim: Located<String>?
    /// `path:`, nested member names one segment per level.
    package var path: [Located<String>]?
    package var schema: ClaimSchema
    /// The JSON member path in the token.
    package var memberPath: [String] {
        if let path { return path.map(\.value) }
        return [claim?.value ?? name.value]
    }
}

package struct EnrichmentDecl: Sendable {
    package var name: Located<String>
    package var category: Located<String>?
    package var url: Located<String>?
    package var timeout: Located<DurationValue>?
    package var returns: [Located<String>] = []
    package var range: SourceRange
}

package struct AttributeDecl: Sendable {
    package var name: Located<String>
    package var type: Located<String>?
    package var enumValues: [Located<String>]?
    package var pattern: Located<String>?
    package var maxLength: Located<Int>?
    package var mirrors: Located<String>?
    package var range: SourceRange
}

/// Where a variable's `from:` points.
package enum VariableOrigin: Sendable, Hashable {
    case claim(String)
    case attribute(String)
}

package struct VariableDecl: Sendable {
    package var name: Located<String>
    package var from: Located<VariableOrigin>?
    package var via: Located<String>?
    package var type: Located<String>?
    package var defaultValue: Located<String>?
    package var failOpen: Located<Bool>?
    package var expr: ExpressionSource?
    package var range: SourceRange
}

package struct ParticipantDatumDecl: Sendable {
    package var key: Located<String>
    package var variable: Located<String>
    package var piiAllowed: Bool
    package var range: SourceRange
}

package struct RuleDecl: Sendable {
    package var name: Located<String>
    package var when: ExpressionSource?
    package var queue: Located<String>?
    package var priority: Located<Int>?
    package var skills: [Located<String>] = []
    package var sensitive: Located<Bool>?
    package var range: SourceRange
}

package enum HTTPMethod: String, Sendable, Hashable, CaseIterable { case GET, POST }

/// `call:` — where the flow runs a guarded action.
package enum CallPoint: Sendable, Hashable {
    case start
    case before(String)
}

package struct GuardInputDecl: Sendable {
    package var name: Located<String>
    package var from: Located<String>
    package var pickFirst: Located<Bool>?
    package var range: SourceRange
}

package struct GuardOutputDecl: Sendable {
    package var variable: Located<String>
    package var field: Located<String>?
    package var type: Located<String>?
    package var range: SourceRange
}

package struct GuardDecl: Sendable {
    package var name: Located<String>
    package var category: Located<String>?
    package var method: Located<HTTPMethod>?
    package var url: Located<String>?
    package var requires: Located<String>?
    package var when: ExpressionSource?
    package var call: Located<CallPoint>?
    package var inputs: [GuardInputDecl] = []
    package var outputs: [GuardOutputDecl] = []
    package var secure: Located<Bool>?
    package var range: SourceRange
}
