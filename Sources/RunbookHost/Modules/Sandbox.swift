import LuaBridge

/// The environment a runbook runs in, beyond what the bridge already guarantees (Lua's
/// `load`, `loadfile` and `dofile` take text only; no C modules): `debug` keeps tracebacks
/// and read-only inspection, and `os.exit` ends the run through the host. Documented in
/// docs/lua-api.md, "The sandbox".
enum Sandbox {
    /// The `debug` functions a runbook keeps: they read, and cannot change what they read.
    /// `debug.getmetatable` is left out: it returns the host's own metatables, bypassing
    /// `__metatable`, and a table returned is a table that can be changed.
    static let debugFunctions = ["traceback", "getinfo", "getlocal", "getupvalue", "upvalueid", "gethook"]

    static func install(_ context: RunContext) throws(LuaError) {
        context.bind("os.exit") { context, call in
            let status = try exitStatus(call)
            let given = call.type(at: 1) == .boolean ? (status == 0 ? "true" : "false") : "\(status)"
            let reason = call.isAbsent(1) ? "os.exit()" : "os.exit(\(given))"
            context.scheduler.exit(status: status, reason: reason)
            call.interruptAtNextInstruction()
            throw LuaHostError(code: "exit", message: reason, fields: ["status": .integer(Int64(status))])
        }
        let kept = debugFunctions.map { "\($0) = true" }.joined(separator: ", ")
        try context.state.execute(
            """
            local keep = { \(kept) }
            for name in pairs(debug) do
              if not keep[name] then debug[name] = nil end
            end
            """,
            chunkName: "=ldrun/sandbox"
        )
    }

    /// The status of `os.exit([status [, close]])`, as the standalone interpreter reads it:
    /// none or `true` 0, `false` 1, else an integer.
    private static func exitStatus(_ call: HostCall) throws(LuaHostError) -> Int32 {
        switch call.type(at: 1) {
        case .none, .nil: return 0
        case .boolean:
            guard case .boolean(let success) = try call.value(at: 1) else { return 1 }
            return success ? 0 : 1
        case .number:
            let status = try call.integer(at: 1)
            guard let exact = Int32(exactly: status) else {
                throw call.argumentError(1, "exit status out of range: \(status)")
            }
            return exact
        default:
            throw call.typeError(1, expected: "boolean or integer")
        }
    }
}
