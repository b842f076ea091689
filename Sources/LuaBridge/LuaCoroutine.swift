import CLua
import LuaShim

/// A Lua coroutine driven from Swift: the unit of work a scheduler runs as a task.
///
/// A host function that returns ``HostResult/yield`` suspends the coroutine; the resume
/// result is then ``LuaResumeResult/waiting``, and the scheduler later calls
/// ``resume(_:)`` (the values become the host call's results) or
/// ``resume(throwing:)`` (the host call raises the error, which `pcall` can catch).
/// A coroutine that fails is reset at once, so its `<close>` variables run.
public final class LuaCoroutine {
    /// Where a coroutine stands.
    public enum Status: Sendable, Equatable {
        /// Created and never resumed.
        case created
        /// Suspended in a host function, waiting for its result.
        case waiting
        /// Suspended by a plain `coroutine.yield`.
        case suspended
        /// Running (resumed and not yet back).
        case running
        /// Returned normally; its results stay on its stack.
        case finished
        /// Raised an error; the error object stays on its stack.
        case failed
    }

    /// The state the coroutine belongs to.
    public let state: LuaState
    let thread: OpaquePointer
    private let anchor: LuaReference
    /// Where the coroutine stands.
    public private(set) var status: Status = .created
    /// How many results (or error objects) sit on the finished coroutine's stack.
    public private(set) var resultCount: Int32 = 0

    /// Creates a coroutine that will run `function`.
    public init(state: LuaState, function: LuaReference) throws(LuaError) {
        self.state = state
        (thread, anchor) = try Self.newThread(in: state)
        try LuaStack(state: state, thread: thread).reserve(3)
        // Every coroutine starts in the task entry, which calls the function under protection.
        ldr_pushtaskentry(thread)
        LuaStack(state: state, thread: thread).push(function)
        initialArgumentCount = 1
    }

    /// A new Lua thread, anchored in the registry so it lives as long as the coroutine.
    private static func newThread(in state: LuaState) throws(LuaError) -> (OpaquePointer, LuaReference) {
        let main = state.stack
        let base = main.top
        var thread: OpaquePointer?
        var ref: Int32 = 0
        try main.check(ldr_newthread(state.L, &thread, &ref), base: base, doing: "create a coroutine")
        guard let thread else { throw LuaError(kind: .memory, message: "cannot create a coroutine") }
        return (thread, LuaReference(state: state, ref: ref))
    }

    /// Creates a coroutine from a host call's arguments: the function at `index` and,
    /// as its first arguments, every argument after it (kept as Lua values).
    public init(spawningFrom call: HostCall, functionAt index: Int32) throws(LuaError) {
        let state = call.state
        self.state = state
        (thread, anchor) = try Self.newThread(in: state)
        let count = call.argumentCount - index + 1
        try LuaStack(state: state, thread: thread).reserve(count + 2)
        ldr_pushtaskentry(thread)
        // The copies go on the caller's stack first, which guarantees only a few free slots.
        try call.stack.reserve(count + 1)
        for position in index..<(index + count) { lua_pushvalue(call.stack.thread, position) }
        lua_xmove(call.stack.thread, thread, count)
        // The task entry receives the function and its arguments.
        initialArgumentCount = count
    }

    private var initialArgumentCount: Int32 = 0

    /// The coroutine's identity, matching ``HostCall/threadID`` of calls it makes.
    public var id: LuaThreadID { LuaThreadID(thread) }

    /// The coroutine's own stack.
    public var stack: LuaStack { LuaStack(state: state, thread: thread) }

    /// Starts or continues the coroutine with values.
    ///
    /// For a new coroutine they are the function's arguments; for one waiting in a host
    /// function, that call's results; after a plain `coroutine.yield`, its results.
    @discardableResult
    public func resume(_ values: [LuaValue] = []) -> LuaResumeResult {
        resume { stack throws(LuaError) in try stack.push(values) }
    }

    /// Continues a coroutine waiting in a host function by raising `error` from that call.
    @discardableResult
    public func resume(throwing error: LuaHostError) -> LuaResumeResult {
        guard status == .waiting else {
            return .failed(
                LuaError(kind: .runtime, message: "resume(throwing:) needs a coroutine waiting in a host call"))
        }
        let s = stack
        let location = s.location(level: 1)
        let base = s.top
        guard (try? s.reserve(3)) != nil else { return abandon(LuaError(kind: .memory, message: "Lua stack overflow")) }
        lua_pushboolean(thread, 0)
        s.push(error: error, location: location)
        s.settop(base + 2)
        return run(arguments: 2)
    }

    /// Starts or continues the coroutine with values pushed by `push` onto its stack
    /// (for values that must stay Lua values, such as another coroutine's results).
    /// `push` returns how many values it pushed.
    @discardableResult
    public func resume(pushing push: (LuaStack) throws(LuaError) -> Int32) -> LuaResumeResult {
        switch status {
        case .created, .suspended, .waiting: break
        default:
            return .failed(LuaError(kind: .runtime, message: "cannot resume a \(status) coroutine"))
        }
        let s = stack
        let base = s.top
        var count: Int32 = 0
        if status == .waiting {
            lua_pushboolean(thread, 1)
            count = 1
        } else if status == .created {
            count = initialArgumentCount
        }
        do {
            count += try push(s)
        } catch {
            s.settop(base)
            return failResume(error)
        }
        return run(arguments: count)
    }

    /// Values meant for a resume could not be pushed (too deep, no memory). A coroutine
    /// waiting in a host call then raises the failure from that call (catchable, and the
    /// coroutine goes on); any other is closed and fails with it. Either way it is never left
    /// suspended with nothing to resume it.
    private func failResume(_ error: LuaError) -> LuaResumeResult {
        guard status == .waiting else { return abandon(error) }
        let code = error.kind == .memory ? "memory" : "conversion"
        return resume(
            throwing: LuaHostError(code: code, message: "the call's results cannot reach Lua: \(error.message)"))
    }

    /// Closes the coroutine (its `<close>` variables run) and leaves it failed with `error`.
    private func abandon(_ error: LuaError) -> LuaResumeResult {
        _ = ldr_resetthread(thread)
        let s = stack
        s.settop(0)
        if lua_checkstack(thread, 2) != 0 {
            s.push(error: LuaHostError(code: "error", message: error.message))
            resultCount = 1
        } else {
            resultCount = 0
        }
        status = .failed
        return .failed(error)
    }

    /// Continues a coroutine waiting in a host function by raising, from that call, the
    /// value `push` pushes (any Lua value, such as another task's error object).
    @discardableResult
    public func resumeRaising(pushing push: (LuaStack) throws(LuaError) -> Int32) -> LuaResumeResult {
        guard status == .waiting else {
            return .failed(LuaError(kind: .runtime, message: "resumeRaising needs a coroutine waiting in a host call"))
        }
        let s = stack
        let base = s.top
        guard (try? s.reserve(3)) != nil else { return abandon(LuaError(kind: .memory, message: "Lua stack overflow")) }
        lua_pushboolean(thread, 0)
        do {
            if try push(s) < 1 { lua_pushnil(thread) }
        } catch {
            s.settop(base)
            return failResume(error)
        }
        s.settop(base + 2)
        return run(arguments: 2)
    }

    private func run(arguments: Int32) -> LuaResumeResult {
        status = .running
        var resultCount: Int32 = 0
        let code = lua_resume(thread, state.L, arguments, &resultCount)
        let s = stack
        switch code {
        case LUA_YIELD:
            if resultCount >= 1, lua_touserdata(thread, -1) == ldr_yieldmarker() {
                s.pop(resultCount)
                status = .waiting
                return .waiting
            }
            let values = (try? s.values(count: resultCount)) ?? []
            s.pop(resultCount)
            status = .suspended
            return .yielded(values)
        case LUA_OK:
            // The task entry returns (marker, status, error) when the function failed.
            if resultCount == 3, lua_touserdata(thread, -3) == ldr_failuremarker() {
                let code = Int32(truncatingIfNeeded: lua_tointegerx(thread, -2, nil))
                lua_copy(thread, -1, -3)
                s.pop(2)
                return .failed(failure(code: code, closed: true))
            }
            status = .finished
            self.resultCount = resultCount
            return .finished(resultCount)
        default:
            return .failed(failure(code: code))
        }
    }

    /// Records the error on top of the stack with its traceback (the one the task entry
    /// took where the error was raised, else the dead coroutine's own). Unless the entry has
    /// already `closed` them, the thread is then reset so its to-be-closed variables run
    /// (they see the error). The error object stays on the coroutine's stack for
    /// ``pushResults(onto:)``.
    private func failure(code: Int32, closed: Bool = false) -> LuaError {
        let main = state.stack
        var traceback: String?
        let mainBase = main.top
        if ldr_taketasktraceback(state.L, thread) == LUA_OK, main.type(at: -1) == .string {
            traceback = main.string(at: -1).map(Self.withoutEntryFrame)
        }
        main.settop(mainBase)
        if traceback == nil, ldr_traceback(state.L, thread, nil, 0) == LUA_OK { traceback = main.string(at: -1) }
        main.settop(mainBase)
        let error: LuaError
        if lua_checkstack(thread, 1) != 0, lua_checkstack(state.L, 4) != 0 {
            lua_pushvalue(thread, -1)
            lua_xmove(thread, state.L, 1)
            error = state.errorFromStack(status: code, traceback: traceback, on: main)
        } else {
            error = LuaError(kind: code == LUA_ERRMEM ? .memory : .runtime, message: "error", traceback: traceback)
        }
        main.settop(mainBase)
        if !closed { _ = ldr_resetthread(thread) }
        status = .failed
        resultCount = min(stack.top, 1)
        return error
    }

    /// A traceback without its last line, the task entry (a C function with no name).
    private static func withoutEntryFrame(_ traceback: String) -> String {
        let entry = "\n\t[C]: in ?"
        return traceback.hasSuffix(entry) ? String(traceback.dropLast(entry.count)) : traceback
    }

    /// Converts the finished coroutine's results to Swift.
    public func results() throws(LuaError) -> [LuaValue] {
        guard status == .finished else { return [] }
        return try stack.values(count: resultCount)
    }

    /// Pushes copies of the finished coroutine's results (or its error object, when it
    /// failed) onto another stack, keeping them Lua values. Returns how many were pushed.
    public func pushResults(onto target: LuaStack) throws(LuaError) -> Int32 {
        guard status == .finished || status == .failed, resultCount > 0 else { return 0 }
        try target.reserve(resultCount + 1)
        try stack.reserve(resultCount + 1)
        let first = stack.top - resultCount + 1
        for index in first..<(first + resultCount) {
            lua_pushvalue(thread, index)
        }
        lua_xmove(thread, target.thread, resultCount)
        return resultCount
    }

    /// Closes a suspended or waiting coroutine so its pending `<close>` variables run.
    /// Returns the error a closing method raised, if any.
    @discardableResult
    public func close() -> LuaError? {
        guard status == .suspended || status == .waiting || status == .created else { return nil }
        let code = ldr_resetthread(thread)
        status = .failed
        resultCount = min(stack.top, 1)
        guard code != LUA_OK else {
            stack.settop(0)
            resultCount = 0
            return nil
        }
        return state.errorFromStack(status: code, traceback: nil, on: stack)
    }
}

/// What happened when a coroutine ran until it stopped.
public enum LuaResumeResult {
    /// Suspended in a host function; resume it with the call's results or error.
    case waiting
    /// Suspended by a plain `coroutine.yield`, with the yielded values.
    case yielded([LuaValue])
    /// Returned; this many results sit on its stack (see ``LuaCoroutine/results()``).
    case finished(Int32)
    /// Raised an error that nothing caught (its `<close>` variables have run).
    case failed(LuaError)
}
