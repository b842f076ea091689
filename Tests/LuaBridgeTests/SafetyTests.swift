import Foundation
import LuaBridge
import Testing

/// Inputs that used to corrupt memory or crash the process, run in-process now that they
/// are safe: stack overflow in spawn, a reachable `__gc`, memory exhaustion, results that
/// cannot be pushed, and interrupts a `pcall` could swallow.
@Suite(.timeLimit(.minutes(1))) struct SafetyTests {
    // MARK: The stack

    @Test(arguments: [19, 40, 200, 5000])
    func aCoroutineSpawnedWithManyArgumentsGetsThemAll(count: Int) throws {
        let state = try LuaState()
        state.register("spawn") { call in
            let coroutine = try LuaCoroutine(spawningFrom: call, functionAt: 1)
            guard case .finished = coroutine.resume() else { return .values(["failed"]) }
            return .values(try coroutine.results())
        }
        let result = try state.run(
            """
            local t = {}
            for i = 1, \(count) do t[i] = i end
            return spawn(function(...) return select('#', ...), (select(\(count), ...)) end, table.unpack(t))
            """)
        #expect(result == [.integer(Int64(count)), .integer(Int64(count))])
    }

    // MARK: Metatables

    @Test func gcOfAHostMetatableIgnoresValuesThatAreNotItsOwn() throws {
        let live = LiveObjects()
        let state = try LuaState()
        state.defineObjectType(
            "test.thing",
            methods: [
                "alive": { call in
                    .values([.boolean(call.stack.object(at: 1, as: Tracked.self) != nil)])
                }
            ])
        state.register("make") { call in
            try call.stack.push(object: Tracked(live), metatable: "test.thing")
            return .pushed(1)
        }
        state.register("plain") { call in
            try call.stack.push(object: Tracked(live))
            return .pushed(1)
        }
        let result = try state.run(
            """
            keep = {make(), plain()}
            local gc1 = debug.getmetatable(keep[1]).__gc
            local gc2 = debug.getmetatable(keep[2]).__gc
            for _, gc in ipairs({gc1, gc2}) do
              gc(io.stdout); gc(io.stderr); gc({}); gc("text"); gc(nil); gc(42)
            end
            io.stdout:write("")
            return getmetatable(keep[1]), getmetatable(keep[2]), keep[1]:alive(), io.type(io.stdout)
            """)
        #expect(result == ["test.thing", "userdata", true, "file"])
        #expect(live.count == 2)
    }

    @Test func hostMetatablesCannotBeReplacedOrReached() throws {
        let state = try LuaState()
        state.defineObjectType("test.thing", methods: [:])
        state.register("make") { call in
            try call.stack.push(object: Tracked(LiveObjects()), metatable: "test.thing")
            return .pushed(1)
        }
        state.register("fail") { _ in throw LuaHostError(code: "boom", message: "no") }
        let result = try state.run(
            """
            local ok1 = pcall(setmetatable, make(), {})
            local _, err = pcall(fail)
            local ok2 = pcall(setmetatable, err, {})
            local seen = getmetatable(err)
            local has_tostring = type(seen.__tostring) == "function"
            seen.__tostring = function() return "changed" end
            return ok1, ok2, has_tostring, tostring(err):match("no$") ~= nil, getmetatable(make())
            """)
        #expect(result == [false, false, true, true, "test.thing"])
    }

    // MARK: Memory

    @Test func runningOutOfMemoryIsACatchableLuaError() throws {
        let state = try LuaState()
        state.memoryLimit = 32 << 20
        let caught = try state.run(
            """
            local ok, err = pcall(function()
              local t = {}
              for i = 1, 1e8 do t[i] = {i} end
            end)
            return ok, err
            """)
        #expect(caught == [false, "not enough memory"])
        #expect(try state.run("return 1 + 1") == [2])
        #expect(throws: LuaError.self) { try state.run("local t = {} for i = 1, 1e8 do t[i] = {} end") }
        do {
            try state.run("local t = {} for i = 1, 1e8 do t[i] = {} end")
        } catch {
            #expect(error.kind == .memory)
            #expect(error.message.contains("not enough memory"))
        }
        #expect(state.memoryInUse < 32 << 20)
    }

    @Test func aValuePushedFromSwiftPastTheLimitFailsWithoutUnwindingSwift() throws {
        let state = try LuaState()
        state.memoryLimit = 16 << 20
        let huge = String(repeating: "x", count: 32 << 20)
        let stack = state.stack
        let top = stack.top
        #expect(throws: LuaError.self) { try stack.push(.string(huge)) }
        #expect(throws: LuaError.self) { try stack.push(.array([.string(huge)])) }
        #expect(throws: LuaError.self) { try state.setGlobal("big", .string(huge)) }
        #expect(stack.top == top)
        state.register("fetch") { _ in .values([.table(["body": .string(huge)])]) }
        state.register("object") { call in
            try call.stack.push(object: Tracked(LiveObjects()))
            return .pushed(1)
        }
        let result = try state.run(
            """
            local ok, err = pcall(fetch)
            return ok, err.code, err.message:match("not enough memory") ~= nil
            """)
        #expect(result == [false, "memory", true])
        state.memoryLimit = nil
        try stack.push(.string(huge))
        stack.pop()
    }

    // MARK: Results that cannot reach Lua

    static func nested(_ depth: Int) -> LuaValue {
        (0..<depth).reduce(LuaValue.string("bottom")) { inner, _ in .table(["next": inner]) }
    }

    @Test func resultsTooDeepToPushFailTheCallInsteadOfLeavingTheCoroutineWaiting() throws {
        let state = try LuaState()
        state.register("wait") { _ in .yield }
        let caught = try LuaCoroutine(
            state: state,
            function: state.load("local ok, err = pcall(wait); return ok, err.code, err.message", chunkName: "@t.lua"))
        guard case .waiting = caught.resume() else { throw Failure("expected the task to wait") }
        guard case .finished = caught.resume([Self.nested(200)]) else { throw Failure("expected the call to fail") }
        let results = try caught.results()
        #expect(results.prefix(2) == [false, "conversion"])
        #expect(results[2].stringValue?.contains("deeper than") == true)

        let uncaught = try LuaCoroutine(state: state, function: state.load("return wait()", chunkName: "@u.lua"))
        _ = uncaught.resume()
        guard case .failed(let error) = uncaught.resume([Self.nested(200)]) else {
            throw Failure("expected the task to fail")
        }
        #expect(uncaught.status == .failed)
        #expect(error.code == "conversion")

        let fresh = try LuaCoroutine(state: state, function: state.load("return ...", chunkName: "@v.lua"))
        guard case .failed = fresh.resume([Self.nested(200)]) else { throw Failure("expected the start to fail") }
        #expect(fresh.status == .failed)
    }

    // MARK: Interrupts

    @Test(arguments: [
        "for i = 1, 1000 do pcall(function() for j = 1, 1e4 do end end) n = n + 1 end",
        "for i = 1, 100 do pcall(function() for j = 1, 100 do pcall(function() for k = 1, 1e3 do end end) end end) n = n + 1 end",
        "for i = 1, 1000 do xpcall(function() for j = 1, 1e4 do end end, function(e) return e end) n = n + 1 end",
        "for i = 1, 1000 do local ok = pcall(error, 'x') n = n + 1 end for i = 1, 1e7 do end",
    ])
    func anInterruptPersistsSoAPcallLoopCannotSwallowIt(loop: String) throws {
        let state = try LuaState()
        try state.run("n = 0")
        state.interruptHandle.interrupt()
        do {
            try state.run(loop)
            Issue.record("the loop ran to completion (n = \(try state.global("n")))")
        } catch {
            #expect(error.code == "interrupted")
        }
        #expect(state.interruptHandle.isPending)
        state.interruptHandle.clear()
        #expect(try state.run("local s = 0 for i = 1, 1e5 do s = s + i end return s") == [5_000_050_000])
    }
}
