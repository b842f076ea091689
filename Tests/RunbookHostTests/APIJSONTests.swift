import Foundation
import LuaBridge
import RunbookHost
import Testing

@Suite("json.*") struct APIJSONTests {
    /// JSON texts that `json.encode(json.decode(text))` gives back unchanged (keys sorted).
    static let roundTrips = [
        #"{"a":1,"b":[1,2,3],"c":{"d":"e"}}"#,
        "[]",
        "{}",
        #"{"empty_array":[],"empty_object":{}}"#,
        #"{"x":null}"#,
        "[null,true,false]",
        #"{"big":9007199254740993}"#,
        #"{"ratio":0.25}"#,
        #""café""#,
        "-42",
    ]

    @Test(arguments: roundTrips)
    func decodeThenEncodeGivesTheSameJSON(_ text: String) async throws {
        let harness = try await HostHarness.start()
        defer { Task { await harness.stop() } }
        let result = await harness.evaluate("capture(json.encode(json.decode(...)))") {
            $0.positionalArguments = [text]
        }
        expectSucceeded(result.report)
        #expect(result.value == .string(text))
    }

    @Test func decodeRefusesInvalidUTF8AsEncodeDoesNamingTheByte() async throws {
        let harness = try await HostHarness.start()
        defer { Task { await harness.stop() } }
        let result = await harness.evaluate(
            """
            local ok, err = pcall(json.decode, '"caf\\233"')
            local ok2, err2 = pcall(json.encode, "caf\\233")
            capture(ok, err.code, err.message, ok2)
            """)
        expectSucceeded(result.report)
        #expect(result.values.prefix(2) == [false, "invalid_json"])
        #expect(result.values[2].stringValue?.contains("byte 4: invalid UTF-8") == true, "\(result.values)")
        #expect(result.values[3] == false)
    }

    /// Keys that differ only in Unicode normalization are two keys to Lua and to JSON; both
    /// directions refuse them rather than silently keep one.
    @Test func twinKeysInUnicodeNormalizationAreRefusedNotMerged() async throws {
        let harness = try await HostHarness.start()
        defer { Task { await harness.stop() } }
        let result = await harness.evaluate(
            """
            local ok, err = pcall(json.encode, {["\\u{e9}"] = 1, ["e\\u{301}"] = 2})
            local ok2, err2 = pcall(json.decode, '{"\\\\u00e9": 1, "e\\\\u0301": 2}')
            local same = json.decode('{"a": 1, "a": 2}')
            capture(ok, tostring(err), ok2, err2.code, tostring(err2), same.a)
            """)
        expectSucceeded(result.report)
        #expect(result.values[0] == false)
        #expect(
            result.values[1].stringValue?.contains("differ only in Unicode normalization") == true, "\(result.values)")
        #expect(result.values[2] == false)
        #expect(result.values[3] == "invalid_json")
        #expect(
            result.values[4].stringValue?.contains("differ only in Unicode normalization") == true, "\(result.values)")
        #expect(result.values[5] == 2, "an exact repeat keeps its last value")
    }

    @Test func integersStayIntegersAndFloatsStayFloats() async throws {
        let harness = try await HostHarness.start()
        defer { Task { await harness.stop() } }
        let result = await harness.evaluate(
            """
            local v = json.decode('{"i": 3, "f": 3.0, "big": 9007199254740993}')
            capture(math.type(v.i), math.type(v.f), v.big == 9007199254740993, json.encode{n = 2, h = 0.5})
            """)
        expectSucceeded(result.report)
        #expect(result.values == ["integer", "float", true, #"{"h":0.5,"n":2}"#])
    }

    @Test func arraysAndObjectsArePreserved() async throws {
        let harness = try await HostHarness.start()
        defer { Task { await harness.stop() } }
        let result = await harness.evaluate(
            """
            capture(json.encode({}), json.encode(json.array()), json.encode(json.array{}), json.encode{1, 2, "x"},
              json.encode(json.array{3, 4}), json.encode{list = json.array(), map = {}},
              json.encode(json.decode('{"a": []}')))
            """)
        expectSucceeded(result.report)
        #expect(result.values == ["{}", "[]", "[]", #"[1,2,"x"]"#, "[3,4]", #"{"list":[],"map":{}}"#, #"{"a":[]}"#])
    }

    @Test func nullIsASentinelDistinctFromNil() async throws {
        let harness = try await HostHarness.start()
        defer { Task { await harness.stop() } }
        let result = await harness.evaluate(
            """
            local v = json.decode('{"x": null, "list": [1, null, 3]}')
            local ok, err = pcall(function() json.null.field = 1 end)
            capture(v.x == json.null, v.list[2] == json.null, #v.list, tostring(json.null), json.encode(json.null),
              json.encode{a = json.null, b = nil}, ok)
            """)
        expectSucceeded(result.report)
        #expect(result.values == [true, true, 3, "null", "null", #"{"a":null}"#, false])
    }

    @Test func prettyEncodingIndentsWithSortedKeys() async throws {
        let harness = try await HostHarness.start()
        defer { Task { await harness.stop() } }
        let result = await harness.evaluate(#"capture(json.encode({b = {1, 2}, a = "x", c = {}}, {pretty = true}))"#)
        expectSucceeded(result.report)
        #expect(result.value == "{\n  \"a\": \"x\",\n  \"b\": [\n    1,\n    2\n  ],\n  \"c\": {}\n}")
    }

    /// Values JSON cannot represent: the error code and a piece of its message.
    static let encodeErrors: [(lua: String, code: String, message: String)] = [
        (#""\xff\xfe""#, "invalid_json", "value is a string that is not valid UTF-8"),
        ("{1, 2, nil, 4}", "invalid_json", "a JSON object needs string keys"),
        ("{[1] = 'a', [3] = 'c'}", "invalid_json", "and an array needs keys 1..n without holes"),
        ("{list = {[2] = 'x'}}", "invalid_json", "value.list has the key 2"),
        ("{[true] = 1}", "invalid_json", "value has the key true"),
        ("0/0", "invalid_json", "which JSON cannot represent"),
        ("math.huge", "invalid_json", "value is inf, which JSON cannot represent"),
        ("{f = print}", "bad_argument", "bad argument #1 to 'json.encode' (cannot convert a function value"),
        ("(function() local t = {}; t.self = t; return t end)()", "bad_argument", "table contains a cycle"),
    ]

    @Test(arguments: encodeErrors)
    func encodeRaisesForValuesJSONCannotHold(_ example: (lua: String, code: String, message: String)) async throws {
        let harness = try await HostHarness.start()
        defer { Task { await harness.stop() } }
        let result = await harness.evaluate(
            """
            local ok, err = pcall(function() return json.encode(\(example.lua)) end)
            capture(ok, err.code, err.message)
            """)
        expectSucceeded(result.report)
        #expect(result.values.prefix(2) == [false, .string(example.code)])
        #expect(
            result.values.last?.stringValue?.contains(example.message) == true,
            "\(result.values.last ?? .nil)")
    }

    static let decodeErrors = ["{", "{'a': 1}", "[1,]", "nul", "", #"{"a": 1} trailing"#]

    @Test(arguments: decodeErrors)
    func decodeRaisesInvalidJSON(_ text: String) async throws {
        let harness = try await HostHarness.start()
        defer { Task { await harness.stop() } }
        let result = await harness.evaluate(
            """
            local ok, err = pcall(json.decode, ...)
            capture(ok, err.code, err.message:sub(1, 13))
            """
        ) { $0.positionalArguments = [text] }
        expectSucceeded(result.report)
        #expect(result.values == [false, "invalid_json", "json.decode: "])
    }

    @Test func arrayRejectsATableWithOtherKeys() async throws {
        let harness = try await HostHarness.start()
        defer { Task { await harness.stop() } }
        let result = await harness.evaluate(
            """
            local ok, err = pcall(json.array, {a = 1})
            capture(err.code, err.message)
            """)
        expectSucceeded(result.report)
        #expect(result.values == ["bad_argument", "bad argument #1 to 'json.array' (table with keys 1..n expected)"])
    }
}
