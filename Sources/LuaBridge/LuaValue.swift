/// A Lua value copied into Swift.
///
/// Integers and floats are kept apart, strings that are not valid UTF-8 arrive as
/// ``bytes(_:)`` (every byte, embedded NUL included, survives), and tables become either an
/// ``array(_:)`` (keys exactly `1...n`, or an empty table marked as an array) or a
/// ``table(_:)`` keyed by the original keys (sparse arrays and mixed keys included, so no
/// entry is ever dropped or padded). ``null`` is the JSON-null sentinel, distinct from `nil`.
public enum LuaValue: Hashable, Sendable {
    case `nil`
    case boolean(Bool)
    case integer(Int64)
    case number(Double)
    case string(String)
    case bytes([UInt8])
    case array([LuaValue])
    case table([LuaValue: LuaValue])
    case null

    /// The Lua type name of the value as `type()` reports it (`null` is a table in Lua).
    public var typeName: String {
        switch self {
        case .nil: "nil"
        case .boolean: "boolean"
        case .integer, .number: "number"
        case .string, .bytes: "string"
        case .array, .table, .null: "table"
        }
    }

    /// The string, when the value is a UTF-8 string.
    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// The integer, when the value is an integer or a float with an exact integer value.
    public var integerValue: Int64? {
        switch self {
        case .integer(let i): i
        case .number(let d): Int64(exactly: d)
        default: nil
        }
    }

    /// The number as a `Double`, for integers and floats.
    public var doubleValue: Double? {
        switch self {
        case .integer(let i): Double(i)
        case .number(let d): d
        default: nil
        }
    }

    /// The boolean, when the value is a boolean.
    public var booleanValue: Bool? {
        if case .boolean(let b) = self { return b }
        return nil
    }

    /// Lua truthiness: everything but `nil` and `false` is true.
    public var isTruthy: Bool {
        switch self {
        case .nil, .boolean(false): false
        default: true
        }
    }

    /// The field `key` of a table value (nil for other values and missing keys).
    public subscript(key: String) -> LuaValue {
        if case .table(let entries) = self { return entries[.string(key)] ?? .nil }
        return .nil
    }

    /// The 1-based element `index` of an array value, as in Lua.
    public subscript(index: Int) -> LuaValue {
        switch self {
        case .array(let items): items.indices.contains(index - 1) ? items[index - 1] : .nil
        case .table(let entries): entries[.integer(Int64(index))] ?? .nil
        default: .nil
        }
    }
}

extension LuaValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int64) { self = .integer(value) }
    public init(floatLiteral value: Double) { self = .number(value) }
    public init(booleanLiteral value: Bool) { self = .boolean(value) }
    public init(arrayLiteral elements: LuaValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (LuaValue, LuaValue)...) {
        self = .table(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
}
