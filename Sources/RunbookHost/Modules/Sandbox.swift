import LuaBridge
import ReleaseCore

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
        if let clock = context.configuration.clock { try followVirtualTime(clock, context) }
        if let output = context.configuration.output { try capturePrinting(output, context) }
        if let environment = context.configuration.environment {
            context.bind("os.getenv") { _, call in
                .values([environment[try call.string(at: 1)].map { .string($0) } ?? .nil])
            }
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

    /// On a virtual clock (`ldrun test`), `os.time()` and `os.date(format)` read the
    /// virtual time, so a runbook that compares dates in the data with now sees one clock.
    /// With a time given (`os.time{...}`, `os.date(format, t)`), they are Lua's own.
    private static func followVirtualTime(_ clock: VirtualClock, _ context: RunContext) throws(LuaError) {
        context.bind("os.virtual_now") { _, _ in .values([.integer(clock.epochMillis() / 1000)]) }
        try context.state.execute(
            """
            local now, time, date = os.virtual_now, os.time, os.date
            os.virtual_now = nil
            os.time = function(...)
              if select("#", ...) == 0 or (...) == nil then return now() end
              return time(...)
            end
            os.date = function(format, t, ...)
              if t == nil then t = now() end
              return date(format or "%c", t, ...)
            end
            """,
            chunkName: "=ldrun/sandbox"
        )
    }

    /// With ``RunbookHostConfiguration/output``, `print` and `io.write` write there, as
    /// they would to standard output (`io.write` returns `io.stdout`, as Lua's does).
    private static func capturePrinting(_ output: @escaping @Sendable (String) -> Void, _ context: RunContext)
        throws(LuaError)
    {
        context.bind("io.captured_write") { _, call in
            output(try call.string(at: 1))
            return .values([])
        }
        try context.state.execute(
            """
            local emit, tostring, select, concat, stdout = io.captured_write, tostring, select, table.concat, io.stdout
            io.captured_write = nil
            print = function(...)
              local parts = {}
              for index = 1, select("#", ...) do parts[index] = tostring((select(index, ...))) end
              emit(concat(parts, "\\t") .. "\\n")
            end
            io.write = function(...)
              for index = 1, select("#", ...) do
                local value = select(index, ...)
                if type(value) ~= "string" and type(value) ~= "number" then
                  error("bad argument #" .. index .. " to 'write' (string expected, got " .. type(value) .. ")", 2)
                end
                emit(tostring(value))
              end
              return stdout
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
