/// A JSON document parsed into a flat list of tokens, in document order, with the bytes of
/// every string (escapes decoded) in one buffer: what ``JSONValue/init(parsing:)`` builds its
/// tree from, and what a converter into another representation (Lua tables) reads without
/// a tree in between.
public struct JSONTape: Sendable {
    /// One value of the document. A container is followed by its contents: an array by its
    /// `count` values, an object by its `count` members, each a `.string` key then a value.
    public enum Token: Sendable, Equatable {
        case null
        case bool(Bool)
        case integer(Int64)
        case number(Double)
        /// Valid UTF-8: `strings[offset ..< offset + count]`.
        case string(offset: Int, count: Int)
        case array(count: Int)
        case object(count: Int)
    }

    /// The document's values, the first of them the root.
    public private(set) var tokens: [Token] = []
    /// The bytes of every string and key, one after another.
    public private(set) var strings: [UInt8] = []

    /// Parses JSON text given as UTF-8 bytes, as ``JSONValue/init(parsing:)`` does.
    ///
    /// - Throws: `JSONParseError` with the byte offset of the first problem.
    public init(parsing bytes: some Collection<UInt8>) throws(JSONParseError) {
        let text = Array(bytes)
        (tokens, strings) = try text.withUnsafeBufferPointer { buffer throws(JSONParseError) in
            var parser = JSONParser(bytes: buffer)
            try parser.parseDocument()
            return (parser.tokens, parser.strings)
        }
    }

    /// The tree of the document.
    public func value() -> JSONValue {
        strings.withUnsafeBufferPointer { strings in
            var cursor = 0
            return Self.value(tokens, strings, &cursor)
        }
    }

    private static func value(_ tokens: [Token], _ strings: UnsafeBufferPointer<UInt8>, _ cursor: inout Int)
        -> JSONValue
    {
        let token = tokens[cursor]
        cursor += 1
        switch token {
        case .null: return .null
        case .bool(let value): return .bool(value)
        case .integer(let value): return .integer(value)
        case .number(let value): return .number(value)
        case .string(let offset, let count): return .string(text(strings, offset, count))
        case .array(let count):
            var elements: [JSONValue] = []
            elements.reserveCapacity(count)
            for _ in 0..<count { elements.append(value(tokens, strings, &cursor)) }
            return .array(elements)
        case .object(let count):
            var members: [String: JSONValue] = [:]
            members.reserveCapacity(count)
            for _ in 0..<count {
                guard case .string(let offset, let length) = tokens[cursor] else { preconditionFailure("a key") }
                cursor += 1
                // A repeated key keeps its last value.
                members[text(strings, offset, length)] = value(tokens, strings, &cursor)
            }
            return .object(members)
        }
    }

    private static func text(_ strings: UnsafeBufferPointer<UInt8>, _ offset: Int, _ count: Int) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: strings[offset..<offset + count]), as: UTF8.self)
    }
}
