/// File names of data actions: a slug of the action name, lowercase ASCII letters and digits joined by `-`
/// (docs/decisions.md, Names). The checker rejects two actions with the same slug (CM2014), so files never collide.
package enum ActionNames {
    package static func slug(_ name: String) -> String {
        var out = ""
        var lastDash = true
        for scalar in name.lowercased().unicodeScalars {
            if ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) {
                out.unicodeScalars.append(scalar)
                lastDash = false
            } else if !lastDash {
                out += "-"
                lastDash = true
            }
        }
        while out.hasSuffix("-") { out.removeLast() }
        return out.isEmpty ? "action" : out
    }
}
