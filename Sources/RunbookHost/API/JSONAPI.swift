import LuaBridge
import ReleaseCore

/// `json.encode`, `json.decode`, `json.null`, `json.array`.
enum JSONAPI {
    static func register(_ context: RunContext) {
        context.bind("json.encode") { _, call in
            guard call.argumentCount >= 1 else { throw call.typeError(1, expected: "value") }
            let options = try call.optionalTable(at: 2) ?? .nil
            try call.checkOptionKeys(options, at: 2, known: ["pretty"])
            let pretty = options["pretty"].isTruthy
            // Written straight from the stack when it can be; otherwise (and for errors, which
            // name the path) through the general conversion. Both write the same text. The
            // bytes are valid UTF-8: pushed as they are.
            if !pretty, let text = call.stack.sortedJSON(at: 1) { return .value(.bytes(text)) }
            let json = try LuaJSON.json(try call.value(at: 1))
            if pretty { return .value(.string(Self.pretty(json))) }
            return .value(.bytes(json.serializedBytes(sortedKeys: true)))
        }
        context.bind("json.decode") { _, call in
            // The bytes as given: the parser refuses invalid UTF-8 with its offset, as
            // json.encode refuses such a string.
            let text = try call.bytes(at: 1)
            let tape: JSONTape
            do {
                tape = try JSONTape(parsing: text)
            } catch {
                throw LuaHostError(code: "invalid_json", message: "json.decode: \(error)")
            }
            // Pushed straight from the parser's tokens, with no tree in between.
            let builder = try LuaJSON.builder(for: tape, maxDepth: call.state.maxConversionDepth)
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
