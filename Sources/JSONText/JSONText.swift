/// JSON text at the level of bytes: how strings and numbers are spelled, and which bytes
/// are valid UTF-8. Every JSON writer in ldrun spells values through here, so the core's
/// serializer and the Lua bridge's encoder write the same text for the same value.
public enum JSONText {
    /// Appends `bytes` (valid UTF-8) as a string literal. Runs of bytes that need no escape
    /// are copied as they are; `"`, `\`, control characters, DEL, U+2028 and U+2029 are
    /// escaped (the last two end a line in JavaScript).
    public static func appendString(_ bytes: UnsafeBufferPointer<UInt8>, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        var runStart = 0
        var index = 0
        let count = bytes.count
        while index < count {
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
                output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                append(bytes[index + 2] == 0xA8 ? "\\u2028" : "\\u2029", to: &output)
                index += 3
                runStart = index
                continue
            default:
                // The other control characters and DEL: \u00XX.
                output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                append("\\u00", to: &output)
                output.append(hexDigit(byte >> 4))
                output.append(hexDigit(byte & 0x0F))
                index += 1
                runStart = index
                continue
            }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
            append(escape, to: &output)
            index += 1
            runStart = index
        }
        output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<count]))
        output.append(UInt8(ascii: "\""))
    }

    /// Appends an integer in decimal.
    public static func appendInteger(_ value: Int64, to output: inout [UInt8]) {
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
            output.append(contentsOf: UnsafeBufferPointer(rebasing: digits[start..<20]))
        }
    }

    /// Appends a number: an integral value below 10¹⁵ as `3.0` (so it reads back as a
    /// float), any other finite value in Swift's shortest form that reads back the same,
    /// and a non-finite value, which JSON cannot represent, as `null`.
    public static func appendNumber(_ value: Double, to output: inout [UInt8]) {
        guard value.isFinite else {
            append("null", to: &output)
            return
        }
        if value == value.rounded(.towardZero), abs(value) < 1e15 {
            appendInteger(Int64(value), to: &output)
            append(".0", to: &output)
            return
        }
        output.append(contentsOf: "\(value)".utf8)
    }

    /// Appends text that is spelled the same in every JSON document (`null`, `true`, `,`).
    public static func append(_ text: StaticString, to output: inout [UInt8]) {
        output.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
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

    private static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
    }
}
