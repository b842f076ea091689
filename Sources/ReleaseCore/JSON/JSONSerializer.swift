import JSONText

extension JSONValue {
    /// Compact JSON text (no insignificant whitespace).
    ///
    /// - Parameter sortedKeys: sort object members by key, for stable output (logs, tests, diffs).
    ///   Non-finite numbers, which JSON cannot represent, are written as `null`.
    public func serialized(sortedKeys: Bool = false) -> String {
        String(decoding: serializedBytes(sortedKeys: sortedKeys), as: UTF8.self)
    }

    /// Compact JSON text as UTF-8 bytes.
    public func serializedBytes(sortedKeys: Bool = false) -> [UInt8] {
        var output = JSONOutput(capacity: 64)
        write(to: &output, sortedKeys: sortedKeys)
        return output.bytes
    }

    private func write(to output: inout JSONOutput, sortedKeys: Bool) {
        switch self {
        case .null: JSONText.append("null", to: &output)
        case .bool(let value): JSONText.append(value ? "true" : "false", to: &output)
        case .integer(let value): JSONText.appendInteger(value, to: &output)
        case .number(let value): JSONText.appendNumber(value, to: &output)
        case .string(let value): Self.writeString(value, to: &output)
        case .array(let elements):
            output.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                element.write(to: &output, sortedKeys: sortedKeys)
            }
            output.append(UInt8(ascii: "]"))
        case .object(let members):
            output.append(UInt8(ascii: "{"))
            var first = true
            func member(_ key: String, _ value: JSONValue) {
                if !first { output.append(UInt8(ascii: ",")) }
                first = false
                Self.writeString(key, to: &output)
                output.append(UInt8(ascii: ":"))
                value.write(to: &output, sortedKeys: sortedKeys)
            }
            if sortedKeys {
                for key in members.keys.sorted() { member(key, members[key]!) }
            } else {
                for (key, value) in members { member(key, value) }
            }
            output.append(UInt8(ascii: "}"))
        }
    }

    private static func writeString(_ string: String, to output: inout JSONOutput) {
        var string = string
        string.withUTF8 { JSONText.appendString($0, to: &output) }
    }
}
