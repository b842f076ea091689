// Fuzzes the JSON parser and serializer (ReleaseCore's JSONValue).
//
// Each input is read twice:
// - as JSON text: parsing never traps, an error's offset lies inside the input, and a
//   parsed value survives serialize → parse unchanged, with sorted and unsorted keys;
// - as a recipe for a JSONValue built directly (any Int64, any Double bit pattern, any
//   Unicode scalar in strings and keys): serializing never traps and parses back to the
//   same value, non-finite numbers becoming null as documented.

import FuzzSupport
import ReleaseCore

func fuzzJSON(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let bytes = input.all
    do {
        let value = try JSONValue(parsing: bytes)
        checkRoundTrip(value, expected: value)
        if let text = String(validating: bytes, as: UTF8.self) {
            require((try? JSONValue(parsing: text)) == value, "parsing the text and its bytes disagree")
        }
    } catch {
        require((0...bytes.count).contains(error.offset), "error offset \(error.offset) outside the input")
    }
    let built = buildValue(&input, depth: 0)
    checkRoundTrip(built, expected: finite(built))
    return 0
}

/// Serialized (both key orders) and parsed again, `value` must equal `expected`, and the
/// sorted text must be stable.
func checkRoundTrip(_ value: JSONValue, expected: JSONValue) {
    let sorted = value.serialized(sortedKeys: true)
    guard let reparsed = try? JSONValue(parsing: sorted) else {
        fatalError("serialized JSON does not parse: \(sorted)")
    }
    require(reparsed == expected, "round trip changed the value: \(sorted) → \(reparsed)")
    require(reparsed.serialized(sortedKeys: true) == sorted, "serializing is not stable: \(sorted)")
    require((try? JSONValue(parsing: value.serialized())) == expected, "unsorted round trip changed \(sorted)")
    require(value.serializedBytes(sortedKeys: true) == Array(sorted.utf8), "the bytes and the text differ")
}

/// `value` as JSON can say it: non-finite numbers become null.
func finite(_ value: JSONValue) -> JSONValue {
    switch value {
    case .number(let number) where !number.isFinite: .null
    case .array(let items): .array(items.map(finite))
    case .object(let members): .object(members.mapValues(finite))
    default: value
    }
}

/// A value built from the input's bytes, at most 24 levels deep.
func buildValue(_ input: inout FuzzInput, depth: Int) -> JSONValue {
    let tag = input.byte()
    switch tag % 8 {
    case 0: return .null
    case 1: return .bool(tag & 0x80 != 0)
    case 2: return .integer(input.int64())
    case 3: return .number(input.double())
    case 4: return .number(Double(input.int64()) / Double(1 << (tag >> 3)))
    case 5 where depth < 24:
        return .array((0..<Int(input.byte() % 6)).map { _ in buildValue(&input, depth: depth + 1) })
    case 6 where depth < 24:
        var members: [String: JSONValue] = [:]
        for _ in 0..<Int(input.byte() % 6) {
            members[buildString(&input)] = buildValue(&input, depth: depth + 1)
        }
        return .object(members)
    default: return .string(buildString(&input))
    }
}

/// A string of up to 15 scalars from anywhere in Unicode (control characters, U+2028,
/// astral planes), three bytes each.
func buildString(_ input: inout FuzzInput) -> String {
    var scalars = String.UnicodeScalarView()
    for _ in 0..<Int(input.byte() % 16) {
        let raw = UInt32(input.byte()) | UInt32(input.byte()) << 8 | UInt32(input.byte() % 0x11) << 16
        scalars.append(Unicode.Scalar(raw) ?? "\u{FFFD}")
    }
    return String(scalars)
}
