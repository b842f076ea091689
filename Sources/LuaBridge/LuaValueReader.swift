import CLua
import LuaShim

/// Copies Lua values into ``LuaValue``, raw and recursively, with a depth cap and cycle
/// detection that name the path where conversion stopped.
struct LuaValueReader {
    let stack: LuaStack
    let maxDepth: Int
    private var thread: OpaquePointer { stack.thread }

    init(stack: LuaStack, maxDepth: Int) {
        self.stack = stack
        self.maxDepth = maxDepth
    }

    func read(_ index: Int32, path: inout LuaValuePath, depth: Int, visiting: inout Set<UnsafeRawPointer>)
        throws(LuaError) -> LuaValue
    {
        switch lua_type(thread, index) {
        case LUA_TNONE, LUA_TNIL: return .nil
        case LUA_TBOOLEAN: return .boolean(lua_toboolean(thread, index) != 0)
        case LUA_TNUMBER:
            if lua_isinteger(thread, index) != 0 { return .integer(lua_tointegerx(thread, index, nil)) }
            return .number(lua_tonumberx(thread, index, nil))
        case LUA_TSTRING: return readString(index)
        case LUA_TTABLE:
            if ldr_isnull(thread, index) != 0 { return .null }
            return try readTable(index, path: &path, depth: depth, visiting: &visiting)
        default:
            let name = String(cString: lua_typename(thread, lua_type(thread, index)))
            throw LuaError(kind: .conversion, message: "cannot convert a \(name) value at \(path)")
        }
    }

    private func readString(_ index: Int32) -> LuaValue {
        guard let bytes = LuaStack.stringBytes(at: index, of: thread) else { return .string("") }
        if let text = String(validating: bytes, as: UTF8.self) { return .string(text) }
        return .bytes(Array(bytes))
    }

    private func readTable(
        _ index: Int32, path: inout LuaValuePath, depth: Int, visiting: inout Set<UnsafeRawPointer>
    ) throws(LuaError) -> LuaValue {
        guard depth < maxDepth else {
            throw LuaError(kind: .conversion, message: "table nested deeper than \(maxDepth) levels at \(path)")
        }
        guard let identity = lua_topointer(thread, index) else { return .nil }
        guard visiting.insert(identity).inserted else {
            throw LuaError(kind: .conversion, message: "table contains a cycle at \(path)")
        }
        defer { visiting.remove(identity) }
        try stack.reserve(4)

        var entries: [LuaValue: LuaValue] = [:]
        var maxIntegerKey: Int64 = 0
        var positiveIntegerKeys: Int64 = 0
        lua_pushnil(thread)
        while lua_next(thread, index) != 0 {
            let key = try readKey(path: path)
            if case .integer(let i) = key, i > 0 {
                maxIntegerKey = max(maxIntegerKey, i)
                positiveIntegerKeys += 1
            }
            // Lua keeps keys apart by their bytes; Swift strings that differ only in Unicode
            // normalization (`é` and `e` + U+0301) compare equal, and one would be lost.
            if let existing = entries.index(forKey: key) {
                throw LuaError(
                    kind: .conversion,
                    message: "\(path) has two keys that differ only in Unicode normalization "
                        + "(\(Self.describeKey(entries.keys[existing])) and \(Self.describeKey(key))): "
                        + "one would be lost")
            }
            path.keys.append(key)
            entries[key] = try read(lua_gettop(thread), path: &path, depth: depth + 1, visiting: &visiting)
            path.keys.removeLast()
            stack.pop()
        }

        let isSequence = positiveIntegerKeys == Int64(entries.count) && maxIntegerKey == positiveIntegerKeys
        if entries.isEmpty {
            return ldr_isarray(thread, index) != 0 ? .array([]) : .table([:])
        }
        if isSequence {
            return .array((1...maxIntegerKey).map { entries[.integer($0)] ?? .nil })
        }
        return .table(entries)
    }

    /// A string key with its code points spelled out, so twin keys can be told apart.
    private static func describeKey(_ key: LuaValue) -> String {
        guard case .string(let text) = key else { return "\(key)" }
        return text.unicodeScalars.map { $0.isASCII ? String($0) : "\\u{" + String($0.value, radix: 16) + "}" }
            .joined()
    }

    /// Reads the key at -2 without converting it in place (which would confuse `lua_next`).
    private func readKey(path: LuaValuePath) throws(LuaError) -> LuaValue {
        switch lua_type(thread, -2) {
        case LUA_TSTRING: return readString(-2)
        case LUA_TBOOLEAN: return .boolean(lua_toboolean(thread, -2) != 0)
        case LUA_TNUMBER:
            if lua_isinteger(thread, -2) != 0 { return .integer(lua_tointegerx(thread, -2, nil)) }
            return .number(lua_tonumberx(thread, -2, nil))
        default:
            let name = String(cString: lua_typename(thread, lua_type(thread, -2)))
            throw LuaError(kind: .conversion, message: "cannot convert a table with a \(name) key at \(path)")
        }
    }

}

/// Where a reader is in the value it reads, for messages: the root's name and the keys
/// walked from it, spelled out (`value.items[3].name`) only when a message needs it.
struct LuaValuePath: CustomStringConvertible {
    let root: String
    var keys: [LuaValue] = []

    init(_ root: String) { self.root = root }

    var description: String {
        keys.reduce(into: root) { path, key in
            switch key {
            case .string(let s): path += ".\(s)"
            case .integer(let i): path += "[\(i)]"
            default: path += "[\(key)]"
            }
        }
    }
}
