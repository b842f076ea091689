import LuaBridge
import ReleaseCore

/// `json.encode`, `json.decode`, `json.null`, `json.array`.
enum JSONAPI {
    static func register(_ context: RunContext) {
        context.bind("json.encode") { _, call in
            guard call.argumentCount >= 1 else { throw call.typeError(1, expected: "value") }
            let value = try call.value(at: 1)
            let options = try call.optionalTable(at: 2) ?? .nil
            try call.checkOptionKeys(options, at: 2, known: ["pretty"])
            let json = try LuaJSON.json(value)
            if options["pretty"].isTruthy { return .values([.string(pretty(json))]) }
            // The serializer's bytes are valid UTF-8: pushed as they are.
            return .values([.bytes(json.serializedBytes(sortedKeys: true))])
        }
        context.bind("json.decode") { _, call in
            // The bytes as given: the parser refuses invalid UTF-8 with its offset, as
            // json.encode refuses such a string.
            let text = try call.bytes(at: 1)
            let json: JSONValue
            do {
                json = try JSONValue(parsing: text)
            } catch {
                throw LuaHostError(code: "invalid_json", message: "json.decode: \(error)")
            }
            // Pushed straight from the parsed tree, without a LuaValue tree in between.
            var builder = LuaValueBuilder(maxDepth: call.state.maxConversionDepth)
            try LuaJSON.add(json, to: &builder)
            return .pushed(try call.stack.push(built: builder, count: 1))
        }
        context.bind("json.array") { _, call in
            let value = try call.optionalTable(at: 1) ?? .array([])
            switch value {
            case .array: return .values([value])
            case .table(let entries) where entries.isEmpty: return .values([.array([])])
            default: throw call.argumentError(1, "table with keys 1..n expected")
            }
        }
        try? context.state.setGlobal("json.null", .null)
    }

    /// Two-space indented JSON with sorted keys.
    static func pretty(_ value: JSONValue, indent: String = "") -> String {
        let inner = indent + "  "
        switch value {
        case .array(let items) where !items.isEmpty:
            return "[\n" + items.map { inner + pretty($0, indent: inner) }.joined(separator: ",\n") + "\n\(indent)]"
        case .object(let fields) where !fields.isEmpty:
            let lines = fields.keys.sorted().map { key in
                inner + JSONValue.string(key).serialized(sortedKeys: true) + ": " + pretty(fields[key]!, indent: inner)
            }
            return "{\n" + lines.joined(separator: ",\n") + "\n\(indent)}"
        default:
            return value.serialized(sortedKeys: true)
        }
    }
}
