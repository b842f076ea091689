import LuaBridge
import Testing

@Suite struct HostFunctionTests {
    @Test func hostFunctionsLiveInNestedTablesAndReturnValues() throws {
        let state = try LuaState()
        state.register("release.get") { call in
            .values([.string("release of " + (try call.string(at: 1))), .integer(Int64(call.argumentCount))])
        }
        state.register("release.phase.count") { _ in .values([3]) }
        #expect(try state.run("return release.get('checkout')") == ["release of checkout", 1])
        #expect(try state.run("return release.phase.count()") == [3])
    }

    @Test func thrownHostErrorsArePcallableTables() throws {
        let state = try LuaState()
        state.register("release.get") { _ in
            throw LuaHostError(code: "not_found", message: "no release", fields: ["status": 404])
        }
        let values = try state.run(
            """
            local ok, err = pcall(release.get, "x")
            return ok, type(err), err.code, err.status, err.message, err.where, tostring(err)
            """
        )
        #expect(values == [false, "table", "not_found", 404, "no release", .nil, "no release"])
        let located = try state.run(
            """
            local ok, err = pcall(function() release.get("x") end)
            return err.where, tostring(err)
            """
        )
        #expect(located == ["test.lua:1", "test.lua:1: no release"])
    }

    @Test func uncaughtHostErrorsReachSwiftWithTracebackAndLocation() throws {
        let state = try LuaState()
        state.register("release.get") { _ in throw LuaHostError(code: "not_found", message: "no release") }
        let error = #expect(throws: LuaError.self) {
            try state.run(
                """
                local function promote()
                  release.get("x")
                end
                promote()
                """
            )
        }
        #expect(error?.kind == .runtime)
        #expect(error?.code == "not_found")
        #expect(error?.message == "test.lua:2: no release")
        #expect(error?.traceback?.contains("test.lua:2: in") == true)
        #expect(error?.traceback?.contains("test.lua:4: in main chunk") == true)
    }

    @Test func swiftErrorsThatAreNotHostErrorsStillBecomeTables() throws {
        struct Oops: Error, CustomStringConvertible { var description: String { "oops happened" } }
        let state = try LuaState()
        state.register("fail") { _ in throw Oops() }
        #expect(try state.run("local _, e = pcall(fail); return e.code, e.message") == ["host_error", "oops happened"])
    }

    static let badArguments: [(String, String)] = [
        ("release.get()", "bad argument #1 to 'release.get' (string expected, got no value)"),
        ("release.get(nil)", "bad argument #1 to 'release.get' (string expected, got nil)"),
        ("release.get(12)", "bad argument #1 to 'release.get' (string expected, got number)"),
        ("release.get('a', 'b')", "bad argument #2 to 'release.get' (number expected, got string)"),
        ("release.get('a', 1.5)", "bad argument #2 to 'release.get' (number has no integer representation)"),
        ("release.get('a', 1, 5)", "bad argument #3 to 'release.get' (table expected, got number)"),
    ]

    @Test(arguments: badArguments)
    func badArgumentsReadLikeLua(source: String, expected: String) throws {
        let state = try LuaState()
        state.register("release.get") { call in
            _ = try call.string(at: 1)
            if !call.isAbsent(2) { _ = try call.integer(at: 2) }
            _ = try call.optionalTable(at: 3)
            return .none
        }
        let values = try state.run("local ok, e = pcall(function() \(source) end); return e.code, tostring(e)")
        #expect(values == ["bad_argument", .string("test.lua:1: " + expected)])
    }

    @Test func throwingTenThousandTimesLeaksNothing() throws {
        let live = LiveObjects()
        let state = try LuaState()
        state.register("fail") { call in
            let held = [Tracked(live), Tracked(live)]
            throw LuaHostError(code: "boom", message: "failed holding \(held.count) objects for \(call.functionName)")
        }
        let values = try state.run(
            """
            local failures = 0
            for i = 1, 10000 do
              local ok, err = pcall(fail)
              if not ok and err.code == "boom" then failures = failures + 1 end
            end
            return failures
            """
        )
        #expect(values == [10000])
        #expect(live.count == 0)
    }

    @Test func userdataIsReleasedWhenTheStateCloses() throws {
        let live = LiveObjects()
        do {
            let state = try LuaState()
            state.register("make") { call in
                try call.stack.push(object: Tracked(live))
                return .pushed(1)
            }
            try state.run("keep = {make(), make(), make()}")
            #expect(live.count == 3)
        }
        #expect(live.count == 0)
    }

    @Test func userdataIsReleasedByTheCollector() throws {
        let live = LiveObjects()
        let state = try LuaState()
        state.register("make") { call in
            try call.stack.push(object: Tracked(live))
            return .pushed(1)
        }
        try state.run("local t = {}; for i = 1, 100 do t[i] = make() end")
        state.collectGarbage()
        #expect(live.count == 0)
    }

    @Test func objectsComeBackAsTheSameSwiftInstance() throws {
        let live = LiveObjects()
        let state = try LuaState()
        let original = Tracked(live)
        state.defineObjectType(
            "test.thing",
            methods: ["same": { call in .values([.boolean(call.stack.object(at: 1, as: Tracked.self) === original)]) }])
        state.register("make") { call in
            try call.stack.push(object: original, metatable: "test.thing")
            return .pushed(1)
        }
        #expect(
            try state.run("local t = make(); return t:same(), tostring(t):match('^test.thing') ~= nil") == [true, true])
    }
}
