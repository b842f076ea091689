import CLua
import LuaShim

/// One call of a host function: its arguments, the calling thread, and helpers that
/// report bad arguments in Lua's own words.
public struct HostCall {
    /// The calling thread.
    let thread: OpaquePointer
    /// The state the call runs in. Not retained: it is running this call, so it outlives the
    /// call, and a call is over when its body returns (a `HostCall` is not kept).
    private unowned(unsafe) let owner: LuaState
    /// The function's name as registered (`release.get`).
    public let functionName: String

    init(thread: OpaquePointer, state: LuaState, functionName: String) {
        self.thread = thread
        owner = state
        self.functionName = functionName
    }

    /// The calling thread's stack: arguments are at `1...argumentCount`.
    public var stack: LuaStack { LuaStack(state: owner, thread: thread) }
    /// The state the call runs in.
    public var state: LuaState { owner }
    /// How many arguments Lua passed.
    public var argumentCount: Int32 { lua_gettop(thread) }
    /// Whether the calling coroutine may be suspended (false on the main thread and inside
    /// `require`, metamethods and other C calls that cannot yield).
    public var isYieldable: Bool { lua_isyieldable(thread) != 0 }
    /// Identifies the calling thread, so a scheduler can tell which task made the call.
    public var threadID: LuaThreadID { LuaThreadID(thread) }

    /// `file:line` of the Lua code that made the call (empty when unknown).
    public var callerLocation: String { stack.location(level: 1) }

    // MARK: Arguments

    /// The Lua type of argument `index` (1-based; `.none` when absent).
    public func type(at index: Int32) -> LuaType {
        index > argumentCount ? .none : LuaType(code: lua_type(thread, index))
    }

    /// Argument `index` converted to Swift; conversion failures are bad-argument errors.
    public func value(at index: Int32) throws(LuaHostError) -> LuaValue {
        guard index <= argumentCount else { return .nil }
        do {
            return try stack.value(at: index)
        } catch {
            throw argumentError(index, error.message)
        }
    }

    /// A string argument; anything else is `bad argument #i to 'name' (string expected, got T)`.
    public func string(at index: Int32) throws(LuaHostError) -> String {
        guard type(at: index) == .string, let text = stack.string(at: index) else {
            throw typeError(index, expected: "string")
        }
        return text
    }

    /// A string argument as its bytes, for text that must be checked rather than repaired
    /// (invalid UTF-8 is kept as it is).
    public func bytes(at index: Int32) throws(LuaHostError) -> [UInt8] {
        guard type(at: index) == .string, let bytes = stack.bytes(at: index) else {
            throw typeError(index, expected: "string")
        }
        return bytes
    }

    /// A string argument or nil when absent or nil.
    public func optionalString(at index: Int32) throws(LuaHostError) -> String? {
        isAbsent(index) ? nil : try string(at: index)
    }

    /// An integer argument (floats with an integral value are accepted, as Lua does).
    public func integer(at index: Int32) throws(LuaHostError) -> Int64 {
        guard type(at: index) == .number else { throw typeError(index, expected: "number") }
        var isInteger: Int32 = 0
        let value = lua_tointegerx(thread, index, &isInteger)
        guard isInteger != 0 else { throw argumentError(index, "number has no integer representation") }
        return value
    }

    /// A number argument.
    public func number(at index: Int32) throws(LuaHostError) -> Double {
        guard type(at: index) == .number else { throw typeError(index, expected: "number") }
        return lua_tonumberx(thread, index, nil)
    }

    /// Argument `index` when it is a number (no string is converted); `nil` otherwise.
    public func numberIfGiven(at index: Int32) -> Double? {
        // An index past the arguments is still acceptable to lua_type (LUA_TNONE) in a call.
        guard index >= 1, lua_type(thread, index) == LUA_TNUMBER else { return nil }
        return lua_tonumberx(thread, index, nil)
    }

    /// A table argument, converted.
    public func table(at index: Int32) throws(LuaHostError) -> LuaValue {
        guard type(at: index) == .table else { throw typeError(index, expected: "table") }
        return try value(at: index)
    }

    /// A table argument or nil when absent or nil.
    public func optionalTable(at index: Int32) throws(LuaHostError) -> LuaValue? {
        isAbsent(index) ? nil : try table(at: index)
    }

    /// Argument `index` must be a function.
    public func checkFunction(at index: Int32) throws(LuaHostError) {
        guard type(at: index) == .function else { throw typeError(index, expected: "function") }
    }

    /// Whether argument `index` is absent or nil.
    public func isAbsent(_ index: Int32) -> Bool {
        let t = type(at: index)
        return t == .none || t == .nil
    }

    /// Makes the calling thread check for a pending interrupt at its next instruction, not
    /// after the usual interval (a host function that has just interrupted the state).
    public func interruptAtNextInstruction() {
        ldr_interrupt_soon(thread)
    }

    // MARK: Errors

    /// `bad argument #i to 'name' (message)`, located at the caller, code `bad_argument`.
    public func argumentError(_ index: Int32, _ message: String) -> LuaHostError {
        LuaHostError.badArgument(index, to: functionName, message)
    }

    /// `bad argument #i to 'name' (T expected, got U)`.
    public func typeError(_ index: Int32, expected: String) -> LuaHostError {
        argumentError(index, "\(expected) expected, got \(type(at: index))")
    }

    /// The error for a call that must wait where Lua cannot yield (code `not_yieldable`).
    public func notYieldableError() -> LuaHostError {
        LuaHostError(
            code: "not_yieldable",
            message: "'\(functionName)' must wait, which is not possible here "
                + "(inside require, a metamethod, a table.sort comparator or another C call); "
                + "call it from the runbook's body or a spawned task"
        )
    }

    /// Pushes the Lua form of a thrown error: host errors become tables with `where`.
    func pushError(_ error: any Error) {
        let hostError: LuaHostError
        if let convertible = error as? any LuaErrorConvertible {
            hostError = convertible.luaHostError
        } else if let luaError = error as? LuaError, let value = luaError.value {
            let top = stack.top
            if (try? stack.push(value)) != nil { return }
            stack.settop(top)
            hostError = LuaHostError(code: "error", message: luaError.message)
        } else if let luaError = error as? LuaError {
            hostError = LuaHostError(code: luaError.kind.description, message: luaError.message)
        } else {
            hostError = LuaHostError(code: "host_error", message: String(describing: error))
        }
        stack.push(error: hostError, location: callerLocation)
    }
}

/// The identity of a Lua thread (coroutine), usable as a dictionary key.
public struct LuaThreadID: Hashable, Sendable {
    let address: UInt

    init(_ thread: OpaquePointer) { address = UInt(bitPattern: Int(bitPattern: UnsafeRawPointer(thread))) }
}

extension LuaStack {
    /// `file:line` of the function at `level` of this thread's call stack (1 = the caller
    /// of the running C function); empty when unknown.
    public func location(level: Int32) -> String {
        let base = top
        guard ldr_where(thread, level) == LUA_OK else {
            settop(base)
            return ""
        }
        let text = string(at: -1) ?? ""
        settop(base)
        var location = Substring(text)
        while location.last == " " || location.last == ":" { location = location.dropLast() }
        return String(location)
    }

    /// Pushes a host error table `{code=, message=, where=, ...fields}` with the shared
    /// error metatable (`__tostring` renders `where: message`).
    ///
    /// Exactly one value is pushed. When the table cannot be built (fields too deep, or no
    /// memory left), the error message string is pushed instead, or, with no memory even for
    /// that, the error Lua's allocator reported (its preallocated `not enough memory`).
    public func push(error: LuaHostError, location: String? = nil) {
        var entries: [LuaValue: LuaValue] = [:]
        for (key, value) in error.fields { entries[.string(key)] = value }
        entries["code"] = .string(error.code)
        entries["message"] = .string(error.message)
        if let location, !location.isEmpty { entries["where"] = .string(location) }
        let base = top
        var builder = ValueBuilder(maxDepth: state.maxConversionDepth)
        do {
            try builder.add(.table(entries), depth: 0)
            builder.markError()
            try build(builder)
            return
        } catch {
            settop(base)
        }
        if (try? push(string: error.message)) != nil { return }
        settop(base)
        if lua_checkstack(thread, 1) != 0 { ldr_pushmemoryerror(thread) }
    }
}
