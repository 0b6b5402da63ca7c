import Testing

@testable import ClaimMapEmitters

/// Plain scalars in emitted flows only where YAML 1.1 and 1.2 readers (Archy's included) read the same string back.
@Suite("YAML scalar quoting")
struct YAMLQuotingTests {
    @Test("words that a YAML reader would turn into booleans, nulls, numbers or structure are double-quoted")
    func quoting() {
        let plain = ["Flow.Tier", "gold", "Customer Profile", "a-b", "a:b", "a#b", "x{y}", "Support_Queue"]
        for text in plain { #expect(YAMLRenderer.quoted(text) == text, "\(text)") }
        let quoted = [
            "", "y", "No", "ON", "off", "TRUE", "false", "Null", "~", ".nan", ".INF", "-.inf", "=", "<<", "12", "0x1F",
            "1e3", ".5", "+1", "2026-11-25", "-dash", "?q", ":colon", ",c", "[a]", "a]", "{{org}}", "x{{y}}", "#c",
            "&anchor", "*alias", "!tag", "|block", ">fold", "'s", "\"d", "%p", "@a", "`b", " lead", "trail ", "end:",
            "a: b", "a #b", "tab\there", "line\nbreak", "del\u{7F}", "café", "emoji🙂",
        ]
        for text in quoted {
            let rendered = YAMLRenderer.quoted(text)
            #expect(rendered.hasPrefix("\"") && rendered.hasSuffix("\""), "\(text) rendered as \(rendered)")
        }
        #expect(YAMLRenderer.quoted("tab\there") == #""tab\there""#)
        #expect(YAMLRenderer.quoted("\"hi\" \\") == #""\"hi\" \\""#)
        // Inside a plain scalar, quotes and backslashes are ordinary characters.
        #expect(YAMLRenderer.quoted("say \"hi\"\\") == "say \"hi\"\\")
    }
}
