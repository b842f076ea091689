import JSONText
import ReleaseCore
import Testing

@Suite struct JSONValueParsingTests {
    @Test(arguments: [
        ("0", JSONValue.integer(0)),
        ("-12", .integer(-12)),
        ("1", .integer(1)),
        ("9223372036854775807", .integer(.max)),
        ("-9223372036854775808", .integer(.min)),
        ("9223372036854775808", .number(9_223_372_036_854_775_808)),
        ("1.0", .number(1)),
        ("1.5", .number(1.5)),
        ("-0.25e2", .number(-25)),
        ("1E3", .number(1000)),
        ("true", .bool(true)),
        ("false", .bool(false)),
        ("null", .null),
        ("\"\"", .string("")),
        ("[]", .array([])),
        ("{}", .object([:])),
    ])
    func scalarsAndEmptyContainers(text: String, expected: JSONValue) throws {
        #expect(try JSONValue(parsing: text) == expected)
    }

    @Test func keysThatDifferOnlyInNormalizationAreRefusedAtTheSecond() throws {
        let text = "{\"\u{e9}\": 1, \"e\u{301}\": 2}"
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: text) }
        do {
            _ = try JSONValue(parsing: text)
        } catch {
            #expect(error.offset == 10, "at the second key: \(error)")
        }
        #expect(try JSONValue(parsing: #"{"k": 1, "k": 2}"#) == .object(["k": .integer(2)]))
    }

    @Test func integersStayIntegersAndFloatsStayFloats() throws {
        let value = try JSONValue(parsing: #"{"a": 1, "b": 1.0, "c": [2, 2.5]}"#)
        #expect(value["a"] == .integer(1))
        #expect(value["b"] == .number(1))
        #expect(value["c"]?[0] == .integer(2))
        #expect(value["c"]?[1] == .number(2.5))
        #expect(value.serialized(sortedKeys: true) == #"{"a":1,"b":1.0,"c":[2,2.5]}"#)
    }

    @Test(arguments: [
        (#""a\"b\\c\/d""#, "a\"b\\c/d"),
        (#""\b\f\n\r\t""#, "\u{08}\u{0C}\n\r\t"),
        (#""\u00e9\u4e2d""#, "é中"),
        (#""\ud83d\ude00""#, "😀"),
        (#""\uD834\uDD1E""#, "𝄞"),
        ("\"caf\u{e9} 😀\"", "café 😀"),
    ])
    func stringEscapes(text: String, expected: String) throws {
        #expect(try JSONValue(parsing: text) == .string(expected))
    }

    @Test(arguments: [
        ("", 0, "end of input"),
        ("[1,", 3, "end of input"),
        ("[1 2]", 3, "expected ',' or ']'"),
        ("{\"a\" 1}", 5, "expected ':'"),
        ("{\"a\":1,}", 7, "expected a string key"),
        ("01", 0, "leading zeros"),
        ("1.", 2, "digit after '.'"),
        ("-", 1, "expected a digit"),
        ("tru", 0, "invalid literal"),
        ("\"abc", 0, "unterminated string"),
        ("\"a\u{01}\"", 2, "control character"),
        (#""\x""#, 1, "invalid escape"),
        (#""\u12G4""#, 5, "four hex digits"),
        (#""\ud83d""#, 1, "high surrogate"),
        (#""\ude00""#, 1, "lone low surrogate"),
        ("[1] x", 4, "after the JSON value"),
        ("1e999", 0, "out of range"),
    ])
    func malformedInputReportsOffset(text: String, offset: Int, reason: String) {
        Self.expectMalformed(Array(text.utf8), offset: offset, reason: reason)
    }

    /// Invalid UTF-8 inside a string: the offset is the first bad byte.
    @Test(
        arguments: [
            ([0x22, 0x61, 0xFF, 0x62, 0x22], 2),
            ([0x22, 0xC3, 0xA9, 0xC3, 0x22], 3),
            ([0x5B, 0x22, 0xE4, 0xB8, 0x22, 0x5D], 2),
            ([0x22, 0xED, 0xA0, 0x80, 0x22], 1),
        ] as [([UInt8], Int)])
    func invalidUTF8ReportsTheFirstBadByte(bytes: [UInt8], offset: Int) {
        Self.expectMalformed(bytes, offset: offset, reason: "invalid UTF-8")
    }

    static func expectMalformed(_ bytes: [UInt8], offset: Int, reason: String) {
        #expect {
            try JSONValue(parsing: bytes)
        } throws: { error in
            guard let error = error as? JSONParseError else { return false }
            return error.offset == offset && error.reason.contains(reason)
                && error.description.contains("byte \(offset)")
        }
    }

    @Test func invalidUTF8IsRejected() {
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: [0x22, 0xFF, 0xFE, 0x22]) }
    }

    @Test func depthLimit() throws {
        let ok =
            String(repeating: "[", count: JSONValue.maximumDepth)
            + String(repeating: "]", count: JSONValue.maximumDepth)
        #expect(throws: Never.self) { try JSONValue(parsing: ok) }
        let deep = "[" + ok + "]"
        #expect {
            try JSONValue(parsing: deep)
        } throws: { error in
            (error as? JSONParseError)?.reason.contains("nesting deeper") == true
        }
    }

    @Test func whitespaceAroundAndInside() throws {
        let value = try JSONValue(parsing: " \n\t{ \"a\" : [ 1 , { } ] }\r\n")
        #expect(value == ["a": [1, [:]]])
    }
}

@Suite struct JSONValueSerializationTests {
    @Test func escapesControlAndSpecialCharacters() {
        let value = JSONValue.string("q\"b\\n\n\u{01}\u{1F}\u{7F}\u{2028}é😀/")
        #expect(value.serialized() == #""q\"b\\n\n\u0001\u001f\u007f\u2028é😀/""#)
    }

    @Test func nonFiniteNumbersBecomeNull() {
        #expect(JSONValue.array([.number(.nan), .number(.infinity)]).serialized() == "[null,null]")
    }

    @Test func sortedKeysAreStable() {
        let value: JSONValue = ["b": 1, "a": ["d": true, "c": nil]]
        #expect(value.serialized(sortedKeys: true) == #"{"a":{"c":null,"d":true},"b":1}"#)
    }

    @Test(arguments: [
        #"{"phases":[{"_id":"p1","complete":false,"x":{"nested":[1,2.5,"s",null,true]}}],"_version":3}"#,
        #"[1,-1,0.5,1e-07,123456789012345678,"\u0000",[],{}]"#,
        #""\ud83d\ude00 and \\ and \"""#,
        "[1.7976931348623157e+308,-2.2250738585072014e-308]",
    ])
    func roundTrip(text: String) throws {
        let value = try JSONValue(parsing: text)
        let again = try JSONValue(parsing: value.serialized())
        #expect(again == value)
        #expect(try JSONValue(parsing: value.serializedBytes(sortedKeys: true)) == value)
    }

    @Test func accessors() throws {
        let value = try JSONValue(parsing: #"{"s":"x","i":7,"d":7.0,"f":7.5,"b":false,"a":[1],"o":{},"n":null}"#)
        #expect(value["s"]?.stringValue == "x")
        #expect(value["i"]?.intValue == 7)
        #expect(value["d"]?.intValue == 7)
        #expect(value["f"]?.intValue == nil)
        #expect(value["f"]?.doubleValue == 7.5)
        #expect(value["b"]?.boolValue == false)
        #expect(value["a"]?.arrayValue == [1])
        #expect(value["o"]?.objectValue == [:])
        #expect(value["n"]?.isNull == true)
        #expect(value["missing"] == nil)
        #expect(value["a"]?[5] == nil)
        #expect(value[0] == nil)
    }
}

/// The byte-level spelling every JSON writer shares, and the UTF-8 check the parser and the
/// Lua encoder share.
@Suite struct JSONTextTests {
    @Test func integersAreSpelledAsSwiftSpellsThem() {
        var generator = SystemRandomNumberGenerator()
        var values: [Int64] = [0, 1, -1, 9, 10, -10, 99, 100, .max, .min, .max - 1, .min + 1]
        for _ in 0..<2000 {
            values.append(Int64.random(in: .min ... .max, using: &generator) >> Int64.random(in: 0...63))
        }
        for value in values {
            var output = JSONOutput()
            JSONText.appendInteger(value, to: &output)
            #expect(String(decoding: output.bytes, as: UTF8.self) == String(value))
        }
    }

    @Test func theUTF8CheckAgreesWithTheStandardLibrary() {
        var generator = SystemRandomNumberGenerator()
        // Random bytes biased towards the interesting lead and continuation bytes.
        let alphabet: [UInt8] = [
            0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xE1, 0xED, 0xEE, 0xEF, 0xF0,
            0xF1, 0xF4, 0xF5, 0xFF,
        ]
        for _ in 0..<20_000 {
            let count = Int.random(in: 0...12, using: &generator)
            let bytes = (0..<count).map { _ in alphabet.randomElement(using: &generator)! }
            let valid = bytes.withUnsafeBufferPointer { JSONText.validUTF8Prefix($0) }
            let standard = String(validating: bytes, as: UTF8.self) != nil
            #expect((valid == bytes.count) == standard, "\(bytes)")
            #expect(String(validating: bytes[..<valid], as: UTF8.self) != nil, "the valid prefix of \(bytes)")
        }
        // Every scalar's encoding, in runs long enough for the eight-byte ASCII step.
        let text = "ascii only, then é, 中, 😀 and U+10FFFF \u{10FFFF}" + String(repeating: "x", count: 17)
        #expect(Array(text.utf8).withUnsafeBufferPointer { JSONText.validUTF8Prefix($0) } == text.utf8.count)
        let broken = Array("abcdefghij".utf8) + [0xED, 0xA0, 0x80] + Array("klm".utf8)
        #expect(broken.withUnsafeBufferPointer { JSONText.validUTF8Prefix($0) } == 10, "a surrogate")
    }

    @Test func stringsAreEscapedAsJSONAndJavaScriptNeed() {
        let cases: [(String, String)] = [
            ("plain", #""plain""#),
            ("q\"b\\s/", #""q\"b\\s/""#),
            ("\n\r\t\u{08}\u{0C}\u{00}\u{1F}\u{7F}", #""\n\r\t\b\f\u0000\u001f\u007f""#),
            ("é\u{2028}x\u{2029}\u{2027}😀", "\"é\\u2028x\\u2029\u{2027}😀\""),
            ("", #""""#),
        ]
        for (input, expected) in cases {
            var output = JSONOutput()
            var text = input
            text.withUTF8 { JSONText.appendString($0, to: &output) }
            #expect(String(decoding: output.bytes, as: UTF8.self) == expected)
        }
    }

    /// Long strings, so the eight-byte scan meets the bytes that need escapes at every
    /// offset, against a plain scalar-by-scalar model of the same rules.
    @Test func longStringsAreEscapedAsTheModelSays() {
        func model(_ text: String) -> String {
            var result = "\""
            for scalar in text.unicodeScalars {
                switch scalar {
                case "\"": result += "\\\""
                case "\\": result += "\\\\"
                case "\n": result += "\\n"
                case "\r": result += "\\r"
                case "\t": result += "\\t"
                case "\u{08}": result += "\\b"
                case "\u{0C}": result += "\\f"
                case "\u{2028}": result += "\\u2028"
                case "\u{2029}": result += "\\u2029"
                case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                    let hex = String(scalar.value, radix: 16)
                    result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                default: result.unicodeScalars.append(scalar)
                }
            }
            return result + "\""
        }
        var generator = SystemRandomNumberGenerator()
        let pieces = [
            "a", "B", "7", " ", "\"", "\\", "/", "\n", "\u{01}", "\u{1F}", "\u{7F}", "é", "\u{2027}", "\u{2028}",
            "\u{2029}", "€", "😀",
        ]
        for _ in 0..<3000 {
            let text = (0..<Int.random(in: 0...40, using: &generator)).map { _ in
                pieces.randomElement(using: &generator)!
            }
            .joined()
            var output = JSONOutput()
            var copy = text
            copy.withUTF8 { JSONText.appendString($0, to: &output) }
            #expect(String(decoding: output.bytes, as: UTF8.self) == model(text), "\(Array(text.utf8))")
        }
    }

    @Test func aTapeListsContainersBeforeTheirContents() throws {
        let tape = try JSONTape(parsing: Array(#"{"a":[1,-9223372036854775808,9223372036854775808],"b\n":null}"#.utf8))
        #expect(tape.tokens.count == 8)
        #expect(tape.tokens[0] == .object(count: 2))
        #expect(tape.tokens[2] == .array(count: 3))
        #expect(tape.tokens[3] == .integer(1))
        #expect(tape.tokens[4] == .integer(.min))
        #expect(tape.tokens[5] == .number(9_223_372_036_854_775_808))
        #expect(tape.tokens[7] == .null)
        guard case .string(let offset, let count) = tape.tokens[6] else {
            Issue.record("a key, got \(tape.tokens[6])")
            return
        }
        #expect(Array(tape.strings[offset..<offset + count]) == Array("b\n".utf8))
    }
}
