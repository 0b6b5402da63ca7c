/// Which characters a reader cannot see, and how the project writes them instead: one rule for every place text from
/// a spec, a token or a file is shown (replay and drift output) or copied into a generated file's comments, YAML
/// scalars or Swift literals.
extension Unicode.Scalar {
    /// Controls (C0, DEL, C1 such as NEL and CSI), line and paragraph separators, format characters (bidirectional
    /// overrides and isolates, zero-width joiners, U+FEFF), surrogates, private-use and unassigned code points
    /// (U+FFFE and U+FFFF among them): a terminal may act on them, a YAML or JavaScript reader may take them as a
    /// line break, and a reviewer sees nothing or text reordered ("Trojan Source").
    public var isInvisible: Bool {
        switch properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator, .surrogate, .privateUse, .unassigned: true
        default: false
        }
    }

    /// `U+0041`: the code point as Unicode names it, at least four hex digits.
    public var codePointName: String {
        let hex = String(value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }

    /// `\u{41}`: the Swift (and claimmap's own display) escape of the scalar.
    public var braceEscape: String { "\\u{\(String(value, radix: 16, uppercase: true))}" }
}

public enum VisibleText {
    /// `text` with every invisible scalar, and every scalar `alsoEscape` names, written as `\u{…}`.
    public static func escaped(_ text: String, alsoEscape: (Unicode.Scalar) -> Bool = { _ in false }) -> String {
        guard text.unicodeScalars.contains(where: { $0.isInvisible || alsoEscape($0) }) else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            if scalar.isInvisible || alsoEscape(scalar) {
                out += scalar.braceEscape
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
