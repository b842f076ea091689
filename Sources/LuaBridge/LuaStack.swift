import CLua
import LuaShim

/// Access to the stack of one thread of a ``LuaState``: pushing Swift values, reading
/// Lua values, and moving values between threads.
///
/// Every read is raw (no metamethods run), so nothing here can raise a Lua error through
/// Swift frames.
public struct LuaStack {
    /// The state the thread belongs to.
    public let state: LuaState
    let thread: OpaquePointer

    init(state: LuaState, thread: OpaquePointer) {
        self.state = state
        self.thread = thread
    }

    /// The index of the top element (the number of values on the stack).
    public var top: Int32 { lua_gettop(thread) }

    /// Sets the top, popping or nil-filling values.
    public func settop(_ index: Int32) { lua_settop(thread, index) }

    /// Pops `count` values.
    public func pop(_ count: Int32 = 1) { ldr_pop(thread, count) }

    /// The Lua type of the value at `index`.
    public func type(at index: Int32) -> LuaType { LuaType(code: lua_type(thread, index)) }

    /// Makes sure `extra` more values fit on the stack.
    func reserve(_ extra: Int32) throws(LuaError) {
        guard lua_checkstack(thread, extra) != 0 else {
            throw LuaError(kind: .memory, message: "Lua stack overflow (nesting too deep)")
        }
    }

    // MARK: Pushing

    func pushString(_ string: String) {
        var string = string
        string.withUTF8 { buffer in
            _ = buffer.withMemoryRebound(to: CChar.self) { chars in
                lua_pushlstring(thread, chars.baseAddress, chars.count)
            }
        }
    }

    func pushBytes(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { buffer in
            _ = buffer.withMemoryRebound(to: CChar.self) { chars in
                lua_pushlstring(thread, chars.baseAddress, chars.count)
            }
        }
    }

    /// Pushes a Swift value as a new Lua value (tables are created fresh).
    public func push(_ value: LuaValue) throws(LuaError) {
        try push(value, depth: 0)
    }

    private func push(_ value: LuaValue, depth: Int) throws(LuaError) {
        guard depth <= state.maxConversionDepth else {
            throw LuaError(
                kind: .conversion,
                message: "value nested deeper than \(state.maxConversionDepth) levels"
            )
        }
        try reserve(3)
        switch value {
        case .nil: lua_pushnil(thread)
        case .boolean(let b): lua_pushboolean(thread, b ? 1 : 0)
        case .integer(let i): lua_pushinteger(thread, i)
        case .number(let d): lua_pushnumber(thread, d)
        case .string(let s): pushString(s)
        case .bytes(let b): pushBytes(b)
        case .null: ldr_pushnull(thread)
        case .array(let items):
            lua_createtable(thread, Int32(clamping: items.count), 0)
            for (offset, item) in items.enumerated() {
                try push(item, depth: depth + 1)
                lua_rawseti(thread, -2, lua_Integer(offset + 1))
            }
            ldr_markarray(thread, -1)
        case .table(let entries):
            lua_createtable(thread, 0, Int32(clamping: entries.count))
            for (key, item) in entries where item != .nil {
                try pushKey(key)
                try push(item, depth: depth + 1)
                lua_rawset(thread, -3)
            }
        }
    }

    private func pushKey(_ key: LuaValue) throws(LuaError) {
        switch key {
        case .string, .bytes, .integer, .boolean: try push(key, depth: 0)
        case .number(let d) where !d.isNaN: lua_pushnumber(thread, d)
        default:
            throw LuaError(kind: .conversion, message: "a table key cannot be \(key.typeName) (\(key))")
        }
    }

    /// Pushes every value, returning how many were pushed.
    @discardableResult
    public func push(_ values: [LuaValue]) throws(LuaError) -> Int32 {
        try reserve(Int32(clamping: values.count) + 1)
        for value in values { try push(value) }
        return Int32(values.count)
    }

    /// Pushes the value anchored by a reference.
    public func push(_ reference: LuaReference) {
        lua_rawgeti(thread, ldr_registryindex(), lua_Integer(reference.ref))
    }

    /// Pushes a Swift object as userdata owning a strong reference; `__gc` releases it.
    /// With `metatable`, the userdata gets the named metatable (see ``LuaState/objectMetatable(_:methods:)``).
    public func push(object: AnyObject, metatable: String? = nil) {
        ldr_pushobject(thread, Unmanaged.passRetained(object).toOpaque())
        if let metatable {
            metatable.withCString { ldr_setobjectmetatable(thread, $0) }
        }
    }

    func pushHostFunction(_ function: HostFunction) {
        ldr_pushhostfunction(thread, Unmanaged.passRetained(function).toOpaque())
    }

    /// Pushes a copy of the value at `index` of this stack.
    public func pushCopy(of index: Int32) { lua_pushvalue(thread, index) }

    // MARK: Reading

    /// The Swift object in the userdata at `index`, if it is one pushed by ``push(object:metatable:)``
    /// and has type `T`.
    public func object<T: AnyObject>(at index: Int32, as type: T.Type = T.self) -> T? {
        guard let pointer = ldr_toobject(thread, index) else { return nil }
        return Unmanaged<AnyObject>.fromOpaque(pointer).takeUnretainedValue() as? T
    }

    /// Anchors the value at `index` in the registry so Swift can keep it.
    public func reference(at index: Int32) -> LuaReference {
        lua_pushvalue(thread, index)
        return LuaReference(state: state, ref: luaL_ref(thread, ldr_registryindex()))
    }

    /// The string at `index` when it is a string (numbers are not converted).
    public func string(at index: Int32) -> String? {
        guard lua_type(thread, index) == LUA_TSTRING else { return nil }
        var length = 0
        guard let chars = ldr_tolstring(thread, index, &length) else { return nil }
        return chars.withMemoryRebound(to: UInt8.self, capacity: length) { bytes in
            String(decoding: UnsafeBufferPointer(start: bytes, count: length), as: UTF8.self)
        }
    }

    /// Converts the value at `index` to Swift.
    public func value(at index: Int32) throws(LuaError) -> LuaValue {
        var visiting: Set<UnsafeRawPointer> = []
        return try LuaValueReader(stack: self, maxDepth: state.maxConversionDepth)
            .read(lua_absindex(thread, index), path: "value", depth: 0, visiting: &visiting)
    }

    /// Converts `count` values ending at the top of the stack, bottom first.
    public func values(count: Int32) throws(LuaError) -> [LuaValue] {
        var result: [LuaValue] = []
        result.reserveCapacity(Int(count))
        let first = top - count + 1
        for index in stride(from: first, through: top, by: 1) {
            result.append(try value(at: index))
        }
        return result
    }

    /// `tostring(value)` run under protection (metamethods may run, and may fail).
    public func describe(at index: Int32) -> String {
        if ldr_tostring(thread, index) == LUA_OK {
            let text = string(at: -1) ?? "?"
            pop()
            return text
        }
        pop()
        return "(error object is a \(type(at: index)) value)"
    }
}
