import LuaBridge
import Testing

@Suite struct LuaValueTests {
    static let roundTrips: [LuaValue] = [
        .nil, true, false, 0, 42, -7, .integer(.max), .integer(.min), 1.0, 0.5, -2.25, .number(1e300),
        "", "hello", .string("nul\u{0}inside"), .string("ünïcødé ✓"),
        .bytes([0xFF, 0x00, 0xFE, 0x41]),
        .array([]), [1, 2, 3], ["a", 1, 2.5, true],
        .table([:]), ["a": 1, "b": "two"], [.integer(1): "x", .integer(3): "y"],
        [.integer(1): "one", "name": "mixed"], [.boolean(true): "yes", .number(1.5): "float key"],
        .null, ["value": .null, "list": [.null, 1]],
        ["nested": ["deeper": ["deepest": [1, [2, [3]]]]]],
    ]

    @Test(arguments: roundTrips)
    func roundTripsThroughLua(value: LuaValue) throws {
        let state = try LuaState()
        try state.setGlobal("v", value)
        let back = try state.run("return v")
        #expect(back == [value])
    }

    @Test func integersAndFloatsStayApart() throws {
        let state = try LuaState()
        let values = try state.run("return 3, 3.0, 2^53, 7 // 2, 7 / 2, math.maxinteger")
        #expect(
            values == [
                .integer(3), .number(3.0), .number(9_007_199_254_740_992), .integer(3), .number(3.5), .integer(.max),
            ])
        try state.setGlobal("i", .integer(5))
        try state.setGlobal("f", .number(5))
        #expect(try state.run("return math.type(i), math.type(f)") == ["integer", "float"])
    }

    @Test func stringsAreBytes() throws {
        let state = try LuaState()
        let values = try state.run(#"return "a\0b", #"a\0b", "\xff\xfe""#)
        #expect(values == [.string("a\u{0}b"), .integer(3), .bytes([0xFF, 0xFE])])
    }

    @Test func tablesFromLuaBecomeArraysOrMapsDeliberately() throws {
        let state = try LuaState()
        #expect(try state.run("return {}") == [.table([:])])
        #expect(try state.run("return {10, 20}") == [[10, 20]])
        #expect(try state.run("return {[1] = 'a', [3] = 'c'}") == [[.integer(1): "a", .integer(3): "c"]])
        #expect(try state.run("return {[2] = 'b', x = 1}") == [[.integer(2): "b", "x": 1]])
        #expect(try state.run("return {[0] = 'z', 'a'}") == [[.integer(0): "z", .integer(1): "a"]])
        #expect(try state.run("return {'a', n = 1}") == [[.integer(1): "a", "n": 1]])
    }

    @Test func emptyArraysKeepTheirKindThroughLua() throws {
        let state = try LuaState()
        try state.setGlobal("a", .array([]))
        #expect(try state.run("return a, #a, type(a)") == [.array([]), 0, "table"])
        #expect(try state.run("local t = a; t[1] = 'x'; t[1] = nil; return t") == [.array([])])
    }

    @Test func nullIsASentinelDistinctFromNil() throws {
        let state = try LuaState()
        try state.setGlobal("n", .null)
        #expect(try state.run("return tostring(n), n ~= nil, type(n)") == ["null", true, "table"])
        #expect(throws: LuaError.self) { try state.run("n.x = 1") }
    }

    @Test func cyclesAreReportedWithTheirPath() throws {
        let state = try LuaState()
        let error = #expect(throws: LuaError.self) {
            try state.run("local t = {inner = {}}; t.inner.back = t; return t")
        }
        #expect(error?.kind == .conversion)
        #expect(error?.message == "table contains a cycle at value.inner.back")
    }

    @Test func sharedSubtablesThatAreNotCyclesConvert() throws {
        let state = try LuaState()
        let values = try state.run("local s = {1}; return {a = s, b = s}")
        #expect(values == [["a": [1], "b": [1]]])
    }

    @Test func depthIsCapped() throws {
        let state = try LuaState()
        state.maxConversionDepth = 10
        let error = #expect(throws: LuaError.self) {
            try state.run("local t = {}; local c = t; for i = 1, 20 do c.x = {}; c = c.x end; return t")
        }
        #expect(error?.message.contains("deeper than 10 levels at value.x.x") == true)
        var deep: LuaValue = 1
        for _ in 0..<20 { deep = [deep] }
        #expect(throws: LuaError.self) { try state.setGlobal("d", deep) }
    }

    @Test func functionsAndUnsupportedKeysAreConversionErrors() throws {
        let state = try LuaState()
        let function = #expect(throws: LuaError.self) { try state.run("return {f = print}") }
        #expect(function?.message == "cannot convert a function value at value.f")
        let key = #expect(throws: LuaError.self) { try state.run("return {[{}] = 1}") }
        #expect(key?.message == "cannot convert a table with a table key at value")
    }
}
