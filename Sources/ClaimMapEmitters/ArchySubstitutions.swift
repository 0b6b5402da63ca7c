import ClaimMapSyntax

/// Archy substitutions: the org-specific names in a flow (flow name, division, queues, skills, data-action
/// categories) written as `{{name}}` placeholders with the spec's names as defaults, so one `flow.yaml` publishes
/// to a dev org and to production with different `archy-options.yaml` values (or Terraform `substitutions`).
/// Genesys-authored flows write them the same way (`name: "{{flow_name}}"`, `division: "{{division}}"`, a queue's
/// `lit.name: {{sms_queue}}`, a category key `{{data_action_category}}`).
struct ArchySubstitutions: Sendable {
    enum Kind: String, Sendable {
        case flowName = "flow_name"
        case division
        case queue
        case skill
        case category = "data_action_category"
    }

    /// One placeholder: its name, its default (the name the spec gives) and what it names. A placeholder the spec
    /// writes itself (a queue `"{{guest_queue}}"`) has no kind and an empty default, for the team to fill in.
    struct Entry: Sendable {
        var name: String
        var value: String
        var kind: Kind?
    }

    /// In order of first use.
    private(set) var entries: [Entry] = []
    private var byKindAndValue: [String: String] = [:]

    /// Registers the spec's own placeholders first, so no generated name can take one of theirs.
    init(designerNamesIn values: [String]) {
        for value in values { addDesignerPlaceholders(in: value) }
    }

    private mutating func addDesignerPlaceholders(in value: String) {
        for name in SpecScalars.placeholders(in: value) where !entries.contains(where: { $0.name == name }) {
            entries.append(Entry(name: name, value: "", kind: nil))
        }
    }

    /// The `{{name}}` text standing for `value` of this kind; the same value of a kind always gets the same name. A
    /// value that already holds `{{placeholders}}` (the designer's) is kept as written.
    mutating func placeholder(_ kind: Kind, _ value: String) -> String {
        if !SpecScalars.placeholders(in: value).isEmpty {
            addDesignerPlaceholders(in: value)
            return value
        }
        let key = kind.rawValue + "\u{0}" + value
        if let name = byKindAndValue[key] { return "{{\(name)}}" }
        var base = kind.rawValue
        if kind == .queue || kind == .skill || kind == .category {
            let slug = Self.slug(value)
            base += slug.isEmpty ? "" : "_" + slug
        }
        var name = base
        var suffix = 2
        while entries.contains(where: { $0.name == name }) {
            name = "\(base)_\(suffix)"
            suffix += 1
        }
        entries.append(Entry(name: name, value: value, kind: kind))
        byKindAndValue[key] = name
        return "{{\(name)}}"
    }

    /// Lowercase ASCII letters and digits, every other run of characters one `_` (placeholder names are letters,
    /// digits and `_` only).
    static func slug(_ text: String) -> String {
        var out = ""
        var pendingSeparator = false
        for scalar in text.unicodeScalars {
            if scalar.isASCII, scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) {
                if pendingSeparator && !out.isEmpty { out.append("_") }
                pendingSeparator = false
                out.unicodeScalars.append(scalar.properties.lowercaseMapping.unicodeScalars.first ?? scalar)
            } else {
                pendingSeparator = true
            }
        }
        return out
    }
}
