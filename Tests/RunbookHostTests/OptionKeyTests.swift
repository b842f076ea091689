import Foundation
import RunbookHost
import Testing

/// Option tables refuse keys their function does not read, so a misspelt option is a bad
/// argument (naming the nearest known key), never silently ignored.
@Suite(.timeLimit(.minutes(1))) struct OptionKeyTests {
    @Test(arguments: [
        (
            "phase.wait('dark-mode', 'Testing', {timout = '5m'})",
            "bad argument #3 to 'phase.wait' (unknown option 'timout'; did you mean 'timeout'? "
                + "options: backoff, every, timeout, until)"
        ),
        (
            "phase.start('dark-mode', 'Testing', {audience = {}})",
            "bad argument #3 to 'phase.start' (unknown option 'audience'; did you mean 'audiences'? "
                + "options: audiences)"
        ),
        (
            "json.encode({}, {prety = true})",
            "bad argument #2 to 'json.encode' (unknown option 'prety'; did you mean 'pretty'? "
                + "options: pretty)"
        ),
        (
            "pipeline.list({projct = 'demo'})",
            "bad argument #1 to 'pipeline.list' (unknown option 'projct'; did you mean 'project'? "
                + "options: env, environment, project, query)"
        ),
        (
            "\nwait_until(function() return true end, {evry = '1s'})",
            "bad argument #2 to 'wait_until' (unknown option 'evry'; did you mean 'every'? "
                + "options: backoff, every, max_every, timeout, what)"
        ),
        (
            "parallel({}, print, {limt = 2})",
            "bad argument #3 to 'parallel' (unknown option 'limt'; did you mean 'limit'? options: limit)"
        ),
        (
            "ldrun.pretty({}, {[1] = true})",
            "bad argument #2 to 'ldrun.pretty' (options are named fields (depth, items, summary, width), "
                + "got a number key)"
        ),
        (
            "wait_until(function() return true end, {zzzzzz = 1})",
            "bad argument #2 to 'wait_until' (unknown option 'zzzzzz'; "
                + "options: backoff, every, max_every, timeout, what)"
        ),
    ])
    func unknownOptionKeysAreBadArguments(source: String, expected: String) async throws {
        let harness = try await HostHarness.start()
        defer { Task { await harness.stop() } }
        let report = await harness.run(
            "local ok, err = pcall(function()\n" + source + "\nend) sim.result(err.code) sim.result(err.message)"
                + " sim.result(err.where)")
        #expect(report.outcome.exitCode == 0, "\(report.outcome)")
        // Located at the line of the call (the chunk's first line is the pcall wrapper).
        let line = source.hasPrefix("\n") ? 3 : 2
        #expect(harness.results.values == ["bad_argument", expected, "test.lua:\(line)"])
    }

    /// A team library's function checks its own options the same way, and the error points
    /// at the line that called it.
    @Test func ldrunOptionsChecksALibrarysOptions() async throws {
        let harness = try await HostHarness.start()
        defer { Task { await harness.stop() } }
        let report = await harness.run(
            """
            local function promote(flag, opts)
              opts = ldrun.options(opts, {"timeout", "gate"}, "promote")
              return opts.timeout or "default"
            end
            sim.result(promote("f")) sim.result(promote("f", {timeout = "1m"}))
            local ok, err = pcall(promote, "f", {gaet = true})
            sim.result(err.message)
            ok, err = pcall(promote, "f", 5)
            sim.result(err.message)
            """)
        #expect(report.outcome.exitCode == 0, "\(report.outcome)")
        #expect(
            harness.results.values == [
                "default", "1m",
                "bad argument #2 to 'promote' (unknown option 'gaet'; did you mean 'gate'? options: gate, timeout)",
                "bad argument #2 to 'promote' (table expected, got number)",
            ])
    }
}
