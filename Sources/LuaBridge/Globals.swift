import CLua
import LuaShim

extension LuaState {
    /// Sets a global variable without running metamethods of the globals table. A dotted
    /// path (`json.null`) sets a field of nested tables, creating them as needed.
    public func setGlobal(_ path: String, _ value: LuaValue) throws(LuaError) {
        let s = stack
        let top = s.top
        defer { s.settop(top) }
        let parts = path.split(separator: ".").map(String.init)
        pushParentTable(of: parts)
        s.pushString(parts.last ?? path)
        try s.push(value)
        lua_rawset(L, -3)
    }

    /// Reads a global variable raw and converts it.
    public func global(_ name: String) throws(LuaError) -> LuaValue {
        let s = stack
        let top = s.top
        defer { s.settop(top) }
        lua_rawgeti(L, ldr_registryindex(), lua_Integer(ldr_ridx_globals()))
        s.pushString(name)
        lua_rawget(L, -2)
        return try s.value(at: -1)
    }

    /// Registers a host function under a dotted global path, creating the intermediate
    /// tables: `register("release.get") { call in ... }` makes `release.get` callable.
    ///
    /// The function's name in argument errors is the path.
    public func register(_ path: String, _ body: @escaping HostFunction.Body) {
        register(HostFunction(name: path, body: body), at: path)
    }

    /// Registers a host function object under a dotted global path.
    public func register(_ function: HostFunction, at path: String) {
        let s = stack
        let top = s.top
        defer { s.settop(top) }
        let parts = path.split(separator: ".").map(String.init)
        pushParentTable(of: parts)
        s.pushString(parts.last ?? path)
        s.pushHostFunction(function)
        lua_rawset(L, -3)
    }
}

extension LuaState {
    /// Pushes the table that holds the last part of a dotted path, creating missing tables.
    private func pushParentTable(of parts: [String]) {
        let s = stack
        lua_rawgeti(L, ldr_registryindex(), lua_Integer(ldr_ridx_globals()))
        for part in parts.dropLast() {
            s.pushString(part)
            lua_rawget(L, -2)
            if lua_type(L, -1) != LUA_TTABLE {
                lua_settop(L, -2)
                lua_createtable(L, 0, 4)
                s.pushString(part)
                lua_pushvalue(L, -2)
                lua_rawset(L, -4)
            }
            ldr_remove(L, -2)
        }
    }
}

extension LuaState {
    /// Defines a userdata type for Swift objects: a metatable named `name` whose methods
    /// (`obj:method(...)`) are host functions. Push objects with
    /// ``LuaStack/push(object:metatable:)``; `__gc` releases them.
    public func defineObjectType(_ name: String, methods: [String: HostFunction.Body]) {
        let s = stack
        let top = s.top
        defer { s.settop(top) }
        _ = luaL_newmetatable(L, name)
        lua_createtable(L, 0, Int32(methods.count))
        for (method, body) in methods.sorted(by: { $0.key < $1.key }) {
            s.pushString(method)
            s.pushHostFunction(HostFunction(name: "\(name):\(method)", body: body))
            lua_rawset(L, -3)
        }
        s.pushString("__index")
        lua_pushvalue(L, -2)
        lua_rawset(L, -4)
        lua_settop(L, -2)
        s.pushString("__name")
        s.pushString(name)
        lua_rawset(L, -3)
    }
}
