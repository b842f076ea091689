import Foundation
import Testing

@testable import RunbookHost

/// `ldrun check`'s own checks (no luacheck): each case is a runbook and the problems it must
/// produce, as `line:col: message`.
@Suite struct RunbookCheckerTests {
    static func problems(_ source: String) -> [String] {
        RunbookChecker().problems(in: source).map(\.description)
    }

    static let cases: [(source: String, expected: [String])] = [
        // Syntax: the compiler's message, at the token it names.
        ("local x = + 1", ["1:11: unexpected symbol near '+'"]),
        ("local a = 1\nif a then\n  print(a)\n", ["4:1: 'end' expected (to close 'if' at line 2) near <eof>"]),
        ("#!/usr/bin/env ldrun\nlocal x = ", ["2:11: unexpected symbol near <eof>"]),
        // Unknown globals and misspelt API names.
        ("wait_untl(function() return true end)", ["1:1: unknown global 'wait_untl' (did you mean 'wait_until'?)"]),
        (
            "local rel = release.get('x')\nphase.strat(rel)",
            ["2:7: unknown field 'strat' in 'phase' (did you mean 'start'?)"]
        ),
        ("print(string.fromat('%d', 1))", ["1:14: unknown field 'fromat' in 'string' (did you mean 'format'?)"]),
        ("debug.sethook()", ["1:7: unknown field 'sethook' in 'debug' (did you mean 'gethook'?)"]),
        ("print(frobnicate)", ["1:7: unknown global 'frobnicate'"]),
        // Wrong argument counts and literal types.
        ("phase.next()", ["1:11: bad argument #1 to 'phase.next' (release table expected, got no value)"]),
        ("local r = {}\nphase.next(r, 2)", ["2:15: too many arguments to 'phase.next' (it takes at most 1, got 2)"]),
        ("ldrun.clock(1)", ["1:13: too many arguments to 'ldrun.clock' (it takes none, got 1)"]),
        ("sleep(true)", ["1:7: bad argument #1 to 'sleep' (duration expected, got boolean)"]),
        ("confirm(42)", ["1:9: bad argument #1 to 'confirm' (string expected, got number)"]),
        ("phase.start(12)", ["1:13: bad argument #1 to 'phase.start' (release or flag key expected, got number)"]),
        // Durations.
        (
            "sleep(\"5mins\")",
            [#"1:7: bad argument #1 to 'sleep' (invalid duration "5mins" (use seconds or "500ms", "90s", "5m", "1h"))"#]
        ),
        ("sleep(-1)", ["1:7: bad argument #1 to 'sleep' (duration must be >= 0)"]),
        (
            "phase.wait('f', 'Staging', {timeout = '2 hours'})",
            [#"1:39: bad argument #3 to 'phase.wait' ('timeout' is not a duration: "2 hours")"#]
        ),
        // Option keys and values.
        (
            "phase.wait('f', nil, {timout = '5m'})",
            ["1:23: unknown key 'timout' in argument #3 to 'phase.wait' (did you mean 'timeout'?)"]
        ),
        (
            "phase.wait('f', nil, {['until'] = 'done'})",
            [#"1:35: bad argument #3 to 'phase.wait' ('until' must be "rolled_out" or "complete", got "done")"#]
        ),
        (
            "wait_until(function() return true end, {every = true, what = 'x'})",
            ["1:49: bad argument #2 to 'wait_until' ('every' must be a duration, got boolean)"]
        ),
        (
            "parallel({}, print, {limt = 2})",
            ["1:22: unknown key 'limt' in argument #3 to 'parallel' (did you mean 'limit'?)"]
        ),
        // Table forms.
        (
            "release.create{flag = 'x', pipline = 'standard'}",
            [
                "1:15: bad argument #1 to 'release.create' (field 'pipeline' is required)",
                "1:28: unknown key 'pipline' in argument #1 to 'release.create' (did you mean 'pipeline'?)",
            ]
        ),
        (
            "release.get{flg = 'x'}",
            [
                "1:12: bad argument #1 to 'release.get' (field 'flag' is required)",
                "1:13: unknown key 'flg' in argument #1 to 'release.get' (did you mean 'flag'?)",
            ]
        ),
        ("phase:start('x')", ["1:6: 'phase.start' is a function, not a method: call it as phase.start(...)"]),
        // Escapes are read as Lua reads them.
        (
            #"sleep("\x35mins")"#,
            [#"1:7: bad argument #1 to 'sleep' (invalid duration "5mins" (use seconds or "500ms", "90s", "5m", "1h"))"#]
        ),
    ]

    @Test(arguments: cases) func reports(source: String, expected: [String]) {
        #expect(Self.problems(source) == expected)
    }

    static let clean: [String] = [
        // Locals shadow the API's names; parameters, loop variables and `repeat` bodies are scopes.
        "for _, phase in ipairs({}) do print(phase.id, phase.nope) end",
        "local function f(release) return release.whatever end\nprint(f({}))",
        "local release <const> = {}\nprint(release.x)",
        "repeat local done = true until done",
        "for _, x in ipairs((function() while true do break end return {} end)()) do print(x) end",
        // Globals the file defines, before or after their use; fields it adds to a table.
        "local function later() return helper() end\nfunction helper() return 1 end\nprint(later())",
        "count, total = 0, 0\nprint(count + total)",
        "function string.trim(s) return (s:gsub('^%s+', '')) end\nprint(string.trim(' x'))",
        "ldrun.extra = 1\nprint(ldrun.extra)",
        // Calls the source does not show enough of: variables, results of calls, `...`.
        "local d = '5mins'\nsleep(d)",
        "local function args2() return 'x', 'y' end\nphase.find(args2())",
        "phase.start(...)",
        "phase.wait(phase.start(release.create{flag = 'x', pipeline = 'p'}))",
        "local opts = {timout = 1}\nphase.wait('x', nil, opts)",
        "release.create{flag = 'x', pipeline = 'p', [1] = true}",
        // Every call form, table keys that are not globals, `sim` under --simulate.
        "log.info('x', {flag = 'y'})\nlog.warn 'text'\njson.encode{pretty = 1}",
        "local t = {flag = 1, nested = {phase = 2}}\nprint(t)",
        "if sim then sim.approve('x') end\nprint(args.flag, args[1], ldrun.dry_run, json.null)",
        "sleep('1h30m')\nsleep(0.5)\nsleep(0x10)\nldrun.duration('500ms')",
        "local t = spawn(function(a, b) return a + b end, 1, 2)\nprint(t:wait(), t:done())",
        "goto done\n::done::",
        "local _ENV = {print = print}\nprint(anything)",
        // A function the file defines itself is its own.
        "sleep('forever')\nfunction sleep(d) return d end",
        #"sleep("\u{35}m\z   ")"#,
    ]

    @Test(arguments: clean) func acceptsValidRunbooks(source: String) {
        #expect(Self.problems(source) == [])
    }

    @Test func tokensCarryLinesColumnsAndStringValues() {
        let tokens = LuaTokenizer.tokens(
            Array("x = 'a\\tb' -- c\n--[[ long\ncomment ]] y = [==[\nraw]]]==] 0x1p4 1e-3".utf8))
        #expect(tokens.map(\.text) == ["x", "=", "a\tb", "y", "=", "raw]]", "0x1p4", "1e-3", "<eof>"])
        #expect(tokens.map(\.line) == [1, 1, 1, 3, 3, 3, 4, 4, 4])
        #expect(tokens[3].column == 12)
    }

    @Test func suggestionsAreNearMissesOnly() {
        #expect(Spelling.suggestion(for: "strat", among: ["start", "state", "wait"]) == "start")
        #expect(Spelling.suggestion(for: "timout", among: ["timeout", "every"]) == "timeout")
        #expect(Spelling.suggestion(for: "zzz", among: ["start"]) == nil)
    }

    /// Prefixes of every shipped runbook, cut at a few places each: most do not compile;
    /// none may trap the checker. Kept small: the suites beside it time their simulators.
    @Test func truncatedRunbooksNeverTrap() throws {
        for bytes in try Self.shippedRunbooks().map(\.bytes) {
            for cut in 0..<6 {
                let problems = RunbookChecker().problems(
                    in: Array(bytes[..<min(bytes.count, bytes.count * cut / 6 + cut)]))
                #expect(problems.allSatisfy { $0.line >= 1 && $0.column >= 1 })
            }
        }
    }

    @Test func luacheckLinesAreReadByFileAndDuplicatesDropped() {
        let output = """
            a:b.lua:3:7: (W143) accessing undefined field 'strat' of global 'phase'
            a:b.lua:4:1: (W211) unused variable 'x'
            other.lua:1:1: not one of the files
            a:b.lua: garbage
            """
        let parsed = Luacheck.parse(output, files: ["a:b.lua", "a"])
        #expect(
            parsed["a:b.lua"]?.map(\.description) == [
                "3:7: (W143) accessing undefined field 'strat' of global 'phase'", "4:1: (W211) unused variable 'x'",
            ])
        #expect(parsed["a"] == nil)
        let own = RunbookChecker().problems(in: "local rel\nlocal x\nphase.strat(rel)")
        let lint = parsed["a:b.lua"] ?? []
        #expect(CheckRun.duplicates(lint[0], own))
        #expect(!CheckRun.duplicates(lint[1], own))
    }

    static func shippedRunbooks() throws -> [(name: String, bytes: [UInt8])] {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("runbooks")
        let files = try #require(FileManager.default.enumerator(atPath: root.path)).compactMap { $0 as? String }
            .filter { $0.hasSuffix(".lua") }
        return try files.map { ($0, try [UInt8](Data(contentsOf: root.appendingPathComponent($0)))) }
    }

    /// `test` is a global in test files only.
    @Test func testFilesKnowTestAndRunbooksDoNot() {
        let source = Array("test(\"x\", function(t) end)\ntest.skip(\"y\", function(t) end)\n".utf8)
        #expect(RunbookChecker(api: .testFile).problems(in: source).isEmpty)
        #expect(RunbookChecker().problems(in: source).map(\.description).first == "1:1: unknown global 'test'")
        let wrong = Array("test(1, function(t) end)\ntest.skp(\"y\", function(t) end)\n".utf8)
        let problems = RunbookChecker(api: .testFile).problems(in: wrong).map(\.description)
        #expect(problems.count == 2, "\(problems)")
    }

    @Test func theShippedRunbooksAreClean() throws {
        let files = try Self.shippedRunbooks()
        #expect(files.count >= 10)
        for (name, bytes) in files {
            // Test files (`*_test.lua`) are read with `test` known, as `ldrun check` reads them.
            let checker = RunbookChecker(api: HostAPI.isTestFile(name) ? .testFile : .builtIn)
            #expect(checker.problems(in: bytes).map(\.description) == [], "\(name)")
        }
    }
}
