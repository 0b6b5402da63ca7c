/// Strict base64url (RFC 4648 §5, as RFC 7515 §2 uses it): alphabet `A–Z a–z 0–9 - _` only, no padding, no
/// white space, and canonical: the unused low bits of the last character must be zero, so each byte string has
/// exactly one encoding (Foundation accepts non-canonical forms, which makes signatures malleable).
public enum Base64URL {
    public enum Failure: Error, Equatable, Sendable {
        /// A character outside the alphabet (including `=`, `+`, `/`, white space), or an impossible length.
        case invalid(offset: Int)
        /// Unused trailing bits are not zero.
        case noncanonical
    }

    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    private static let table: [Int8] = {
        var table = [Int8](repeating: -1, count: 256)
        for (index, byte) in alphabet.enumerated() { table[Int(byte)] = Int8(index) }
        return table
    }()

    public static func decode(_ text: Substring.UTF8View) throws(Failure) -> [UInt8] {
        // Native strings are contiguous UTF-8: decode straight from their storage (indexing the view one byte at a
        // time costs more than the decoding itself).
        let result: Result<[UInt8], Failure>? = text.withContiguousStorageIfAvailable { decode(bytes: $0) }
        switch result ?? Array(text).withUnsafeBufferPointer({ decode(bytes: $0) }) {
        case .success(let bytes): return bytes
        case .failure(let failure): throw failure
        }
    }

    public static func decode(_ text: ArraySlice<UInt8>) throws(Failure) -> [UInt8] {
        try text.withUnsafeBufferPointer { decode(bytes: $0) }.get()
    }

    private static func decode(bytes text: UnsafeBufferPointer<UInt8>) -> Result<[UInt8], Failure> {
        let count = text.count
        if count % 4 == 1 { return .failure(.invalid(offset: count - 1)) }
        var out: [UInt8] = []
        out.reserveCapacity(count * 3 / 4)
        var accumulator: UInt32 = 0
        var bits = 0
        let invalid: Int? = table.withUnsafeBufferPointer { table in
            for offset in 0..<count {
                let value = table[Int(text[offset])]
                if value < 0 { return offset }
                accumulator = accumulator << 6 | UInt32(value)
                bits += 6
                if bits >= 8 {
                    bits -= 8
                    out.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
                    accumulator &= (1 << UInt32(bits)) - 1
                }
            }
            return nil
        }
        if let invalid { return .failure(.invalid(offset: invalid)) }
        if accumulator != 0 { return .failure(.noncanonical) }
        return .success(out)
    }

    public static func decode(_ text: String) throws(Failure) -> [UInt8] {
        try decode(Substring(text).utf8)
    }

    public static func encode<Bytes: Collection>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count * 4 + 2) / 3)
        var iterator = bytes.makeIterator()
        while let first = iterator.next() {
            let second = iterator.next()
            let third = iterator.next()
            let chunk = UInt32(first) << 16 | UInt32(second ?? 0) << 8 | UInt32(third ?? 0)
            out.append(alphabet[Int(chunk >> 18 & 63)])
            out.append(alphabet[Int(chunk >> 12 & 63)])
            if second != nil { out.append(alphabet[Int(chunk >> 6 & 63)]) }
            if third != nil { out.append(alphabet[Int(chunk & 63)]) }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
