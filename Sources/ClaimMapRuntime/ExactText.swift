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
            rhs.withContiguousStorageIfAvailable { right in
                // No base address: both are empty (their counts are equal).
                guard let a = left.baseAddress, let b = right.baseAddress else { return true }
                return memcmp(a, b, left.count) == 0
            }
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

extension UnsafeBufferPointer<UInt8> {
    /// Whether these bytes are `text`'s UTF-8, byte for byte (`isByteEqual(to:)` for text kept as bytes).
    @inlinable
    public func isUTF8(of text: String) -> Bool {
        var text = text
        return text.withUTF8 { other in
            guard other.count == count else { return false }
            guard let a = baseAddress, let b = other.baseAddress else { return true }
            return memcmp(a, b, count) == 0
        }
    }
}
