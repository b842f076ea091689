import Foundation
import LuaBridge
import RunbookHost
import Testing

/// Every API function reports a wrong argument in Lua's own words, naming the function and
/// the argument, as an error table with code `bad_argument` located at the caller.
@Suite("Bad arguments") struct APIBadArgumentTests {
    static let cases: [(call: String, message: String)] = [
        // release.*
        ("release.get()", "bad argument #1 to 'release.get' (release or flag key expected, got no value)"),
        ("parallel({1}, function() end, 'x')", "bad argument #3 to 'parallel' (table expected, got string)"),
        (
            "pipeline.list{project = true}",
            "bad argument #1 to 'pipeline.list' (field 'project' must be a string, got boolean)"
        ),
        ("pipeline.list{query = 1}", "bad argument #1 to 'pipeline.list' (field 'query' must be a string, got number)"),
        ("log.warn('x', {f = print})", "bad argument #2 to 'log.warn' (cannot convert a function value at value.f)"),
        (
            "log.info('x', {f = {g = coroutine.create(print)}})",
            "bad argument #2 to 'log.info' (cannot convert a thread value at value.f.g)"
        ),
        ("flag.get('')", "bad argument #1 to 'flag.get' (flag key must not be empty)"),
        ("release.get('')", "bad argument #1 to 'release.get' (flag key must not be empty)"),
        ("release.get{flag = ''}", "bad argument #1 to 'release.get' (flag key must not be empty)"),
        ("release.delete('')", "bad argument #1 to 'release.delete' (flag key must not be empty)"),
        ("release.create('', 'standard')", "bad argument #1 to 'release.create' (flag key must not be empty)"),
        (
            "release.create{flag = '', pipeline = 'standard'}",
            "bad argument #1 to 'release.create' (flag key must not be empty)"
        ),
        ("phase.start('')", "bad argument #1 to 'phase.start' (flag key must not be empty)"),
        ("phase.wait('', 'Test')", "bad argument #1 to 'phase.wait' (flag key must not be empty)"),
        ("release.get(42)", "bad argument #1 to 'release.get' (release or flag key expected, got number)"),
        ("release.get{project = 'demo'}", "bad argument #1 to 'release.get' (field 'flag' is required)"),
        ("release.create('dark-mode')", "bad argument #2 to 'release.create' (string expected, got no value)"),
        ("release.create{pipeline = 'standard'}", "bad argument #1 to 'release.create' (field 'flag' is required)"),
        (
            "release.create{flag = 'dark-mode', pipeline = 1}",
            "bad argument #1 to 'release.create' (field 'pipeline' must be a string, got number)"
        ),
        ("release.delete(nil)", "bad argument #1 to 'release.delete' (release or flag key expected, got nil)"),
        ("release.patch('dark-mode')", "bad argument #1 to 'release.patch' (table expected, got string)"),
        (
            "release.patch{flag = 'dark-mode'}",
            "bad argument #1 to 'release.patch' (field 'ops' must be a non-empty list of {op=, path=, value=})"
        ),
        (
            "release.patch{flag = 'dark-mode', ops = {{op = 'replace'}}}",
            "bad argument #1 to 'release.patch' (ops[1] needs 'op' and 'path' strings)"
        ),
        ("release.status(nil)", "bad argument #1 to 'release.status' (table expected, got nil)"),
        (
            "release.get{phases = {}}",
            "bad argument #1 to 'release.get' (release table has no '_flag'; pass the flag key or a release returned by release.get)"
        ),
        // phase.*
        ("phase.next('dark-mode')", "bad argument #1 to 'phase.next' (table expected, got string)"),
        ("phase.active()", "bad argument #1 to 'phase.active' (table expected, got no value)"),
        ("phase.find({phases = {{_id = 'a'}}})", "bad argument #2 to 'phase.find' (string expected, got no value)"),
        ("phase.start(nil)", "bad argument #1 to 'phase.start' (release or flag key expected, got nil)"),
        (
            "phase.start('dark-mode', 42)",
            "bad argument #2 to 'phase.start' (phase name, id or table expected, got number)"
        ),
        ("phase.start('dark-mode', {})", "bad argument #2 to 'phase.start' (phase table has no '_id')"),
        ("phase.start('dark-mode', nil, 'fast')", "bad argument #3 to 'phase.start' (table expected, got string)"),
        (
            "phase.start('dark-mode', nil, {audiences = 'all'})",
            "bad argument #3 to 'phase.start' ('audiences' must be a list of audience configurations)"
        ),
        ("phase.wait(true)", "bad argument #1 to 'phase.wait' (release or flag key expected, got boolean)"),
        (
            "phase.wait('dark-mode', nil, {backoff = 0.5})",
            "bad argument #3 to 'phase.wait' (field 'backoff' must be a number from 1 to 10, got 0.5)"
        ),
        (
            "phase.wait('dark-mode', nil, {backoff = 'fast'})",
            "bad argument #3 to 'phase.wait' (field 'backoff' must be a number from 1 to 10, got string)"
        ),
        (
            "phase.wait('dark-mode', nil, {timeout = 'soon'})",
            "bad argument #3 to 'phase.wait' ('timeout' is not a duration: \"soon\")"
        ),
        (
            "phase.wait('dark-mode', nil, {every = true})",
            "bad argument #3 to 'phase.wait' ('every' must be a duration, got boolean)"
        ),
        (
            "phase.wait('dark-mode', nil, {timeout = -1})",
            "bad argument #3 to 'phase.wait' ('timeout' must be a duration >= 0)"
        ),
        // pipeline.*, flag.get
        ("pipeline.list('standard')", "bad argument #1 to 'pipeline.list' (table expected, got string)"),
        ("pipeline.get()", "bad argument #1 to 'pipeline.get' (string expected, got no value)"),
        ("pipeline.get{project = 'demo'}", "bad argument #1 to 'pipeline.get' (field 'key' is required)"),
        (
            "pipeline.releases('standard', {status = 'done'})",
            "bad argument #2 to 'pipeline.releases' ('status' must be \"active\" or \"completed\")"
        ),
        (
            "pipeline.releases{key = 'standard', status = 'done'}",
            "bad argument #1 to 'pipeline.releases' ('status' must be \"active\" or \"completed\")"
        ),
        ("flag.get(1)", "bad argument #1 to 'flag.get' (string expected, got number)"),
        // tasks and time
        ("spawn()", "bad argument #1 to 'spawn' (function expected, got no value)"),
        ("spawn('work')", "bad argument #1 to 'spawn' (function expected, got string)"),
        ("sleep()", "bad argument #1 to 'sleep' (duration expected, got no value)"),
        (
            "sleep('soon')",
            "bad argument #1 to 'sleep' (invalid duration \"soon\" (use seconds or \"500ms\", \"90s\", \"5m\", \"1h\"))"
        ),
        ("sleep(-1)", "bad argument #1 to 'sleep' (duration must be >= 0)"),
        ("ldrun.duration({})", "bad argument #1 to 'ldrun.duration' (duration expected, got table)"),
        ("wait_until(nil)", "bad argument #1 to 'wait_until' (function expected, got nil)"),
        ("wait_until(print, 5)", "bad argument #2 to 'wait_until' (table expected, got number)"),
        ("parallel(nil, print)", "bad argument #1 to 'parallel' (table expected, got nil)"),
        ("parallel({}, 'print')", "bad argument #2 to 'parallel' (function expected, got string)"),
        ("parallel({1}, print, {limit = 0})", "bad argument #3 to 'parallel' (limit must be a positive integer)"),
        // operator, json, context
        ("confirm()", "bad argument #1 to 'confirm' (string expected, got no value)"),
        ("log.info('x', 'y')", "bad argument #2 to 'log.info' (table expected, got string)"),
        ("json.encode()", "bad argument #1 to 'json.encode' (value expected, got no value)"),
        ("json.decode(1)", "bad argument #1 to 'json.decode' (string expected, got number)"),
        ("json.array('x')", "bad argument #1 to 'json.array' (table expected, got string)"),
        ("ldrun.error(1)", "bad argument #1 to 'ldrun.error' (string expected, got number)"),
        ("ldrun.error('c', 'm', nil, 1.5)", "bad argument #4 to 'ldrun.error' (number has no integer representation)"),
    ]

    @Test(arguments: cases)
    func aBadArgumentIsReportedInLuasWords(_ example: (call: String, message: String)) async throws {
        let harness = try await HostHarness.start()
        defer { Task { await harness.stop() } }
        let result = await harness.evaluate(
            """
            local ok, err = pcall(function()
              local _ = \(example.call)
            end)
            capture(ok, type(err) == "table" and err.code or err, type(err) == "table" and err.message, err.where, tostring(err))
            """)
        expectSucceeded(result.report)
        #expect(result.values.count == 5)
        guard result.values.count == 5 else { return }
        #expect(result.values[0] == false)
        #expect(result.values[1] == "bad_argument")
        #expect(result.values[2] == .string(example.message))
        #expect(result.values[3] == "test.lua:2")
        #expect(result.values[4] == .string("test.lua:2: " + example.message))
        #expect(await harness.writes().isEmpty)
    }
}
