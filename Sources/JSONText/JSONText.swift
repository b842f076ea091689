/// JSON text at the level of bytes: how strings and numbers are spelled, and which bytes
/// are valid UTF-8. Every JSON writer in ldrun spells values through here, so the core's
/// serializer and the Lua bridge's encoder write the same text for the same value.
public enum JSONText {
    /// Appends `bytes` (valid UTF-8) as a string literal. Runs of bytes that need no escape
    /// are copied as they are; `"`, `\`, control characters, DEL, U+2028 and U+2029 are
    /// escaped (the last two end a line in JavaScript).
    public static func appendString(_ bytes: UnsafeBufferPointer<UInt8>, to output: inout JSONOutput) {
        output.append(UInt8(ascii: "\""))
        var runStart = 0
        var index = 0
        let count = bytes.count
        while index < count {
            // Eight bytes at a time while none of them needs a look.
            if index + 8 <= count,
                !mayNeedEscape(UnsafeRawPointer(bytes.baseAddress! + index).loadUnaligned(as: UInt64.self))
            {
                index += 8
                continue
            }
            let byte = bytes[index]
            // Most bytes need nothing: printable ASCII other than `"` and `\`, and UTF-8
            // sequences that do not start U+2028 or U+2029.
            if byte >= 0x20 && byte != 0x22 && byte != 0x5C && byte != 0x7F && byte != 0xE2 {
                index += 1
                continue
            }
            let escape: StaticString
            switch byte {
            case 0x22: escape = "\\\""
            case 0x5C: escape = "\\\\"
            case 0x0A: escape = "\\n"
            case 0x0D: escape = "\\r"
            case 0x09: escape = "\\t"
            case 0x08: escape = "\\b"
            case 0x0C: escape = "\\f"
            case 0xE2:
                guard index + 2 < count, bytes[index + 1] == 0x80, bytes[index + 2] == 0xA8 || bytes[index + 2] == 0xA9
                else {
                    index += 1
                    continue
                }
                output.append(UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                append(bytes[index + 2] == 0xA8 ? "\\u2028" : "\\u2029", to: &output)
                index += 3
                runStart = index
                continue
            default:
                // The other control characters and DEL: \u00XX.
                output.append(UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                append("\\u00", to: &output)
                output.append(hexDigit(byte >> 4))
                output.append(hexDigit(byte & 0x0F))
                index += 1
                runStart = index
                continue
            }
            output.append(UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
            append(escape, to: &output)
            index += 1
            runStart = index
        }
        output.append(UnsafeBufferPointer(rebasing: bytes[runStart..<count]))
        output.append(UInt8(ascii: "\""))
    }

    /// Appends an integer in decimal.
    public static func appendInteger(_ value: Int64, to output: inout JSONOutput) {
        if value < 0 { output.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        guard magnitude >= 10 else {
            output.append(UInt8(ascii: "0") + UInt8(magnitude))
            return
        }
        // At most 20 digits, written backwards into a small buffer, then copied in order.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var start = 20
            while magnitude > 0 {
                start -= 1
                digits[start] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            }
            output.append(UnsafeBufferPointer(rebasing: digits[start..<20]))
        }
    }

    /// Appends a number: an integral value below 10¹⁵ as `3.0` (so it reads back as a
    /// float), any other finite value in Swift's shortest form that reads back the same,
    /// and a non-finite value, which JSON cannot represent, as `null`.
    public static func appendNumber(_ value: Double, to output: inout JSONOutput) {
        guard value.isFinite else {
            append("null", to: &output)
            return
        }
        if value == value.rounded(.towardZero), abs(value) < 1e15 {
            appendInteger(Int64(value), to: &output)
            append(".0", to: &output)
            return
        }
        var text = "\(value)"
        text.withUTF8 { output.append($0) }
    }

    /// Appends text that is spelled the same in every JSON document (`null`, `true`, `,`).
    @inlinable
    public static func append(_ text: StaticString, to output: inout JSONOutput) {
        output.append(UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// How many leading bytes of `bytes` are whole, valid UTF-8 sequences (RFC 3629: no
    /// overlong forms, no surrogates, nothing past U+10FFFF): `bytes.count` when all of it
    /// is valid, otherwise the offset of the first sequence that is not.
    public static func validUTF8Prefix(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        let count = bytes.count
        var index = 0
        while index < count {
            // Eight ASCII bytes at a time while they last.
            if index + 8 <= count,
                UnsafeRawPointer(bytes.baseAddress! + index).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0
            {
                index += 8
                continue
            }
            let lead = bytes[index]
            if lead < 0x80 {
                index += 1
                continue
            }
            let width: Int
            var lower: UInt8 = 0x80
            var upper: UInt8 = 0xBF
            switch lead {
            case 0xC2...0xDF: width = 2
            case 0xE0...0xEF:
                width = 3
                if lead == 0xE0 { lower = 0xA0 }  // no overlong forms
                if lead == 0xED { upper = 0x9F }  // no surrogates
            case 0xF0...0xF4:
                width = 4
                if lead == 0xF0 { lower = 0x90 }  // no overlong forms
                if lead == 0xF4 { upper = 0x8F }  // nothing past U+10FFFF
            default: return index
            }
            guard index + width <= count else { return index }
            let second = bytes[index + 1]
            guard second >= lower && second <= upper else { return index }
            for offset in 2..<width where bytes[index + offset] & 0xC0 != 0x80 { return index }
            index += width
        }
        return count
    }

    /// Whether every byte is ASCII.
    public static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var index = 0
        let count = bytes.count
        while index + 8 <= count {
            if UnsafeRawPointer(bytes.baseAddress! + index).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 != 0
            {
                return false
            }
            index += 8
        }
        while index < count {
            if bytes[index] >= 0x80 { return false }
            index += 1
        }
        return true
    }

    /// Whether any of the eight bytes of `word` is a control character, `"`, `\`, DEL or
    /// 0xE2 (which starts U+2028 and U+2029): the bytes ``appendString(_:to:)`` looks at.
    @inline(__always)
    private static func mayNeedEscape(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        // A byte below 0x20 (bytes with the high bit set are never counted).
        let below = (word &- ones &* 0x20) & ~word & highs
        func has(_ byte: UInt64) -> UInt64 {
            let x = word ^ (ones &* byte)
            return (x &- ones) & ~x & highs
        }
        return (below | has(0x22) | has(0x5C) | has(0x7F) | has(0xE2)) != 0
    }

    private static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
    }
}

/// The bytes a JSON writer has written so far: a growable buffer with no copy-on-write
/// checks on each append (a document is written in many small pieces).
public struct JSONOutput: ~Copyable {
    @usableFromInline var base: UnsafeMutablePointer<UInt8>
    @usableFromInline var capacity: Int
    @usableFromInline var written = 0

    /// How many bytes have been written.
    public var count: Int { written }

    /// An empty buffer with room for `capacity` bytes before it first grows.
    public init(capacity: Int = 256) {
        self.capacity = max(16, capacity)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    /// Appends one byte.
    @inlinable
    public mutating func append(_ byte: UInt8) {
        if written == capacity { grow(toHold: 1) }
        (base + written).initialize(to: byte)
        written += 1
    }

    /// Appends bytes.
    @inlinable
    public mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let start = bytes.baseAddress, !bytes.isEmpty else { return }
        if capacity - written < bytes.count { grow(toHold: bytes.count) }
        (base + written).initialize(from: start, count: bytes.count)
        written += bytes.count
    }

    /// The bytes written, as an array.
    public var bytes: [UInt8] { Array(UnsafeBufferPointer(start: base, count: written)) }

    @usableFromInline
    mutating func grow(toHold extra: Int) {
        let (needed, overflow) = written.addingReportingOverflow(extra)
        precondition(!overflow, "JSON text too large")
        let newCapacity = max(needed, capacity > Int.max / 2 ? needed : capacity * 2)
        let larger = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        larger.initialize(from: base, count: written)
        base.deallocate()
        base = larger
        capacity = newCapacity
    }
}
