import JSONText

extension JSONValue {
    /// The deepest nesting of arrays and objects the parser accepts.
    public static let maximumDepth = 512

    /// Parses JSON text given as UTF-8 bytes (RFC 8259; one value, surrounding whitespace allowed).
    ///
    /// - Throws: `JSONParseError` with the byte offset of the first problem.
    public init(parsing bytes: some Collection<UInt8>) throws(JSONParseError) {
        let tape = try JSONTape(parsing: bytes)
        self = tape.value()
    }

    /// Parses JSON text.
    public init(parsing text: String) throws(JSONParseError) {
        try self.init(parsing: Array(text.utf8))
    }
}

/// A recursive-descent parser over UTF-8 bytes that writes a ``JSONTape``.
struct JSONParser {
    let bytes: UnsafeBufferPointer<UInt8>
    var position = 0
    var depth = 0
    var tokens: [JSONTape.Token] = []
    var strings: [UInt8] = []
    /// The keys of the objects being parsed (their tokens and where they start in the text),
    /// innermost last, for the check of keys that differ only in Unicode normalization.
    var keys: [(token: Int, offset: Int)] = []

    /// A parser of `bytes`, which must stay valid while it parses.
    init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
        tokens.reserveCapacity(bytes.count / 8)
        strings.reserveCapacity(bytes.count / 2)
    }

    mutating func parseDocument() throws(JSONParseError) {
        skipWhitespace()
        try parseValue()
        skipWhitespace()
        guard position == bytes.count else { throw error("unexpected data after the JSON value") }
    }

    func error(_ reason: String, at offset: Int? = nil) -> JSONParseError {
        JSONParseError(reason: reason, offset: offset ?? position)
    }

    var current: UInt8? { position < bytes.count ? bytes[position] : nil }

    mutating func skipWhitespace() {
        while position < bytes.count {
            let byte = bytes[position]
            guard byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 else { return }
            position += 1
        }
    }

    mutating func parseValue() throws(JSONParseError) {
        guard let byte = current else { throw error("unexpected end of input, expected a value") }
        switch byte {
        case UInt8(ascii: "{"): try parseObject()
        case UInt8(ascii: "["): try parseArray()
        case UInt8(ascii: "\""): try parseString()
        case UInt8(ascii: "t"): try parseLiteral("true", .bool(true))
        case UInt8(ascii: "f"): try parseLiteral("false", .bool(false))
        case UInt8(ascii: "n"): try parseLiteral("null", .null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try parseNumber()
        default: throw error("unexpected character '\(Character(Unicode.Scalar(byte)))'")
        }
    }

    mutating func parseLiteral(_ word: StaticString, _ token: JSONTape.Token) throws(JSONParseError) {
        let start = position
        let letters = UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
        for expected in letters {
            guard current == expected else { throw error("invalid literal, expected '\(word)'", at: start) }
            position += 1
        }
        tokens.append(token)
    }

    mutating func enterContainer() throws(JSONParseError) {
        depth += 1
        guard depth <= JSONValue.maximumDepth else {
            throw error("nesting deeper than \(JSONValue.maximumDepth) levels")
        }
    }

    mutating func parseArray() throws(JSONParseError) {
        try enterContainer()
        position += 1
        let token = tokens.count
        tokens.append(.array(count: 0))
        var count = 0
        skipWhitespace()
        if current == UInt8(ascii: "]") {
            position += 1
            depth -= 1
            return
        }
        while true {
            skipWhitespace()
            try parseValue()
            count += 1
            skipWhitespace()
            switch current {
            case UInt8(ascii: ","): position += 1
            case UInt8(ascii: "]"):
                position += 1
                depth -= 1
                tokens[token] = .array(count: count)
                return
            case nil: throw error("unexpected end of input in array")
            default: throw error("expected ',' or ']' in array")
            }
        }
    }

    mutating func parseObject() throws(JSONParseError) {
        try enterContainer()
        position += 1
        let token = tokens.count
        tokens.append(.object(count: 0))
        let firstKey = keys.count
        defer { keys.removeSubrange(firstKey...) }
        var count = 0
        var asciiKeys = true
        skipWhitespace()
        if current == UInt8(ascii: "}") {
            position += 1
            depth -= 1
            return
        }
        while true {
            skipWhitespace()
            guard current == UInt8(ascii: "\"") else {
                throw error(current == nil ? "unexpected end of input in object" : "expected a string key")
            }
            keys.append((tokens.count, position))
            let keyStart = strings.count
            try parseString()
            if asciiKeys {
                asciiKeys = strings.withUnsafeBufferPointer {
                    JSONText.isASCII(UnsafeBufferPointer(rebasing: $0[keyStart...]))
                }
            }
            skipWhitespace()
            guard current == UInt8(ascii: ":") else { throw error("expected ':' after object key") }
            position += 1
            skipWhitespace()
            try parseValue()
            count += 1
            skipWhitespace()
            switch current {
            case UInt8(ascii: ","): position += 1
            case UInt8(ascii: "}"):
                position += 1
                depth -= 1
                tokens[token] = .object(count: count)
                if !asciiKeys { try checkNormalizationTwins(from: firstKey) }
                return
            case nil: throw error("unexpected end of input in object")
            default: throw error("expected ',' or '}' in object")
            }
        }
    }

    /// A repeated key keeps its last value, but two keys that differ only in Unicode
    /// normalization are two names to the sender and one to a Swift dictionary: refused, at
    /// the second of them.
    func checkNormalizationTwins(from firstKey: Int) throws(JSONParseError) {
        var seen: [String: Int] = [:]
        for index in firstKey..<keys.count {
            guard case .string(let offset, let count) = tokens[keys[index].token] else { continue }
            let name = strings[offset..<offset + count]
            let text = String(decoding: name, as: UTF8.self)
            if let earlier = seen[text] {
                guard case .string(let otherOffset, let otherCount) = tokens[keys[earlier].token] else { continue }
                if !strings[otherOffset..<otherOffset + otherCount].elementsEqual(name) {
                    throw error(
                        "two object keys differ only in Unicode normalization; one would be lost",
                        at: keys[index].offset)
                }
            } else {
                seen[text] = index
            }
        }
    }

    mutating func parseNumber() throws(JSONParseError) {
        let start = position
        var isIntegral = true
        let negative = current == UInt8(ascii: "-")
        if negative { position += 1 }
        guard let first = current, isDigit(first) else { throw error("expected a digit", at: position) }
        // The integer part, accumulated while it fits.
        var magnitude: UInt64 = 0
        var overflow = false
        if first == UInt8(ascii: "0") {
            position += 1
            if let next = current, isDigit(next) { throw error("leading zeros are not allowed", at: start) }
        } else {
            while position < bytes.count, isDigit(bytes[position]) {
                let (times, overflowed) = magnitude.multipliedReportingOverflow(by: 10)
                let (sum, carried) = times.addingReportingOverflow(UInt64(bytes[position] - UInt8(ascii: "0")))
                overflow = overflow || overflowed || carried
                magnitude = sum
                position += 1
            }
        }
        if current == UInt8(ascii: ".") {
            isIntegral = false
            position += 1
            guard let digit = current, isDigit(digit) else { throw error("expected a digit after '.'") }
            skipDigits()
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            isIntegral = false
            position += 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { position += 1 }
            guard let digit = current, isDigit(digit) else { throw error("expected a digit in the exponent") }
            skipDigits()
        }
        if isIntegral, !overflow {
            if !negative, magnitude <= UInt64(Int64.max) {
                tokens.append(.integer(Int64(magnitude)))
                return
            }
            if negative, magnitude <= UInt64(Int64.max) + 1 {
                tokens.append(.integer(magnitude == UInt64(Int64.max) + 1 ? .min : -Int64(magnitude)))
                return
            }
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
        guard let number = Double(text), number.isFinite else { throw error("number out of range", at: start) }
        tokens.append(.number(number))
    }

    func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    mutating func skipDigits() {
        while position < bytes.count, isDigit(bytes[position]) { position += 1 }
    }

    /// A string or key: its bytes, escapes decoded, appended to `strings`, and its token.
    mutating func parseString() throws(JSONParseError) {
        let start = position
        position += 1
        let offset = strings.count
        var runStart = position
        while true {
            guard position < bytes.count else { throw error("unterminated string", at: start) }
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                try appendRun(from: runStart)
                position += 1
                if byte == UInt8(ascii: "\"") {
                    tokens.append(.string(offset: offset, count: strings.count - offset))
                    return
                }
                try parseEscape(start: position - 1)
                runStart = position
            } else if byte < 0x20 {
                throw error("unescaped control character in string")
            } else {
                position += 1
            }
        }
    }

    /// Appends `bytes[runStart ..< position]`, once they are valid UTF-8.
    mutating func appendRun(from runStart: Int) throws(JSONParseError) {
        let run = UnsafeBufferPointer(rebasing: bytes[runStart..<position])
        let valid = JSONText.validUTF8Prefix(run)
        guard valid == run.count else { throw error("invalid UTF-8 in string", at: runStart + valid) }
        strings.append(contentsOf: run)
    }

    mutating func parseEscape(start: Int) throws(JSONParseError) {
        guard let byte = current else { throw error("unterminated escape", at: start) }
        position += 1
        let decoded: UInt8
        switch byte {
        case UInt8(ascii: "\""): decoded = UInt8(ascii: "\"")
        case UInt8(ascii: "\\"): decoded = UInt8(ascii: "\\")
        case UInt8(ascii: "/"): decoded = UInt8(ascii: "/")
        case UInt8(ascii: "b"): decoded = 0x08
        case UInt8(ascii: "f"): decoded = 0x0C
        case UInt8(ascii: "n"): decoded = 0x0A
        case UInt8(ascii: "r"): decoded = 0x0D
        case UInt8(ascii: "t"): decoded = 0x09
        case UInt8(ascii: "u"):
            strings.append(contentsOf: try parseUnicodeEscape(start: start))
            return
        default: throw error("invalid escape '\\\(Character(Unicode.Scalar(byte)))'", at: start)
        }
        strings.append(decoded)
    }

    mutating func parseUnicodeEscape(start: Int) throws(JSONParseError) -> Unicode.UTF8.EncodedScalar {
        let first = try parseHex4()
        if (0xD800...0xDBFF).contains(first) {
            guard current == UInt8(ascii: "\\"), position + 1 < bytes.count, bytes[position + 1] == UInt8(ascii: "u")
            else { throw error("high surrogate not followed by a low surrogate", at: start) }
            position += 2
            let second = try parseHex4()
            guard (0xDC00...0xDFFF).contains(second) else {
                throw error("high surrogate not followed by a low surrogate", at: start)
            }
            let value = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
            return UTF8.encode(Unicode.Scalar(value)!)!
        }
        guard let scalar = Unicode.Scalar(first) else { throw error("lone low surrogate", at: start) }
        return UTF8.encode(scalar)!
    }

    mutating func parseHex4() throws(JSONParseError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let byte = current, let digit = hexDigitValue(byte) else {
                throw error("expected four hex digits in \\u escape")
            }
            value = value << 4 | digit
            position += 1
        }
        return value
    }

    func hexDigitValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(byte - UInt8(ascii: "A") + 10)
        default: return nil
        }
    }
}
