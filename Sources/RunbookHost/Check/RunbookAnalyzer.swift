/// ldrun's own checks of a runbook that compiles, read from its tokens (nothing runs):
/// globals that are neither standard, nor the API's, nor defined by the file itself;
/// misspelt fields of the API's tables and the standard ones (`phase.strat`); and calls of
/// API functions (``checkCall(_:at:)``).
///
/// Scopes are followed well enough to know a local from a global: `local`, `local function`,
/// parameters, `for` variables, blocks. A global the file assigns anywhere, or a field it
/// assigns to a known table (`function string.trim`), counts as defined everywhere in it.
struct RunbookAnalyzer {
    let tokens: [LuaToken]
    let api: HostAPI
    let expressions: TokenExpressions
    private(set) var problems: [CheckProblem] = []

    private var scopes: [Set<String>] = [[]]
    /// Open blocks (true) and brackets (false), innermost last.
    private var frames: [Bool] = []
    /// The variables of a `for` whose `do` is still to come, and the depth of that `do`.
    private var loopVariables: (names: [String], depth: Int)?
    private var reads: [Int] = []
    private var fieldReads: [(table: String, field: Int)] = []
    /// Calls of API functions: the function's name and the token opening the arguments.
    private var calls: [(name: String, open: Int)] = []
    private var definedGlobals: Set<String> = []
    private var definedFields: Set<String> = []
    private var usesEnvironment = false

    init(tokens: [LuaToken], api: HostAPI) {
        self.tokens = tokens
        self.api = api
        expressions = TokenExpressions(tokens: tokens)
    }

    /// Every problem found, in source order.
    static func problems(in tokens: [LuaToken], api: HostAPI) -> [CheckProblem] {
        var analyzer = RunbookAnalyzer(tokens: tokens, api: api)
        analyzer.walk()
        analyzer.reportNames()
        return analyzer.problems.sorted(by: CheckProblem.inSourceOrder)
    }

    mutating func report(_ index: Int, _ message: String) {
        let at = token(index)
        problems.append(CheckProblem(line: at.line, column: at.column, message: message, source: .api))
    }

    func token(_ index: Int) -> LuaToken { tokens[min(max(index, 0), tokens.count - 1)] }

    private func isLocal(_ name: String) -> Bool { scopes.contains { $0.contains(name) } }

    private mutating func declare(_ name: String) {
        if name == "_ENV" { usesEnvironment = true }
        scopes[scopes.count - 1].insert(name)
    }

    private mutating func openBlock(_ names: [String] = []) {
        frames.append(true)
        scopes.append(Set(names))
    }

    private mutating func closeBlock() {
        while let frame = frames.popLast(), !frame {}
        if scopes.count > 1 { scopes.removeLast() }
    }

    private var atBlockLevel: Bool { frames.last ?? true }

    private mutating func walk() {
        var index = 0
        while index < tokens.count {
            index = step(index) + 1
        }
    }

    /// Handles the token at `index`; returns the last token it consumed.
    private mutating func step(_ index: Int) -> Int {
        let current = tokens[index]
        switch current.kind {
        case .keyword:
            return keyword(current.text, at: index)
        case .symbol:
            switch current.text {
            case "(", "[", "{": frames.append(false)
            case ")", "]", "}": if frames.last == false { frames.removeLast() }
            case "::": return index + 2
            default: break
            }
        case .name:
            return name(at: index)
        default: break
        }
        return index
    }

    private mutating func keyword(_ word: String, at index: Int) -> Int {
        switch word {
        case "local":
            if token(index + 1).is("function"), token(index + 2).kind == .name {
                declare(token(index + 2).text)
                return function(at: index + 1, named: false)
            }
            var next = index + 1
            while token(next).kind == .name {
                declare(token(next).text)
                next += 1
                if token(next).is("<") { next += 3 }
                guard token(next).is(",") else { break }
                next += 1
            }
            return next - 1
        case "function": return function(at: index, named: true)
        case "for":
            var names: [String] = []
            var next = index + 1
            while token(next).kind == .name || token(next).is(",") {
                if token(next).kind == .name { names.append(token(next).text) }
                next += 1
            }
            loopVariables = (names, frames.count)
            return next - 1
        case "do":
            // A `do` inside the loop's header (in a function there) is not the loop's.
            if let loop = loopVariables, loop.depth == frames.count {
                openBlock(loop.names)
                loopVariables = nil
            } else {
                openBlock()
            }
        case "then", "repeat": openBlock()
        case "elseif": closeBlock()
        case "else":
            closeBlock()
            openBlock()
        case "end": closeBlock()
        case "until":
            // The condition still sees the loop body's locals: keep them for the rest of
            // the enclosing block (at worst a later unknown global of that name goes unseen).
            let body = scopes.count > 1 ? scopes[scopes.count - 1] : []
            closeBlock()
            scopes[scopes.count - 1].formUnion(body)
        case "goto": return index + 1
        default: break
        }
        return index
    }

    /// `function name.path:method(params)` or `function(params)` at `index`: records a
    /// global or field it defines (when `named`), and opens the body's scope.
    private mutating func function(at index: Int, named: Bool) -> Int {
        var next = index + 1
        var path: [String] = []
        var method = false
        while token(next).kind == .name {
            path.append(token(next).text)
            next += 1
            if token(next).is(".") || token(next).is(":") {
                method = token(next).is(":")
                next += 1
            } else {
                break
            }
        }
        if named, let root = path.first, !isLocal(root) {
            if path.count == 1 { definedGlobals.insert(root) } else { definedFields.insert(root + "." + path[1]) }
        }
        var parameters = method ? ["self"] : []
        guard token(next).is("(") else { return next - 1 }
        next += 1
        while !token(next).is(")"), token(next).kind != .end {
            if token(next).kind == .name { parameters.append(token(next).text) }
            next += 1
        }
        openBlock(parameters)
        return next
    }

    private mutating func name(at index: Int) -> Int {
        let name = tokens[index].text
        let previous = token(index - 1)
        if index > 0, previous.is(".") || previous.is(":") { return index }
        if frames.last == false, token(index + 1).is("="), previous.is("{") || previous.is(",") || previous.is(";") {
            return index
        }
        if name == "_ENV" { usesEnvironment = true }
        if isLocal(name) { return index }
        if atBlockLevel, isAssignmentTarget(index) {
            definedGlobals.insert(name)
            return index
        }
        reads.append(index)
        if token(index + 1).is("."), token(index + 2).kind == .name {
            let path = name + "." + token(index + 2).text
            if token(index + 3).is("=") {
                definedFields.insert(path)
            } else {
                fieldReads.append((name, index + 2))
                if Self.startsArguments(token(index + 3)) { calls.append((path, index + 3)) }
            }
            return index + 2
        }
        if token(index + 1).is(":"), api.function(named: name + "." + token(index + 2).text) != nil {
            let path = name + "." + token(index + 2).text
            report(index + 1, "'\(path)' is a function, not a method: call it as \(path)(...)")
        } else if Self.startsArguments(token(index + 1)) {
            calls.append((name, index + 1))
        }
        return index
    }

    static func startsArguments(_ token: LuaToken) -> Bool {
        token.is("(") || token.is("{") || token.kind == .string
    }

    /// Whether the global at `index` is assigned: `name = ...`, or one of a list of targets
    /// `a, b.c, d = ...`.
    private func isAssignmentTarget(_ index: Int) -> Bool {
        var next = index + 1
        while true {
            if token(next).is("=") { return true }
            guard token(next).is(","), token(next + 1).kind == .name else { return false }
            next += 2
            while token(next).is(".") || token(next).is("[") {
                next = token(next).is(".") ? next + 2 : expressions.closing(next) + 1
            }
        }
    }

    /// Checks the calls and reports the reads of unknown globals and fields, once the whole
    /// file has been read (a global may be defined after a function that uses it).
    private mutating func reportNames() {
        // A function the file defines itself (`function sleep(d)`) is its own, not the API's.
        for call in calls where !definedGlobals.contains(call.name) && !definedFields.contains(call.name) {
            checkCall(call.name, at: call.open)
        }
        guard !usesEnvironment else { return }
        let known = Set(LuaStandardNames.globals + LuaStandardNames.tables.keys + api.globals).union(definedGlobals)
        for index in reads where !known.contains(tokens[index].text) {
            let name = tokens[index].text
            report(index, "unknown global '\(name)'" + Spelling.hint(for: name, among: known))
        }
        for (table, field) in fieldReads {
            let fields = LuaStandardNames.tables[table] ?? api.fields(of: table)
            let name = tokens[field].text
            guard !fields.isEmpty, !fields.contains(name), !definedFields.contains(table + "." + name) else { continue }
            report(field, "unknown field '\(name)' in '\(table)'" + Spelling.hint(for: name, among: fields))
        }
    }
}
