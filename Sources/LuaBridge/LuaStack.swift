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
    //
    // Everything that allocates runs in C under lua_pcall (the value builder `ldr_build` and
    // the other protected helpers of the shim), so running out of memory while Swift pushes
    // a value is a Lua error (`not enough memory`) reported as a thrown ``LuaError``, never a
    // longjmp through Swift frames.

    /// Pushes a Swift value as a new Lua value (tables are created fresh).
    public func push(_ value: LuaValue) throws(LuaError) {
        try push([value])
    }

    /// Pushes every value, returning how many were pushed.
    @discardableResult
    public func push(_ values: [LuaValue]) throws(LuaError) -> Int32 {
        var builder = ValueBuilder(maxDepth: state.maxConversionDepth)
        for value in values { try builder.add(value, depth: 0) }
        try reserve(Int32(clamping: values.count) + 1)
        try build(builder)
        return Int32(values.count)
    }

    /// Pushes `value` directly when it is `nil`, a boolean or a number; false, with nothing
    /// pushed, when it is of another kind or the stack has no room.
    static func pushScalar(_ value: LuaValue, on thread: OpaquePointer) -> Bool {
        guard lua_checkstack(thread, 1) != 0 else { return false }
        switch value {
        case .nil: lua_pushnil(thread)
        case .boolean(let flag): lua_pushboolean(thread, flag ? 1 : 0)
        case .integer(let number): lua_pushinteger(thread, number)
        case .number(let number): lua_pushnumber(thread, number)
        default: return false
        }
        return true
    }

    /// Pushes `values` directly when every one is `nil`, a boolean or a number (pushing those
    /// allocates nothing once the stack has room, so it cannot fail); `nil`, with nothing
    /// pushed, when one is of another kind or the stack has no room.
    static func pushScalars(_ values: [LuaValue], on thread: OpaquePointer) -> Int32? {
        for value in values {
            switch value {
            case .nil, .boolean, .integer, .number: continue
            default: return nil
            }
        }
        guard values.count < 64, lua_checkstack(thread, Int32(values.count)) != 0 else { return nil }
        for value in values {
            switch value {
            case .boolean(let flag): lua_pushboolean(thread, flag ? 1 : 0)
            case .integer(let number): lua_pushinteger(thread, number)
            case .number(let number): lua_pushnumber(thread, number)
            default: lua_pushnil(thread)
            }
        }
        return Int32(values.count)
    }

    /// Pushes a string.
    func push(string: String) throws(LuaError) {
        try push([.string(string)])
    }

    /// Runs a builder's instructions in C under protection.
    func build(_ builder: ValueBuilder) throws(LuaError) {
        let base = top
        let status = builder.ops.withUnsafeBufferPointer { ops in
            builder.bytes.withUnsafeBufferPointer { bytes in
                bytes.withMemoryRebound(to: CChar.self) { chars in
                    ldr_build(thread, ops.baseAddress, ops.count, chars.baseAddress)
                }
            }
        }
        try check(status, base: base, doing: "push a value")
    }

    /// Turns a protected helper's status into a thrown error, leaving the stack at `base`.
    func check(_ status: Int32, base: Int32, doing what: String) throws(LuaError) {
        guard status != LUA_OK else { return }
        guard status != LDR_NOROOM else {
            throw LuaError(kind: .memory, message: "Lua stack overflow: no room to \(what)")
        }
        let message = string(at: -1) ?? "error"
        settop(base)
        throw LuaError(kind: status == LUA_ERRMEM ? .memory : .runtime, message: "cannot \(what): \(message)")
    }

    /// Pushes the value anchored by a reference.
    public func push(_ reference: LuaReference) {
        lua_rawgeti(thread, ldr_registryindex(), lua_Integer(reference.ref))
    }

    /// Pushes a Swift object as userdata owning a strong reference; `__gc` releases it.
    /// With `metatable`, the userdata gets the named metatable (see ``LuaState/defineObjectType(_:methods:)``).
    public func push(object: AnyObject, metatable: String? = nil) throws(LuaError) {
        let base = top
        let retained = Unmanaged.passRetained(object).toOpaque()
        let status =
            if let metatable {
                metatable.withCString { ldr_pushobject(thread, retained, $0) }
            } else {
                ldr_pushobject(thread, retained, nil)
            }
        try check(status, base: base, doing: "push an object")
    }

    func pushHostFunction(_ function: HostFunction) throws(LuaError) {
        let base = top
        let status = ldr_pushhostfunction(thread, Unmanaged.passRetained(function).toOpaque())
        try check(status, base: base, doing: "push a host function")
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
    public func reference(at index: Int32) throws(LuaError) -> LuaReference {
        let base = top
        var ref: Int32 = 0
        try check(ldr_ref(thread, index, &ref), base: base, doing: "keep a value")
        return LuaReference(state: state, ref: ref)
    }

    /// The string at `index` when it is a string (numbers are not converted).
    public func string(at index: Int32) -> String? {
        guard lua_type(thread, index) == LUA_TSTRING, let bytes = Self.stringBytes(at: index, of: thread) else {
            return nil
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The bytes of the string at `index`, exactly as Lua holds them (no UTF-8 repair).
    public func bytes(at index: Int32) -> [UInt8]? {
        guard lua_type(thread, index) == LUA_TSTRING, let bytes = Self.stringBytes(at: index, of: thread) else {
            return nil
        }
        return Array(bytes)
    }

    /// The bytes Lua holds for the string at `index` of `thread`, which must be a string
    /// already (a number would be converted in place). Valid while the string stays on the
    /// stack or in a table that is not changed.
    static func stringBytes(at index: Int32, of thread: OpaquePointer) -> UnsafeBufferPointer<UInt8>? {
        var length = 0
        guard let chars = ldr_tolstring(thread, index, &length) else { return nil }
        return UnsafeBufferPointer(start: UnsafeRawPointer(chars).assumingMemoryBound(to: UInt8.self), count: length)
    }

    /// Converts the value at `index` to Swift.
    public func value(at index: Int32) throws(LuaError) -> LuaValue {
        var visiting: Set<UnsafeRawPointer> = []
        var path = LuaValuePath("value")
        return try LuaValueReader(stack: self, maxDepth: state.maxConversionDepth)
            .read(lua_absindex(thread, index), path: &path, depth: 0, visiting: &visiting)
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

/// Lua values flattened into instructions for the shim's protected builder (`ldr_build`):
/// Swift checks depth and keys first, so conversion errors happen before Lua is touched.
struct ValueBuilder {
    private(set) var ops: [ldr_op] = []
    private(set) var bytes: [UInt8] = []
    let maxDepth: Int

    init(maxDepth: Int) { self.maxDepth = maxDepth }

    mutating func add(_ value: LuaValue, depth: Int) throws(LuaError) {
        guard depth <= maxDepth else {
            throw LuaError(kind: .conversion, message: "value nested deeper than \(maxDepth) levels")
        }
        switch value {
        case .nil: op(LDR_OP_NIL)
        case .boolean(let b): op(LDR_OP_BOOLEAN, integer: b ? 1 : 0)
        case .integer(let i): op(LDR_OP_INTEGER, integer: i)
        case .number(let d): op(LDR_OP_NUMBER, number: d)
        case .string(let s): add(utf8: s)
        case .bytes(let b): add(bytes: b)
        case .null: op(LDR_OP_NULL)
        case .array(let items):
            op(LDR_OP_TABLE, integer: lua_Integer(clamping: items.count))
            for (offset, item) in items.enumerated() {
                try add(item, depth: depth + 1)
                op(LDR_OP_SETINDEX, integer: lua_Integer(offset + 1))
            }
            op(LDR_OP_MARKARRAY)
        case .table(let entries):
            op(LDR_OP_TABLE, length: Int(Int32(clamping: entries.count)))
            for (key, item) in entries where item != .nil {
                try addKey(key)
                try add(item, depth: depth + 1)
                op(LDR_OP_SETFIELD)
            }
        }
    }

    /// Sets the host error metatable on the table just built.
    mutating func markError() { op(LDR_OP_ERRORMT) }

    private mutating func addKey(_ key: LuaValue) throws(LuaError) {
        switch key {
        case .string, .bytes, .integer, .boolean: try add(key, depth: 0)
        case .number(let d) where !d.isNaN: op(LDR_OP_NUMBER, number: d)
        default:
            throw LuaError(kind: .conversion, message: "a table key cannot be \(key.typeName) (\(key))")
        }
    }

    mutating func add(utf8 string: String) {
        let offset = bytes.count
        bytes.append(contentsOf: string.utf8)
        op(LDR_OP_STRING, offset: offset, length: bytes.count - offset)
    }

    private mutating func add(bytes more: [UInt8]) {
        let offset = bytes.count
        bytes.append(contentsOf: more)
        op(LDR_OP_STRING, offset: offset, length: more.count)
    }

    /// Starts from `bytes`, which strings then refer to, with room for `operations`.
    mutating func adopt(bytes: [UInt8], operations: Int) {
        self.bytes = bytes
        ops.reserveCapacity(operations)
    }

    mutating func op(
        _ kind: Int32, integer: lua_Integer = 0, number: lua_Number = 0, offset: Int = 0, length: Int = 0
    ) {
        ops.append(ldr_op(kind: kind, integer: integer, number: number, offset: offset, length: length))
    }
}
