import CLua
import LuaShim

extension LuaState {
    /// Sets a global variable without running metamethods of the globals table. A dotted
    /// path (`json.null`) sets a field of nested tables, creating them as needed.
    public func setGlobal(_ path: String, _ value: LuaValue) throws(LuaError) {
        let s = stack
        let top = s.top
        defer { s.settop(top) }
        try s.push(value)
        try s.check(path.withCString { ldr_setpath(L, $0) }, base: top, doing: "set \(path)")
    }

    /// Sets a global variable (a dotted path, as ``setGlobal(_:_:)``) to the value at a stack
    /// index, keeping its identity: a table stays the same table, a function stays callable.
    public func setGlobal(_ path: String, toValueAt index: Int32) throws(LuaError) {
        let s = stack
        let top = s.top
        defer { s.settop(top) }
        try s.reserve(1)
        s.pushCopy(of: index < 0 ? top + index + 1 : index)
        try s.check(path.withCString { ldr_setpath(L, $0) }, base: top, doing: "set \(path)")
    }

    /// Reads a global variable raw and converts it.
    public func global(_ name: String) throws(LuaError) -> LuaValue {
        let s = stack
        let top = s.top
        defer { s.settop(top) }
        try s.reserve(3)
        lua_rawgeti(L, ldr_registryindex(), lua_Integer(ldr_ridx_globals()))
        try s.push(string: name)
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
    ///
    /// Registration runs while a host sets a state up, before any memory limit applies; should
    /// memory run out anyway, the function is simply not registered (nothing unwinds).
    public func register(_ function: HostFunction, at path: String) {
        let s = stack
        let top = s.top
        defer { s.settop(top) }
        do {
            try s.pushHostFunction(function)
            try s.check(path.withCString { ldr_setpath(L, $0) }, base: top, doing: "register \(path)")
        } catch {
            return
        }
    }
}

extension LuaState {
    /// Defines a userdata type for Swift objects: a metatable named `name` whose methods
    /// (`obj:method(...)`) are host functions. Push objects with
    /// ``LuaStack/push(object:metatable:)``; `__gc` releases them, and `__metatable` keeps
    /// the metatable out of reach of `getmetatable`.
    ///
    /// Like ``register(_:at:)``, this runs during setup; should memory run out, the type is
    /// left incomplete rather than unwinding.
    public func defineObjectType(_ name: String, methods: [String: HostFunction.Body]) {
        let s = stack
        let top = s.top
        defer { s.settop(top) }
        do {
            try s.check(name.withCString { ldr_newobjecttype(L, $0) }, base: top, doing: "define \(name)")
            // The metatable at top + 1, its __index table at top + 2.
            for (method, body) in methods.sorted(by: { $0.key < $1.key }) {
                let base = s.top
                try s.push(string: method)
                try s.pushHostFunction(HostFunction(name: "\(name):\(method)", body: body))
                try s.check(ldr_rawset(L, top + 2), base: base, doing: "define \(name):\(method)")
            }
            let base = s.top
            try s.push(["__name", .string(name)])
            try s.check(ldr_rawset(L, top + 1), base: base, doing: "name \(name)")
        } catch {
            return
        }
    }

    /// The identifier keys starting with `prefix` of the value at the dotted `path` ("" for
    /// the globals) and of its metatable's `__index` table (methods), read with raw lookups
    /// only: no metamethod runs. Empty when the path leads nowhere.
    public func names(at path: String, startingWith prefix: String) -> [String] {
        let s = stack
        let base = s.top
        defer { s.settop(base) }
        guard ldr_completions(L, path, prefix) == LUA_OK, case .array(let names)? = try? s.value(at: -1) else {
            return []
        }
        return names.compactMap(\.stringValue)
    }
}
