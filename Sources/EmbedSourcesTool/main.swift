import Foundation

// EmbedSourcesTool OUTPUT NAME FILE... [-- NAME FILE...]...
// Writes OUTPUT, a Swift file declaring `enum EmbeddedSources` with one `static let NAME: [(name:, text:)]` per
// group: each FILE's name and exact text, as a raw string literal whose delimiter no text can close. Run by the
// EmbedSources build-tool plugin; see Plugins/EmbedSources.

/// The number of `#` a raw string needs so that neither `"""` nor `\` followed by that many `#` occurs in `text`.
func hashes(for text: String) -> Int {
    var longest = 0
    var run = 0
    for scalar in text.unicodeScalars {
        run = scalar == "#" ? run + 1 : 0
        longest = max(longest, run)
    }
    return longest + 1
}

func literal(_ text: String) -> String {
    let delimiter = String(repeating: "#", count: hashes(for: text))
    // A multi-line literal drops the line break before its closing delimiter: add one so the text keeps its own.
    return delimiter + "\"\"\"\n" + text + "\n\"\"\"" + delimiter
}

var arguments = Array(CommandLine.arguments.dropFirst())
guard arguments.count >= 2 else {
    FileHandle.standardError.write(Data("usage: EmbedSourcesTool OUTPUT NAME FILE... [-- NAME FILE...]...\n".utf8))
    exit(2)
}
let output = arguments.removeFirst()
var groups: [(name: String, files: [String])] = []
for argument in arguments {
    if argument == "--" || groups.isEmpty {
        groups.append((argument == "--" ? "" : argument, []))
    } else if groups[groups.count - 1].name.isEmpty {
        groups[groups.count - 1].name = argument
    } else {
        groups[groups.count - 1].files.append(argument)
    }
}

var source = """
    // Written by the EmbedSources build-tool plugin (Plugins/EmbedSources) at build time. Do not edit.

    enum EmbeddedSources {

    """
for group in groups {
    source += "    static let \(group.name): [(name: String, text: String)] = [\n"
    for path in group.files {
        let url = URL(fileURLWithPath: path)
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8),
            !text.contains("\r")
        else {
            FileHandle.standardError.write(Data("EmbedSourcesTool: \(path) is not UTF-8 text with LF line ends\n".utf8))
            exit(1)
        }
        source += "        (\"\(url.lastPathComponent)\", \(literal(text))),\n"
    }
    source += "    ]\n"
}
source += "}\n"
do {
    try Data(source.utf8).write(to: URL(fileURLWithPath: output), options: .atomic)
} catch {
    FileHandle.standardError.write(Data("EmbedSourcesTool: cannot write \(output): \(error)\n".utf8))
    exit(1)
}
