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

    /// The same alphabet as four tables, one per position in a quad, each entry the character's six bits already
    /// shifted to where they land in the quad's three bytes (little-endian: byte 0 in bits 0–7), so a quad decodes
    /// as four lookups and three ORs. A character outside the alphabet sets bit 24 in every table.
    private static let quadTables: [UInt32] = {
        var tables = [UInt32](repeating: 1 << 24, count: 4 * 256)
        for (index, byte) in alphabet.enumerated() {
            let value = UInt32(index)
            tables[Int(byte)] = value << 2  // byte 0, high six bits
            tables[256 + Int(byte)] = value >> 4 | (value & 0x0F) << 12  // byte 0 low two, byte 1 high four
            tables[512 + Int(byte)] = (value >> 2) << 8 | (value & 0x03) << 22  // byte 1 low four, byte 2 high two
            tables[768 + Int(byte)] = value << 16  // byte 2, low six bits
        }
        return tables
    }()

    public static func decode(_ text: Substring.UTF8View) throws(Failure) -> [UInt8] {
        // Native strings are contiguous UTF-8: decode straight from their storage (indexing the view one byte at a
        // time costs more than the decoding itself).
        if let result = text.withContiguousStorageIfAvailable({ decoded($0) }) { return try result.get() }
        return try Array(text).withUnsafeBufferPointer { decoded($0) }.get()
    }

    public static func decode(_ text: ArraySlice<UInt8>) throws(Failure) -> [UInt8] {
        try text.withUnsafeBufferPointer { decoded($0) }.get()
    }

    public static func decode(_ text: UnsafeBufferPointer<UInt8>) throws(Failure) -> [UInt8] {
        try decoded(text).get()
    }

    /// The decoding, or why there is none. Written without generic closures of its own: a `Result` built inside
    /// `Array(unsafeUninitializedCapacity:)` cost a runtime metadata lookup per call, as much as decoding a header.
    private static func decoded(_ text: UnsafeBufferPointer<UInt8>) -> Result<[UInt8], Failure> {
        let count = text.count
        if count % 4 == 1 { return .failure(.invalid(offset: count - 1)) }
        let outCount = count / 4 * 3 + (count % 4 == 0 ? 0 : count % 4 - 1)
        var failure: Failure?
        let out = [UInt8](unsafeUninitializedCapacity: outCount) { out, initialized in
            table.withUnsafeBufferPointer { table in
                quadTables.withUnsafeBufferPointer { quadTables in
                    (initialized, failure) = decode(text, into: out, table: table, quadTables: quadTables)
                }
            }
        }
        if let failure { return .failure(failure) }
        return .success(out)
    }

    /// Decodes `text` into `out` (exactly long enough): how many bytes were written, and the failure that stopped it.
    private static func decode(
        _ text: UnsafeBufferPointer<UInt8>, into out: UnsafeMutableBufferPointer<UInt8>,
        table: UnsafeBufferPointer<Int8>, quadTables: UnsafeBufferPointer<UInt32>
    ) -> (Int, Failure?) {
        let quads = text.count / 4
        let tail = text.count % 4
        /// The offset of the first character outside the alphabet in `offset..<offset + width`.
        func firstInvalid(_ offset: Int, _ width: Int) -> Int {
            (offset..<offset + width).first { table[Int(text[$0])] < 0 } ?? offset
        }
        // Four characters → three bytes; bit 24 set in any lookup marks the quad invalid.
        var written = 0
        guard let input = text.baseAddress, let output = out.baseAddress else { return (0, nil) }
        let raw = UnsafeMutableRawPointer(output)
        for quad in 0..<quads {
            let offset = quad * 4
            let chunk =
                quadTables[Int(input[offset])] | quadTables[256 + Int(input[offset + 1])]
                | quadTables[512 + Int(input[offset + 2])] | quadTables[768 + Int(input[offset + 3])]
            guard chunk < 1 << 24 else { return (written, .invalid(offset: firstInvalid(offset, 4))) }
            if written + 4 <= out.count {
                // Four bytes stored at once; the fourth is overwritten by the next quad or the tail.
                raw.storeBytes(of: chunk.littleEndian, toByteOffset: written, as: UInt32.self)
            } else {
                out[written] = UInt8(truncatingIfNeeded: chunk)
                out[written + 1] = UInt8(truncatingIfNeeded: chunk >> 8)
                out[written + 2] = UInt8(truncatingIfNeeded: chunk >> 16)
            }
            written += 3
        }
        // Two or three characters left: one or two bytes, and the unused low bits must be zero.
        guard tail > 0 else { return (written, nil) }
        let offset = quads * 4
        var chunk: UInt32 = 0
        for index in 0..<tail {
            let value = table[Int(text[offset + index])]
            guard value >= 0 else { return (written, .invalid(offset: offset + index)) }
            chunk = chunk << 6 | UInt32(value)
        }
        let unusedBits = UInt32(tail * 6 - (tail - 1) * 8)
        guard chunk & ((1 << unusedBits) - 1) == 0 else { return (written, .noncanonical) }
        chunk >>= unusedBits
        if tail == 3 {
            out[written] = UInt8(truncatingIfNeeded: chunk >> 8)
            out[written + 1] = UInt8(truncatingIfNeeded: chunk)
        } else {
            out[written] = UInt8(truncatingIfNeeded: chunk)
        }
        return (written + tail - 1, nil)
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
