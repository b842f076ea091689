import Foundation
import LuaBridge
import ReleaseSimulator
import RunbookHost
import Testing

@Suite("spawn, tasks, parallel, sleep, wait_until") struct APITaskTests {
    @Test func spawnRunsConcurrentlyAndWaitReturnsEveryResult() async throws {
        let harness = try await HostHarness.start()
        defer { Task { await harness.stop() } }
        let result = await harness.evaluate(
            """
            local order = {}
            local slow = spawn(function(name, pause)
              sleep(pause)
              order[#order + 1] = name
              return name, 2, {done = true}
            end, "slow", "60ms")
            local fast = spawn(function()
              sleep("5ms")
              order[#order + 1] = "fast"
              return "fast"
            end)
            capture(slow:done(), fast:done())
            local name, number, extra = slow:wait()
            capture(name, number, extra.done, fast:wait(), slow:done(), fast:done(), table.concat(order, ","))
            capture(slow:wait())  -- waiting again returns the same results
            """)
        expectSucceeded(result.report)
        #expect(result.captured[0] == [false, false])
        #expect(result.captured[1] == ["slow", 2, true, "fast", true, true, "fast,slow"])
        #expect(result.captured[2] == ["slow", 2, ["done": true]])
    }

    @Test func anErrorInASpawnedTaskDoesNotStopOthersAndWaitRaisesIt() async throws {
        let harness = try await HostHarness.start()
        defer { Task { await harness.stop() } }
        let result = await harness.evaluate(
            """
            local failing = spawn(function()
              sleep("5ms")
              error(ldrun.error("boom", "it broke", {item = 7}))
            end)
            local failing_string = spawn(function() error("plain") end)
            local healthy = spawn(function()
              sleep("30ms")
              return "still here"
            end)
            local ok, err = pcall(failing.wait, failing)
            local ok2, err2 = pcall(failing_string.wait, failing_string)
            capture(ok, err.code, err.message, err.item, err.where, failing:done(), healthy:wait())
            capture(ok2, err2)
            """)
        expectSucceeded(result.report)
        #expect(result.captured.first == [false, "boom", "it broke", 7, "test.lua:3", true, "still here"])
        #expect(result.captured.last == [false, "test.lua:5: plain"])
        #expect(result.report.unobservedTaskErrors.isEmpty)
    }

    @Test func aTaskWaitingForItselfRaisesDeadlock() async throws {
        let harness = try await HostHarness.start()
        defer { Task { await harness.stop() } }
        let result = await harness.evaluate(
            """
            local me
            me = spawn(function()
              sleep(0)
              local ok, err = pcall(me.wait, me)
              return err.code
            end)
            capture(me:wait())
            """)
        expectSucceeded(result.report)
        #expect(result.value == "deadlock")
    }

    @Test func parallelReturnsResultsAndErrorsPerItemWithinTheLimit() async throws {
        let harness = try await HostHarness.start()
        defer { Task { await harness.stop() } }
        let result = await harness.evaluate(
            """
            local running, most = 0, 0
            local items = {"a", "b", "c", "d", "e", "f", "g"}
            local results, errors = parallel(items, function(item, index)
              running = running + 1
              most = math.max(most, running)
              sleep("10ms")
              running = running - 1
              if index % 3 == 0 then error(ldrun.error("bad_item", "cannot do " .. item)) end
              return item:upper() .. index
            end, {limit = 2})
            local r, e = {}, {}
            for i = 1, #items do
              r[i] = results[i] or "-"
              e[i] = errors[i] and errors[i].code or "-"
            end
            capture(table.concat(r, " "), table.concat(e, " "), most)
            """)
        expectSucceeded(result.report)
        #expect(result.values == ["A1 B2 - D4 E5 - G7", "- - bad_item - - bad_item -", 2])
    }

    @Test func parallelDefaultsToTenAtOnceAndHandlesAnEmptyList() async throws {
        let harness = try await HostHarness.start()
        defer { Task { await harness.stop() } }
        let result = await harness.evaluate(
            """
            local running, most = 0, 0
            local list = {}
            for i = 1, 25 do list[i] = i end
            local results = parallel(list, function(n)
              running = running + 1
              most = math.max(most, running)
              sleep("5ms")
              running = running - 1
              return n * n
            end)
            local empty_results, empty_errors = parallel({}, function() error("never") end)
            capture(most, #results, results[25], next(empty_results), next(empty_errors))
            """)
        expectSucceeded(result.report)
        #expect(result.values == [10, 25, 625, .nil, .nil])
    }

    @Test func parallelPromotesManyFlagsAgainstTheSimulator() async throws {
        let harness = try await HostHarness.start()
        defer { Task { await harness.stop() } }
        let result = await harness.evaluate(
            """
            local flags = {"new-checkout", "dark-mode", "no-such-flag"}
            local results, errors = parallel(flags, function(flag)
              local rel = phase.start(release.create(flag, "fast-track"))
              return phase.wait(rel, "Test", {every = "10ms"})._flag
            end)
            capture(results[1], results[2], results[3], errors[3] and errors[3].code)
            """)
        expectSucceeded(result.report)
        #expect(result.values == ["new-checkout", "dark-mode", .nil, "not_found"])
    }

    static let durations: [(lua: String, seconds: Double)] = [
        ("10ms", 0.01), ("0.02", 0.02), ("1.5s", 1.5), ("2m", 120), ("1h", 3600), ("1h30m", 5400), ("250ms", 0.25),
    ]

    @Test(arguments: durations)
    func durationStringsParse(_ example: (lua: String, seconds: Double)) async throws {
        let harness = try await HostHarness.start()
        defer { Task { await harness.stop() } }
        let result = await harness.evaluate("capture(ldrun.duration('\(example.lua)'), ldrun.duration(90))")
        expectSucceeded(result.report)
        #expect(result.values == [.number(example.seconds), .number(90)])
    }

    @Test func sleepWaitsForTheDurationWithoutBlockingOtherTasks() async throws {
        let harness = try await HostHarness.start()
        defer { Task { await harness.stop() } }
        let result = await harness.evaluate(
            """
            local start = ldrun.clock()
            local ticks = 0
            local ticker = spawn(function()
              for _ = 1, 3 do sleep(0.005); ticks = ticks + 1 end
            end)
            sleep("50ms")
            local slept = ldrun.clock() - start
            ticker:wait()
            sleep(0)
            capture(slept >= 0.05, slept < 5, ticks)
            """)
        expectSucceeded(result.report)
        #expect(result.values == [true, true, 3])
    }

    @Test func waitUntilReturnsTheFirstTruthyValue() async throws {
        let harness = try await HostHarness.start()
        defer { Task { await harness.stop() } }
        let result = await harness.evaluate(
            """
            local calls = 0
            local value = wait_until(function()
              calls = calls + 1
              return calls >= 3 and {calls = calls}
            end, {every = "5ms", timeout = "5s"})
            capture(value.calls, calls)
            """)
        expectSucceeded(result.report)
        #expect(result.values == [3, 3])
    }

    @Test func waitUntilRaisesTimeoutNamingWhatItWaitedFor() async throws {
        let harness = try await HostHarness.start()
        defer { Task { await harness.stop() } }
        let result = await harness.evaluate(
            """
            local ok, err = pcall(function()
              local value = wait_until(function() return false end,
                {timeout = "500ms", every = "10ms", backoff = 2, max_every = "20ms", what = "the rollout"})
              return value
            end)
            capture(err.code, err.what, err.checks >= 2, err.where, err.message:match("^timed out after [%d.]+s waiting for the rollout$") ~= nil)
            """)
        expectSucceeded(result.report)
        #expect(result.values == ["timeout", "the rollout", true, "test.lua:2", true])
    }

    @Test func aHostCallInsideACoroutineOfTheRunbookRaisesNotInTask() async throws {
        let harness = try await HostHarness.start()
        defer { Task { await harness.stop() } }
        let result = await harness.evaluate(
            """
            local ok, err = pcall(coroutine.wrap(function() return release.get("new-checkout") end))
            capture(err.code, err.message)
            local co = coroutine.create(function() sleep("1ms") end)
            local resumed, err2 = coroutine.resume(co)
            capture(resumed, err2.code)
            """)
        expectSucceeded(result.report)
        #expect(result.captured.first?.first == "not_in_task")
        #expect(
            result.captured.first?.last?.stringValue?.hasPrefix(
                "'release.get' must run in a runbook task, not inside a coroutine made with coroutine.create") == true)
        #expect(result.captured.last == [false, "not_in_task"])
    }

    @Test func aHostCallThatMustWaitInsideATableSortComparatorRaisesNotYieldable() async throws {
        let harness = try await HostHarness.start()
        defer { Task { await harness.stop() } }
        let result = await harness.evaluate(
            """
            local ok, err = pcall(table.sort, {"b", "a", "c"}, function(a, b)
              release.get(a)
              return a < b
            end)
            capture(err.code, err.message)
            local ok2, err2 = pcall(table.sort, {3, 1, 2}, function(a, b) sleep("1ms") return a < b end)
            capture(err2.code)
            -- functions that do not wait work anywhere
            local sorted = {"b", "a"}
            table.sort(sorted, function(a, b) return release.status{phases = {{_id = a}}} == "not_started" and a < b end)
            capture(sorted[1])
            local ok3, err3 = pcall(string.gsub, "ab", "%w", function(c) sleep(0) return c end)
            local lazy = setmetatable({}, {__index = function(_, key) sleep(0) return key end})
            capture(err3.code, lazy.waited)  -- __index triggered by Lua code may wait
            """)
        expectSucceeded(result.report)
        #expect(result.captured.count == 4)
        #expect(result.captured.last == ["not_yieldable", "waited"])
        #expect(result.captured[0].first == "not_yieldable")
        #expect(
            result.captured[0].last?.stringValue?.hasPrefix(
                "'release.get' must wait, which is not possible here (inside require, a metamethod, a table.sort")
                == true)
        #expect(result.captured[1] == ["not_yieldable"])
        #expect(result.captured[2] == ["a"])
    }
}
