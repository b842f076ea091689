import LuaBridge
import ReleaseCore

/// Conversions between the API's JSON and Lua values: integers stay integers, arrays stay
/// arrays (even empty ones), and JSON null becomes the `json.null` sentinel.
enum LuaJSON {
    /// The Lua form of a JSON value.
    static func lua(_ json: JSONValue) -> LuaValue {
        switch json {
        case .null: .null
        case .bool(let b): .boolean(b)
        case .integer(let i): .integer(i)
        case .number(let d): .number(d)
        case .string(let s): .string(s)
        case .array(let items): .array(items.map(lua))
        case .object(let fields):
            .table(Dictionary(uniqueKeysWithValues: fields.map { (LuaValue.string($0.key), lua($0.value)) }))
        }
    }

    /// A builder of the Lua form of a parsed document, as ``lua(_:)`` would give it for its
    /// tree, without a tree or a ``LuaValue`` in between, and without copying its strings
    /// again (`json.decode`).
    static func builder(for tape: JSONTape, maxDepth: Int) throws(LuaError) -> LuaValueBuilder {
        var builder = LuaValueBuilder(maxDepth: maxDepth, bytes: tape.strings, values: tape.tokens.count)
        var cursor = 0
        try add(tape.tokens, &cursor, to: &builder)
        return builder
    }

    private static func add(_ tokens: [JSONTape.Token], _ cursor: inout Int, to builder: inout LuaValueBuilder)
        throws(LuaError)
    {
        let token = tokens[cursor]
        cursor += 1
        switch token {
        case .null: try builder.addNull()
        case .bool(let b): try builder.addBoolean(b)
        case .integer(let i): try builder.addInteger(i)
        case .number(let d): try builder.addNumber(d)
        case .string(let offset, let count): try builder.addString(at: offset, count: count)
        case .array(let count):
            try builder.beginList(count: count)
            for index in 0..<count {
                try add(tokens, &cursor, to: &builder)
                builder.setElement(index + 1)
            }
            builder.endList()
        case .object(let count):
            try builder.beginTable(count: count)
            for _ in 0..<count {
                try add(tokens, &cursor, to: &builder)
                try add(tokens, &cursor, to: &builder)
                builder.setField()
            }
            builder.endTable()
        }
    }

    /// The JSON form of a Lua value, or an error naming the path of what cannot be JSON.
    static func json(_ value: LuaValue, path: String = "value") throws(LuaHostError) -> JSONValue {
        var keys: [PathStep] = []
        do {
            return try convert(value, keys: &keys)
        } catch {
            // The path is spelled out only for the message.
            throw encodingError(path + keys.map(\.text).joined() + error.rest)
        }
    }

    /// One step of the path to a value: an element of a list or a field of a table.
    private enum PathStep {
        case element(Int)
        case field(String)

        var text: String {
            switch self {
            case .element(let index): "[\(index)]"
            case .field(let name): ".\(name)"
            }
        }
    }

    /// Why a value cannot be JSON: the message after the path (the path is the keys walked).
    private struct Unrepresentable: Error {
        let rest: String
    }

    private static func convert(_ value: LuaValue, keys: inout [PathStep]) throws(Unrepresentable) -> JSONValue {
        switch value {
        case .nil, .null: return .null
        case .boolean(let b): return .bool(b)
        case .integer(let i): return .integer(i)
        case .number(let d):
            guard d.isFinite else { throw Unrepresentable(rest: " is \(d), which JSON cannot represent") }
            return .number(d)
        case .string(let s): return .string(s)
        case .bytes: throw Unrepresentable(rest: " is a string that is not valid UTF-8")
        case .array(let items):
            var result: [JSONValue] = []
            result.reserveCapacity(items.count)
            for (offset, item) in items.enumerated() {
                keys.append(.element(offset + 1))
                result.append(try convert(item, keys: &keys))
                keys.removeLast()
            }
            return .array(result)
        case .table(let entries):
            var result: [String: JSONValue] = [:]
            result.reserveCapacity(entries.count)
            for (key, item) in entries {
                guard case .string(let name) = key else {
                    throw Unrepresentable(
                        rest: " has the key \(describe(key)); a JSON object needs string keys "
                            + "(and an array needs keys 1..n without holes)"
                    )
                }
                keys.append(.field(name))
                result[name] = try convert(item, keys: &keys)
                keys.removeLast()
            }
            return .object(result)
        }
    }

    private static func describe(_ key: LuaValue) -> String {
        switch key {
        case .integer(let i): "\(i)"
        case .number(let d): "\(d)"
        case .boolean(let b): "\(b)"
        default: key.typeName
        }
    }

    private static func encodingError(_ message: String) -> LuaHostError {
        LuaHostError(code: "invalid_json", message: message)
    }
}
