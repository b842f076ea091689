/// What the tokens of an expression show without running it: enough of Lua's grammar to
/// split a call's arguments and a table constructor's entries, and to tell a literal
/// (`"5m"`, `{timeout = 1}`, `function ... end`) from anything else.
struct TokenExpressions {
    let tokens: [LuaToken]

    /// One expression: a range of tokens, and the literal it is when it is one.
    struct Expression {
        let range: ClosedRange<Int>
        /// The kind of literal, nil for any other expression.
        let literal: HostAPI.LiteralKind?
        /// A string literal's value, a number literal's text (with its sign).
        let text: String?
        /// Whether it may stand for several values (a call, `...`), as a last argument does.
        let mayBeSeveral: Bool
    }

    /// A key of a table constructor written as `name = value` or `["name"] = value`.
    struct Entry {
        let key: String
        let keyToken: Int
        let value: Expression
    }

    /// The index of the token closing the bracket or block opened at `open` (`(`, `[`, `{`,
    /// `function`, `do`, `if`, `repeat`), or the last token when it is never closed.
    func closing(_ open: Int) -> Int {
        var depth = 0
        var index = open
        while index < tokens.count {
            let token = tokens[index]
            if token.kind == .symbol || token.kind == .keyword {
                switch token.text {
                case "(", "[", "{", "function", "do", "if", "repeat": depth += 1
                case ")", "]", "}", "end", "until": depth -= 1
                default: break
                }
            }
            if depth == 0 { return index }
            index += 1
        }
        return tokens.count - 1
    }

    /// The expressions between `open` and its closing token, split at top-level `,` (and
    /// `;` in a table constructor).
    func items(inside open: Int) -> [Expression] {
        let close = closing(open)
        var items: [Expression] = []
        var start = open + 1
        var index = open + 1
        while index < close {
            let token = tokens[index]
            if token.kind == .symbol || token.kind == .keyword {
                switch token.text {
                case "(", "[", "{", "function", "do", "if", "repeat":
                    index = closing(index) + 1
                    continue
                case ",", ";":
                    if index > start { items.append(expression(start...(index - 1))) }
                    start = index + 1
                default: break
                }
            }
            index += 1
        }
        if close > start { items.append(expression(start...(close - 1))) }
        return items
    }

    /// The arguments of a call whose argument list starts at `index`: `(...)`, a table
    /// constructor or a string.
    func arguments(at index: Int) -> [Expression] {
        switch tokens[index].kind {
        case .string: return [expression(index...index)]
        case .symbol where tokens[index].text == "{": return [expression(index...closing(index))]
        default: return items(inside: index)
        }
    }

    /// The `name = value` entries of the table constructor starting at `open`, and whether
    /// it has other items too (positional values, computed keys).
    func entries(ofTableAt open: Int) -> (entries: [Entry], others: Bool) {
        var entries: [Entry] = []
        var others = false
        for item in items(inside: open) {
            let first = item.range.lowerBound
            if tokens[first].kind == .name, first + 1 < item.range.upperBound, tokens[first + 1].is("=") {
                entries.append(
                    Entry(
                        key: tokens[first].text, keyToken: first, value: expression((first + 2)...item.range.upperBound)
                    ))
            } else if tokens[first].is("["), first + 3 < item.range.upperBound, tokens[first + 1].kind == .string,
                tokens[first + 2].is("]"), tokens[first + 3].is("=")
            {
                let value = expression((first + 4)...item.range.upperBound)
                entries.append(Entry(key: tokens[first + 1].text, keyToken: first + 1, value: value))
            } else {
                others = true
            }
        }
        return (entries, others)
    }

    /// What the tokens in `range` show.
    func expression(_ range: ClosedRange<Int>) -> Expression {
        let first = tokens[range.lowerBound]
        let last = tokens[range.upperBound]
        func literal(_ kind: HostAPI.LiteralKind, _ text: String? = nil) -> Expression {
            Expression(range: range, literal: kind, text: text, mayBeSeveral: false)
        }
        if range.count == 1 {
            switch first.kind {
            case .string: return literal(.string, first.text)
            case .number: return literal(.number, first.text)
            case .keyword where first.text == "true" || first.text == "false": return literal(.boolean)
            case .keyword where first.text == "nil": return literal(.nil)
            default: break
            }
        }
        if range.count == 2, first.is("-"), last.kind == .number { return literal(.number, "-" + last.text) }
        if first.is("{"), closing(range.lowerBound) == range.upperBound { return literal(.table) }
        if first.is("function"), closing(range.lowerBound) == range.upperBound { return literal(.function) }
        let parenthesized = first.is("(") && closing(range.lowerBound) == range.upperBound
        let several =
            last.is("...")
            || (!parenthesized && range.count > 1 && (last.is(")") || last.is("}") || last.kind == .string))
        return Expression(range: range, literal: nil, text: nil, mayBeSeveral: several)
    }
}
