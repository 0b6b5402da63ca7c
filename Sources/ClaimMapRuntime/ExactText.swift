import Foundation

/// Byte-exact text comparison for everything security depends on.
///
/// Swift's `String ==` compares by Unicode canonical equivalence: `"\u{212A}"` (KELVIN SIGN) equals `"K"`, and an NFD
/// nonce equals its NFC form. Identities (`iss`, `aud`, `azp`), nonces, key ids, enum members and attribute values
/// must instead match exactly the bytes the issuer or the spec wrote (RFC 7519 §7.3: no normalisation), so every such
/// comparison in the project goes through these functions, on UTF-8 bytes.
extension StringProtocol {
    /// Whether the UTF-8 encodings are the same bytes (no canonical or compatibility equivalence).
    @inlinable
    public func isByteEqual<Other: StringProtocol>(to other: Other) -> Bool {
        let lhs = self.utf8
        let rhs = other.utf8
        guard lhs.count == rhs.count else { return false }
        // Native strings hold their UTF-8 contiguously: one memcmp (the generic comparison was 1.7 % of replay's
        // profile).
        let contiguous = lhs.withContiguousStorageIfAvailable { left in
            rhs.withContiguousStorageIfAvailable { right in left.sameBytes(as: right) }
        }
        if let contiguous, let equal = contiguous { return equal }
        return lhs.elementsEqual(rhs)
    }

    /// Equality that folds ASCII letters `A`–`Z` to `a`–`z` and nothing else: every other byte, including every
    /// non-ASCII one, must be identical. For case-insensitive protocol tokens such as a JOSE `typ` (RFC 7515 §4.1.9,
    /// RFC 2045 media types), where Unicode case mapping (`"ǰwt".uppercased()`) must not apply.
    @inlinable
    public func isASCIICaseInsensitiveEqual<Other: StringProtocol>(to other: Other) -> Bool {
        let lhs = self.utf8
        let rhs = other.utf8
        guard lhs.count == rhs.count else { return false }
        // Contiguous UTF-8 (every native string) compared in place; the generic zip cost more than the check.
        let contiguous = lhs.withContiguousStorageIfAvailable { left in
            rhs.withContiguousStorageIfAvailable { right in
                left.indices.allSatisfy { asciiLowercased(left[$0]) == asciiLowercased(right[$0]) }
            }
        }
        if let contiguous, let equal = contiguous { return equal }
        return zip(lhs, rhs).allSatisfy { asciiLowercased($0) == asciiLowercased($1) }
    }
}

@inlinable
func asciiLowercased(_ byte: UInt8) -> UInt8 {
    byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
}

extension Sequence where Element: StringProtocol {
    /// Whether some element is byte-for-byte `text` (see `isByteEqual(to:)`).
    @inlinable
    public func containsByteEqual<Other: StringProtocol>(_ text: Other) -> Bool {
        contains { $0.isByteEqual(to: text) }
    }
}

extension StringProtocol {
    /// Whether the UTF-8 bytes of `prefix` begin these bytes (`hasPrefix` folds canonical equivalents).
    @inlinable
    public func hasBytePrefix<Other: StringProtocol>(_ prefix: Other) -> Bool {
        utf8.count >= prefix.utf8.count && utf8.starts(with: prefix.utf8)
    }

    /// Whether the UTF-8 bytes of `suffix` end these bytes.
    @inlinable
    public func hasByteSuffix<Other: StringProtocol>(_ suffix: Other) -> Bool {
        let count = utf8.count
        let suffixCount = suffix.utf8.count
        return count >= suffixCount && utf8.dropFirst(count - suffixCount).elementsEqual(suffix.utf8)
    }

    /// Whether the UTF-8 bytes of `part` occur in these bytes (the empty text occurs everywhere). Because UTF-8 is
    /// self-synchronising, a byte match is a match of whole scalars.
    @inlinable
    public func containsBytes<Other: StringProtocol>(_ part: Other) -> Bool {
        part.utf8.isEmpty || utf8.firstRange(of: part.utf8) != nil
    }
}

extension StringProtocol {
    /// The number of Unicode scalars when it is above `limit`, else nil. Only text of more UTF-8 bytes than `limit`
    /// is counted: a scalar takes at least one byte, so shorter text cannot exceed it (for `maxLength` checks on
    /// every token).
    @inlinable
    public func scalarCount(above limit: Int) -> Int? {
        guard utf8.count > limit else { return nil }
        let count = unicodeScalars.count
        return count > limit ? count : nil
    }
}

extension UnsafeBufferPointer<UInt8> {
    /// Whether these are the same bytes as `other` (one memcmp).
    @inlinable
    public func sameBytes(as other: UnsafeBufferPointer<UInt8>) -> Bool {
        guard count == other.count else { return false }
        // No base address: both are empty (their counts are equal).
        guard let a = baseAddress, let b = other.baseAddress else { return true }
        return memcmp(a, b, count) == 0
    }

    /// Whether these bytes are `text`'s UTF-8, byte for byte (`isByteEqual(to:)` for text kept as bytes).
    @inlinable
    public func isUTF8(of text: String) -> Bool {
        var text = text
        return text.withUTF8 { sameBytes(as: $0) }
    }

    /// The index of the first `byte` at or after `start` (memchr: the generic search cost more than the work around
    /// it, for the dots of a token and the line feeds of standard input).
    @inlinable
    public func firstIndex(of byte: UInt8, from start: Int) -> Int? {
        guard start < count, start >= 0, let base = baseAddress,
            let found = memchr(base + start, Int32(byte), count - start)
        else { return nil }
        return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
    }
}
