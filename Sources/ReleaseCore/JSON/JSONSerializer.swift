extension JSONValue {
    /// Compact JSON text (no insignificant whitespace).
    ///
    /// - Parameter sortedKeys: sort object members by key, for stable output (logs, tests, diffs).
    ///   Non-finite numbers, which JSON cannot represent, are written as `null`.
    public func serialized(sortedKeys: Bool = false) -> String {
        var output = ""
        write(to: &output, sortedKeys: sortedKeys)
        return output
    }

    /// Compact JSON text as UTF-8 bytes.
    public func serializedBytes(sortedKeys: Bool = false) -> [UInt8] {
        Array(serialized(sortedKeys: sortedKeys).utf8)
    }

    private func write(to output: inout String, sortedKeys: Bool) {
        switch self {
        case .null: output += "null"
        case .bool(let value): output += value ? "true" : "false"
        case .integer(let value): output += String(value)
        case .number(let value): output += Self.format(value)
        case .string(let value): Self.writeString(value, to: &output)
        case .array(let elements):
            output += "["
            for (index, element) in elements.enumerated() {
                if index > 0 { output += "," }
                element.write(to: &output, sortedKeys: sortedKeys)
            }
            output += "]"
        case .object(let members):
            output += "{"
            let keys = sortedKeys ? members.keys.sorted() : Array(members.keys)
            for (index, key) in keys.enumerated() {
                if index > 0 { output += "," }
                Self.writeString(key, to: &output)
                output += ":"
                members[key]!.write(to: &output, sortedKeys: sortedKeys)
            }
            output += "}"
        }
    }

    private static func format(_ number: Double) -> String {
        guard number.isFinite else { return "null" }
        if number == number.rounded(.towardZero), abs(number) < 1e15 {
            return String(Int64(number)) + ".0"
        }
        return "\(number)"
    }

    private static func writeString(_ string: String, to output: inout String) {
        output += "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case "\u{08}": output += "\\b"
            case "\u{0C}": output += "\\f"
            case "\u{2028}": output += "\\u2028"
            case "\u{2029}": output += "\\u2029"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    let hex = String(scalar.value, radix: 16)
                    output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        output += "\""
    }
}
