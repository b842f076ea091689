/// One lexeme of Lua source, with where it starts.
package struct LuaToken: Sendable, Equatable {
    package enum Kind: Sendable, Equatable { case name, keyword, number, string, symbol, end }

    package let kind: Kind
    /// The source text; for a string literal, its value (escapes decoded).
    package let text: String
    /// 1-based line and byte column.
    package let line: Int
    package let column: Int

    func `is`(_ symbol: String) -> Bool { (kind == .symbol || kind == .keyword) && text == symbol }
}

/// Splits Lua 5.4 source into tokens, skipping comments and whitespace. Never fails: text
/// that is not Lua (which `luaL_loadbuffer` has already refused) becomes symbol tokens.
package enum LuaTokenizer {
    static let keywords: Set<String> = [
        "and", "break", "do", "else", "elseif", "end", "false", "for", "function", "goto", "if", "in", "local",
        "nil", "not", "or", "repeat", "return", "then", "true", "until", "while",
    ]
    private static let symbols3 = ["..."]
    private static let symbols2 = ["..", "==", "~=", "<=", ">=", "<<", ">>", "//", "::"]

    package static func tokens(_ source: [UInt8]) -> [LuaToken] {
        var scanner = Scanner(bytes: source)
        var tokens: [LuaToken] = []
        while let token = scanner.next() { tokens.append(token) }
        tokens.append(LuaToken(kind: .end, text: "<eof>", line: scanner.line, column: scanner.column))
        return tokens
    }

    private struct Scanner {
        let bytes: [UInt8]
        var index = 0
        var line = 1
        var lineStart = 0
        var column: Int { index - lineStart + 1 }

        init(bytes: [UInt8]) { self.bytes = bytes }

        func peek(_ offset: Int = 0) -> UInt8? {
            index + offset < bytes.count ? bytes[index + offset] : nil
        }

        mutating func advance() {
            if bytes[index] == UInt8(ascii: "\n") {
                line += 1
                lineStart = index + 1
            }
            index += 1
        }

        mutating func next() -> LuaToken? {
            skipSpaceAndComments()
            guard let byte = peek() else { return nil }
            let (startLine, startColumn, start) = (line, column, index)
            func token(_ kind: LuaToken.Kind, _ text: String? = nil) -> LuaToken {
                let raw = String(decoding: bytes[start..<index], as: UTF8.self)
                return LuaToken(kind: kind, text: text ?? raw, line: startLine, column: startColumn)
            }
            if Self.isNameStart(byte) {
                while let b = peek(), Self.isNameStart(b) || Self.isDigit(b) { advance() }
                let text = String(decoding: bytes[start..<index], as: UTF8.self)
                return token(LuaTokenizer.keywords.contains(text) ? .keyword : .name)
            }
            if Self.isDigit(byte) || (byte == UInt8(ascii: ".") && peek(1).map(Self.isDigit) == true) {
                scanNumber()
                return token(.number)
            }
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                return token(.string, scanQuoted(byte))
            }
            if byte == UInt8(ascii: "["), let level = longBracketLevel() {
                return token(.string, scanLong(level))
            }
            for symbol in LuaTokenizer.symbols3 + LuaTokenizer.symbols2 where matches(symbol) {
                for _ in symbol.utf8 { advance() }
                return token(.symbol)
            }
            advance()
            return token(.symbol)
        }

        func matches(_ symbol: String) -> Bool {
            symbol.utf8.enumerated().allSatisfy { peek($0.offset) == $0.element }
        }

        mutating func skipSpaceAndComments() {
            while let byte = peek() {
                if byte == UInt8(ascii: " ") || (9...13).contains(byte) {
                    advance()
                } else if byte == UInt8(ascii: "-"), peek(1) == UInt8(ascii: "-") {
                    advance()
                    advance()
                    if peek() == UInt8(ascii: "["), let level = longBracketLevel() {
                        _ = scanLong(level)
                    } else {
                        while let b = peek(), b != UInt8(ascii: "\n") { advance() }
                    }
                } else {
                    return
                }
            }
        }

        mutating func scanNumber() {
            let hex = peek() == UInt8(ascii: "0") && (peek(1) == UInt8(ascii: "x") || peek(1) == UInt8(ascii: "X"))
            let exponents: Set<UInt8> =
                hex ? [UInt8(ascii: "p"), UInt8(ascii: "P")] : [UInt8(ascii: "e"), UInt8(ascii: "E")]
            while let b = peek() {
                if exponents.contains(b), let sign = peek(1), sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
                    advance()
                    advance()
                } else if Self.isNameStart(b) || Self.isDigit(b) || b == UInt8(ascii: ".") {
                    advance()
                } else {
                    return
                }
            }
        }

        /// At `[`: the level of a long bracket opening here (`[[` 0, `[==[` 2), or nil.
        func longBracketLevel() -> Int? {
            var offset = 1
            while peek(offset) == UInt8(ascii: "=") { offset += 1 }
            return peek(offset) == UInt8(ascii: "[") ? offset - 1 : nil
        }

        /// A long string or comment; returns its text (a first newline dropped, as Lua does).
        mutating func scanLong(_ level: Int) -> String {
            for _ in 0..<(level + 2) { advance() }
            if peek() == UInt8(ascii: "\r") { advance() }
            if peek() == UInt8(ascii: "\n") { advance() }
            let start = index
            while let byte = peek() {
                if byte == UInt8(ascii: "]") {
                    var offset = 1
                    while peek(offset) == UInt8(ascii: "=") { offset += 1 }
                    if offset - 1 == level, peek(offset) == UInt8(ascii: "]") {
                        let text = String(decoding: bytes[start..<index], as: UTF8.self)
                        for _ in 0...offset { advance() }
                        return text
                    }
                }
                advance()
            }
            return String(decoding: bytes[start..<index], as: UTF8.self)
        }

        /// A quoted string's value, with the common escapes decoded.
        mutating func scanQuoted(_ quote: UInt8) -> String {
            advance()
            var value: [UInt8] = []
            while let byte = peek(), byte != quote, byte != UInt8(ascii: "\n") {
                advance()
                guard byte == UInt8(ascii: "\\"), let escaped = peek() else {
                    value.append(byte)
                    continue
                }
                advance()
                switch escaped {
                case UInt8(ascii: "n"): value.append(10)
                case UInt8(ascii: "t"): value.append(9)
                case UInt8(ascii: "r"): value.append(13)
                case UInt8(ascii: "z"): while let b = peek(), b == 32 || (9...13).contains(b) { advance() }
                case UInt8(ascii: "0")...UInt8(ascii: "9"):
                    var code = Int(escaped - UInt8(ascii: "0"))
                    for _ in 0..<2 {
                        guard let digit = peek(), Self.isDigit(digit) else { break }
                        code = code * 10 + Int(digit - UInt8(ascii: "0"))
                        advance()
                    }
                    value.append(UInt8(clamping: code))
                case UInt8(ascii: "x"):
                    let digits = (0..<2).compactMap { peek($0).flatMap(Self.hexValue) }
                    guard digits.count == 2 else { break }
                    advance()
                    advance()
                    value.append(UInt8(digits[0] * 16 + digits[1]))
                case UInt8(ascii: "u") where peek() == UInt8(ascii: "{"):
                    advance()
                    var code: UInt32 = 0
                    while let digit = peek().flatMap(Self.hexValue), code <= 0x7FFF_FFFF / 16 {
                        code = code * 16 + UInt32(digit)
                        advance()
                    }
                    if peek() == UInt8(ascii: "}") { advance() }
                    value += Array(String(Unicode.Scalar(code).map(Character.init) ?? "\u{FFFD}").utf8)
                default: value.append(escaped)
                }
            }
            if peek() == quote { advance() }
            return String(decoding: value, as: UTF8.self)
        }

        static func isNameStart(_ byte: UInt8) -> Bool {
            (byte >= 97 && byte <= 122) || (byte >= 65 && byte <= 90) || byte == 95
        }

        static func isDigit(_ byte: UInt8) -> Bool { byte >= 48 && byte <= 57 }

        static func hexValue(_ byte: UInt8) -> Int? {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): Int(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): Int(byte - UInt8(ascii: "a")) + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): Int(byte - UInt8(ascii: "A")) + 10
            default: nil
            }
        }
    }
}
