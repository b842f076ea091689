import LuaBridge
import ReleaseCore
import Testing

@testable import RunbookHost

/// `json.encode` writes straight from the Lua stack when it can (``LuaStack/sortedJSON(at:)``)
/// and through the general conversion otherwise. The two must agree byte for byte, and the
/// fast path must step aside for everything whose text or error the conversion decides.
@Suite("json.encode's fast path") struct JSONEncodeFastPathTests {
    /// Both encodings of the value a Lua expression gives: the fast path's (nil when it steps
    /// aside) and the general conversion's (nil when it refuses the value).
    private func encodings(_ expression: String) throws -> (fast: String?, general: String?) {
        let state = try LuaState()
        var fast: String?
        var general: String?
        state.register("both") { call in
            fast = call.stack.sortedJSON(at: 1).map { String(decoding: $0, as: UTF8.self) }
            general = (try? LuaJSON.json(try call.value(at: 1)))?.serialized(sortedKeys: true)
            return .values([])
        }
        try state.setGlobal("null", .null)
        try state.setGlobal("list", .array([]))
        _ = try state.execute("both(\(expression))")
        return (fast, general)
    }

    static let written: [String] = [
        "nil", "true", "false", "0", "-7", "9223372036854775807", "math.mininteger", "0.5", "-0.0", "3.0",
        "1e15", "1e300", "-2.5e-8", "123456789.125", "''", "'plain'", #"'quote \" backslash \\ slash /'"#,
        #"'\n\r\t\b\f\0\1\31\127'"#, "'caf\\u{e9} \\u{1F600} \\u{2028}\\u{2029} \\u{2027}'", "null", "{}", "list",
        "{1, 2, 3}", "{{}, {{}}, {null}}", "{b = 1, a = 2, ab = 3, [\"\"] = 4, B = 5}",
        "{items = {{_id = 'x', n = 1}, {_id = 'y', flags = {a = true}}}, empty = list}",
        "{z = {y = {x = {w = {v = 'deep'}}}}}", "{['k\"ey'] = 1, ['k\\\\ey'] = 2, ['k\\ney'] = 3}",
        "(function() local t = {} for i = 1, 300 do t[i] = i * 1.5 end return t end)()",
        "(function() local t = {} for i = 1, 300 do t['key' .. i] = {i} end return t end)()",
        "(function() local shared = {1} return {a = shared, b = shared} end)()",
    ]

    @Test(arguments: written)
    func theFastPathWritesWhatTheConversionWrites(_ expression: String) throws {
        let (fast, general) = try encodings(expression)
        #expect(general != nil, "the conversion accepts \(expression)")
        #expect(fast == general, "\(expression)")
    }

    /// Values the fast path leaves to the conversion, which words the error or decides the
    /// order: `refused` says whether the conversion refuses it.
    static let leftToTheConversion: [(String, Bool)] = [
        ("{['\\u{e9}'] = 1, e = 2}", false),
        ("{['K'] = 1, ['\\u{212A}'] = 2}", true),
        ("{[1] = 'a', [3] = 'c'}", true),
        ("{1, 2, x = 3}", true),
        ("{[0] = 1}", true),
        ("{[1.5] = 1}", true),
        ("{[true] = 1}", true),
        ("0/0", true),
        ("math.huge", true),
        ("'\\xff'", true),
        ("{name = '\\xc3'}", true),
        ("print", true),
        ("{f = print}", true),
        ("(function() local t = {} t.self = t return t end)()", true),
        ("(function() local t = {} for _ = 1, 100 do t = {t} end return t end)()", true),
    ]

    @Test(arguments: leftToTheConversion)
    func theFastPathStepsAsideForWhatTheConversionDecides(_ expression: String, refused: Bool) throws {
        let (fast, general) = try encodings(expression)
        #expect(fast == nil, "\(expression) gave \(fast ?? "")")
        #expect((general == nil) == refused, "\(expression): \(general ?? "refused")")
    }

    /// A table with metamethods is read raw, as the conversion reads it.
    @Test func metamethodsDoNotRun() throws {
        let (fast, general) = try encodings(
            "setmetatable({a = 1}, {__pairs = function() error('ran') end, __index = function() error('ran') end})")
        #expect(fast == #"{"a":1}"#)
        #expect(fast == general)
    }

    /// Nesting up to the state's limit is written; one level more is the conversion's error.
    @Test func theDepthLimitIsTheConversions() throws {
        let limit = try LuaState().maxConversionDepth
        let nested = { (levels: Int) in
            "(function() local t = {} for _ = 2, \(levels) do t = {t} end return t end)()"
        }
        let within = try encodings(nested(limit))
        #expect(within.fast != nil)
        #expect(within.fast == within.general)
        let beyond = try encodings(nested(limit + 1))
        #expect(beyond.fast == nil)
        #expect(beyond.general == nil)
    }
}
