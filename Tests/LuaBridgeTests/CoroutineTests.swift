import Foundation
import LuaBridge
import Synchronization
import Testing

@Suite(.timeLimit(.minutes(1))) struct CoroutineTests {
    /// A state with `wait()`, a host function that suspends its coroutine.
    func makeState() throws -> LuaState {
        let state = try LuaState()
        state.register("wait") { _ in .yield }
        return state
    }

    func coroutine(_ state: LuaState, _ source: String) throws -> LuaCoroutine {
        try LuaCoroutine(state: state, function: state.load(source, chunkName: "@task.lua"))
    }

    @Test func yieldsAreResumedWithValues() throws {
        let state = try makeState()
        let task = try coroutine(state, "local a, b = wait(); local c = wait(); return a + c, b")
        guard case .waiting = task.resume() else { throw Failure("expected the task to wait") }
        #expect(task.status == .waiting)
        guard case .waiting = task.resume([40, "label"]) else { throw Failure("expected a second wait") }
        guard case .finished(let count) = task.resume([2]) else { throw Failure("expected the task to finish") }
        #expect(count == 2)
        #expect(try task.results() == [42, "label"])
    }

    @Test func yieldsResumedWithErrorsRaiseAtTheCallAndArePcallable() throws {
        let state = try makeState()
        let task = try coroutine(
            state,
            """
            local ok, err = pcall(function()
              local value = wait()
              return value
            end)
            return ok, err.code, err.where, tostring(err)
            """
        )
        task.resume()
        guard case .finished = task.resume(throwing: LuaHostError(code: "timeout", message: "gave up")) else {
            throw Failure("expected the task to finish")
        }
        #expect(try task.results() == [false, "timeout", "task.lua:2", "task.lua:2: gave up"])
    }

    @Test func uncaughtErrorsFailTheTaskWithATraceback() throws {
        let state = try makeState()
        let task = try coroutine(state, "local function step()\n  wait()\nend\nstep()")
        task.resume()
        guard case .failed(let error) = task.resume(throwing: LuaHostError(code: "paused", message: "phase paused"))
        else {
            throw Failure("expected the task to fail")
        }
        #expect(error.code == "paused")
        #expect(error.message == "task.lua:2: phase paused")
        #expect(error.traceback?.contains("task.lua:4: in main chunk") == true)
        #expect(task.status == .failed)
    }

    @Test func aFailedTaskIsResetSoItsCloseVariablesRun() throws {
        let state = try makeState()
        let task = try coroutine(
            state,
            """
            local guard <close> = setmetatable({}, {__close = function(_, err) closed_with = err end})
            error("stop")
            """
        )
        guard case .failed = task.resume() else { throw Failure("expected failure") }
        #expect(try state.global("closed_with") == "task.lua:2: stop")
    }

    /// The `<close>` cleanup of an uncaught error may itself wait in a host call (the API),
    /// and the task then fails with its original error and the traceback of where it was
    /// raised, without the task entry's own frame.
    @Test func cleanupAfterAnUncaughtErrorMayWait() throws {
        let state = try makeState()
        let task = try coroutine(
            state,
            """
            local function go()
              local guard <close> = setmetatable({}, {__close = function(_, err)
                cleanup_saw = tostring(err)
                cleanup_got = wait()
              end})
              error({code = "paused", message = "phase paused"})
            end
            go()
            """
        )
        guard case .waiting = task.resume() else { throw Failure("expected the cleanup to wait") }
        guard case .failed(let error) = task.resume(["released"]) else { throw Failure("expected the task to fail") }
        #expect(error.code == "paused")
        #expect(error.message == "phase paused")
        #expect(try state.global("cleanup_got") == "released")
        #expect(try state.global("cleanup_saw").stringValue?.hasPrefix("table:") == true)
        let traceback = try #require(error.traceback)
        #expect(traceback.contains("task.lua:6: in local 'go'") || traceback.contains("task.lua:6: in function"))
        #expect(traceback.hasSuffix("task.lua:8: in main chunk"), "\(traceback)")
        #expect(task.status == .failed)
        // The failed task's error object still reaches another task.
        let consumer = try coroutine(state, "local e = wait(); return e.code")
        consumer.resume()
        guard case .finished = consumer.resume(pushing: { stack throws(LuaError) in try task.pushResults(onto: stack) })
        else { throw Failure("expected the consumer to finish") }
        #expect(try consumer.results() == ["paused"])
    }

    /// A cleanup that raises replaces the error, as in Lua; a memory error stays one.
    @Test func aFailingCleanupReplacesTheErrorAndMemoryErrorsKeepTheirKind() throws {
        let state = try makeState()
        let task = try coroutine(
            state,
            """
            local guard <close> = setmetatable({}, {__close = function() error("cleanup broke") end})
            error("first")
            """
        )
        guard case .failed(let error) = task.resume() else { throw Failure("expected failure") }
        #expect(error.message == "task.lua:1: cleanup broke")
        let hungry = try coroutine(state, "local t = {}\nfor i = 1, 1e9 do t[i] = {i} end")
        state.memoryLimit = 32 << 20
        guard case .failed(let memory) = hungry.resume() else { throw Failure("expected failure") }
        state.memoryLimit = nil
        #expect(memory.kind == .memory, "\(memory)")
        #expect(memory.message.contains("not enough memory"))
    }

    @Test func closingAWaitingTaskRunsItsCloseVariables() throws {
        let state = try makeState()
        let task = try coroutine(
            state,
            "local guard <close> = setmetatable({}, {__close = function() closed = true end})\nwait()"
        )
        task.resume()
        #expect(task.close() == nil)
        #expect(try state.global("closed") == true)
        #expect(task.status == .failed)
    }

    @Test func plainCoroutineYieldsAreToldApart() throws {
        let state = try makeState()
        let task = try coroutine(state, "local x = coroutine.yield(1, 2); return x * 10")
        guard case .yielded(let values) = task.resume() else { throw Failure("expected a plain yield") }
        #expect(values == [1, 2])
        guard case .finished = task.resume([5]) else { throw Failure("expected the task to finish") }
        #expect(try task.results() == [50])
    }

    @Test func resultsMoveBetweenTasksAsLuaValues() throws {
        let state = try makeState()
        let producer = try coroutine(state, "return print, {n = 1}")
        producer.resume()
        let consumer = try coroutine(state, "local f, t = wait(); return f == print, t.n")
        consumer.resume()
        let result = consumer.resume { stack throws(LuaError) in
            try producer.pushResults(onto: stack)
        }
        guard case .finished = result else { throw Failure("expected the consumer to finish") }
        #expect(try consumer.results() == [true, 1])
    }

    @Test func waitingWhereLuaCannotYieldIsAClearError() throws {
        let state = try makeState()
        let task = try coroutine(
            state,
            """
            local ok, err = pcall(table.sort, {3, 1, 2}, function(a, b) wait(); return a < b end)
            return err.code, err.message
            """
        )
        guard case .finished = task.resume() else { throw Failure("expected the task to finish") }
        let results = try task.results()
        #expect(results.first == "not_yieldable")
        #expect(results.last?.stringValue?.contains("'wait' must wait") == true)
        #expect(throws: LuaError.self) { try state.run("wait()") }
    }

    @Test func tenThousandYieldsResumedWithErrorsLeakNothing() throws {
        let live = LiveObjects()
        let state = try LuaState()
        state.register("wait") { _ in
            _ = Tracked(live)
            return .yield
        }
        let task = try coroutine(
            state,
            "local n = 0\nfor i = 1, 10000 do if not pcall(wait, {i}) then n = n + 1 end end\nreturn n"
        )
        var result = task.resume()
        var objects: [Tracked] = []
        while case .waiting = result {
            objects = [Tracked(live)]
            result = task.resume(throwing: LuaHostError(code: "failed", message: "failed with \(objects.count)"))
        }
        objects = []
        guard case .finished = result else { throw Failure("expected the task to finish") }
        #expect(try task.results() == [10000])
        #expect(live.count == 0)
    }

    @Test func runawayLuaCodeIsInterrupted() throws {
        let state = try makeState()
        let task = try coroutine(
            state,
            """
            local ok, err = pcall(function() while true do end end)
            cleanup_saw = err.code
            while true do end
            """
        )
        // Keep interrupting until the task is done: the first interrupt is caught by the
        // pcall, a later one ends the second loop (two requests that land before the hook
        // runs count as one, so a fixed number of them could leave the loop spinning).
        let handle = state.interruptHandle
        let done = Mutex(false)
        Thread.detachNewThread {
            while !done.withLock({ $0 }) {
                handle.interrupt()
                Thread.sleep(forTimeInterval: 0.02)
            }
        }
        defer { done.withLock { $0 = true } }
        guard case .failed(let error) = task.resume() else { throw Failure("expected an interrupt") }
        #expect(error.code == "interrupted")
        #expect(try state.global("cleanup_saw") == "interrupted")
    }
}

struct Failure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
