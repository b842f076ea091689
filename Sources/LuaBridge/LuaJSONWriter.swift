import CLua
import JSONText
import LuaShim

extension LuaStack {
    /// The compact JSON text of the value at `index`, object keys sorted, written straight
    /// from the stack (raw reads: no metamethod runs, nothing is allocated in Lua, so nothing
    /// can raise).
    ///
    /// This is the fast path of `json.encode`. It answers only for values whose text is
    /// certain: `nil` when the value holds anything the general conversion
    /// (``value(at:)``) must decide or word an error for: a key that is not ASCII (whose
    /// order and twins in Unicode normalization the conversion decides), a key of another
    /// type, a table that is neither a list nor a record, a non-finite number, a string
    /// that is not UTF-8, a function or userdata, nesting deeper than the state's limit
    /// (cycles included), or a stack with no room.
    public func sortedJSON(at index: Int32) -> [UInt8]? {
        let base = top
        var writer = LuaJSONWriter(thread: thread, maxDepth: state.maxConversionDepth)
        let written = writer.write(lua_absindex(thread, index), depth: 0)
        settop(base)
        return written ? writer.output.bytes : nil
    }
}

/// Writes JSON from Lua values on a stack, for ``LuaStack/sortedJSON(at:)``.
struct LuaJSONWriter: ~Copyable {
    let thread: OpaquePointer
    let maxDepth: Int
    var output = JSONOutput(capacity: 4096)
    /// The keys of the records being written, innermost last: each key's bytes (owned by
    /// the table, which holds the key) and the stack slot of its value.
    private var keys: [Key] = []

    private struct Key {
        let bytes: UnsafeBufferPointer<UInt8>
        let slot: Int32
    }

    init(thread: OpaquePointer, maxDepth: Int) {
        self.thread = thread
        self.maxDepth = maxDepth
    }

    /// Writes the value at the absolute index `index`; false when it needs the general
    /// conversion. The stack is as it was whether or not it succeeded.
    mutating func write(_ index: Int32, depth: Int) -> Bool {
        switch lua_type(thread, index) {
        case LUA_TNIL:
            JSONText.append("null", to: &output)
        case LUA_TBOOLEAN:
            JSONText.append(lua_toboolean(thread, index) != 0 ? "true" : "false", to: &output)
        case LUA_TNUMBER:
            if lua_isinteger(thread, index) != 0 {
                JSONText.appendInteger(lua_tointegerx(thread, index, nil), to: &output)
            } else {
                let number = lua_tonumberx(thread, index, nil)
                guard number.isFinite else { return false }
                JSONText.appendNumber(number, to: &output)
            }
        case LUA_TSTRING:
            guard let text = string(at: index), JSONText.validUTF8Prefix(text) == text.count else { return false }
            JSONText.appendString(text, to: &output)
        case LUA_TTABLE:
            // Room for what the table's walk pushes (and the null and array checks).
            guard lua_checkstack(thread, 4) != 0 else { return false }
            if ldr_isnull(thread, index) != 0 {
                JSONText.append("null", to: &output)
                return true
            }
            return writeTable(index, depth: depth)
        default:
            return false
        }
        return true
    }

    /// The bytes of the string at `index` (a string already: nothing is converted).
    private func string(at index: Int32) -> UnsafeBufferPointer<UInt8>? { LuaStack.stringBytes(at: index, of: thread) }

    private mutating func writeTable(_ index: Int32, depth: Int) -> Bool {
        // The general conversion's limit, counted as it counts: deeper is its error to word.
        guard depth < maxDepth else { return false }
        var count: Int64 = 0
        var stringKeys: Int64 = 0
        var positiveIntegerKeys: Int64 = 0
        var maxIntegerKey: Int64 = 0
        lua_pushnil(thread)
        while lua_next(thread, index) != 0 {
            count += 1
            switch lua_type(thread, -2) {
            case LUA_TSTRING: stringKeys += 1
            case LUA_TNUMBER where lua_isinteger(thread, -2) != 0:
                let key = lua_tointegerx(thread, -2, nil)
                if key > 0 {
                    positiveIntegerKeys += 1
                    maxIntegerKey = max(maxIntegerKey, key)
                }
            default: break
            }
            ldr_pop(thread, 1)
        }
        if count == 0 {
            JSONText.append(ldr_isarray(thread, index) != 0 ? "[]" : "{}", to: &output)
            return true
        }
        if positiveIntegerKeys == count, maxIntegerKey == count { return writeList(index, count: count, depth: depth) }
        guard stringKeys == count else { return false }
        return writeRecord(index, depth: depth)
    }

    private mutating func writeList(_ index: Int32, count: Int64, depth: Int) -> Bool {
        output.append(UInt8(ascii: "["))
        for element in 1...count {
            if element > 1 { output.append(UInt8(ascii: ",")) }
            lua_rawgeti(thread, index, element)
            let written = write(lua_gettop(thread), depth: depth + 1)
            ldr_pop(thread, 1)
            guard written else { return false }
        }
        output.append(UInt8(ascii: "]"))
        return true
    }

    /// A table of string keys: each key and value is left on the stack (a key and its value
    /// per entry), the keys are sorted by their bytes (which for ASCII is the order of
    /// `String`), then the values are written in that order.
    private mutating func writeRecord(_ index: Int32, depth: Int) -> Bool {
        let base = lua_gettop(thread)
        let firstKey = keys.count
        defer {
            keys.removeSubrange(firstKey...)
            lua_settop(thread, base)
        }
        lua_pushnil(thread)
        while lua_next(thread, index) != 0 {
            // key, value; a copy of the key goes on top for the next step of lua_next.
            guard lua_checkstack(thread, 3) != 0, let key = string(at: -2), JSONText.isASCII(key) else { return false }
            keys.append(Key(bytes: key, slot: lua_gettop(thread)))
            lua_pushvalue(thread, -2)
        }
        keys.withUnsafeMutableBufferPointer { all in
            var record = UnsafeMutableBufferPointer(rebasing: all[firstKey...])
            record.sort { Self.precedes($0.bytes, $1.bytes) }
        }
        output.append(UInt8(ascii: "{"))
        for offset in firstKey..<keys.count {
            if offset > firstKey { output.append(UInt8(ascii: ",")) }
            let key = keys[offset]
            JSONText.appendString(key.bytes, to: &output)
            output.append(UInt8(ascii: ":"))
            guard write(key.slot, depth: depth + 1) else { return false }
        }
        output.append(UInt8(ascii: "}"))
        return true
    }

    /// Byte order: shorter first when one is a prefix of the other.
    private static func precedes(_ left: UnsafeBufferPointer<UInt8>, _ right: UnsafeBufferPointer<UInt8>) -> Bool {
        let shared = min(left.count, right.count)
        var offset = 0
        while offset < shared {
            let a = left[offset]
            let b = right[offset]
            if a != b { return a < b }
            offset += 1
        }
        return left.count < right.count
    }
}
