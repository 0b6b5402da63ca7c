import ClaimMapDiagnostics

/// Maps each Unicode scalar of a YAML scalar's value back to where it was written, so that diagnostics inside
/// an expression point at the exact column even in quoted, escaped or folded scalars.
package enum ScalarPositions {
    /// One location per scalar of `scalar.text`, plus one for the end. `lines` are the source lines as scalars.
    package static func locations(of scalar: YAMLScalar, lines: [[Unicode.Scalar]]) -> [SourceLocation] {
        let value = Array(scalar.text.unicodeScalars)
        var result: [SourceLocation] = []
        result.reserveCapacity(value.count + 1)
        var line = scalar.start.line - 1
        var column = scalar.start.column - 1
        func current() -> Unicode.Scalar? {
            guard line >= 0, line < lines.count, column >= 0, column < lines[line].count else { return nil }
            return lines[line][column]
        }
        func nextLine() {
            line += 1
            column = 0
            while let c = current(), c == " " || c == "\t" { column += 1 }
        }
        switch scalar.style {
        case .singleQuoted, .doubleQuoted:
            column += 1
        case .literal, .folded:
            nextLine()
        case .plain:
            break
        }
        for v in value {
            var attempts = 0
            while true {
                attempts += 1
                guard line >= 0, line < lines.count, attempts <= 3 else {
                    result.append(SourceLocation(line: line + 1, column: column + 1))
                    break
                }
                guard let c = current() else {
                    // End of a source line: the value continues on the next line (folding or a line break).
                    if v == " " || v == "\n" {
                        result.append(SourceLocation(line: line + 1, column: column + 1))
                        nextLine()
                        break
                    }
                    nextLine()
                    continue
                }
                result.append(SourceLocation(line: line + 1, column: column + 1))
                if scalar.style == .doubleQuoted && c == "\\" {
                    column += escapeLength(lines[line], from: column)
                } else if scalar.style == .singleQuoted && c == "'" && v == "'" {
                    column += 2
                } else {
                    column += 1
                }
                break
            }
        }
        result.append(SourceLocation(line: line + 1, column: column + 1))
        return result
    }

    private static func escapeLength(_ line: [Unicode.Scalar], from index: Int) -> Int {
        guard index + 1 < line.count else { return 1 }
        switch line[index + 1] {
        case "x": return 4
        case "u": return 6
        case "U": return 10
        default: return 2
        }
    }
}
