import Foundation
import LuaBridge
import ReleaseCore
import ReleaseSimulator
import RunbookHost
import Synchronization
import Testing

/// Runbook inputs that used to crash the host (a trap in a number conversion, a stack
/// overflow, memory exhaustion) or that an interrupt could not stop, run in-process now
/// that they are safe.
@Suite(.timeLimit(.minutes(2))) struct SafetyTests {
    // MARK: Numbers

    @Test(arguments: [
        ("sleep(1e16)", "bad argument #1 to 'sleep' (duration out of range: 1e+16 seconds"),
        ("sleep(9223372036854775807)", "bad argument #1 to 'sleep' (duration out of range"),
        ("sleep('1e15h')", "bad argument #1 to 'sleep' (invalid duration \"1e15h\""),
        ("sleep('1000000000000000h')", "bad argument #1 to 'sleep' (duration out of range"),
        ("sleep('99999999999999999999999ms')", "bad argument #1 to 'sleep' (duration out of range"),
        ("sleep(math.huge)", "bad argument #1 to 'sleep' (duration must be finite, got inf)"),
        ("sleep(-math.huge)", "bad argument #1 to 'sleep' (duration must be finite, got -inf)"),
        ("sleep(0/0)", "bad argument #1 to 'sleep' (duration must be a number, got nan)"),
        ("sleep('inf')", "bad argument #1 to 'sleep' (duration must be finite, got inf)"),
        ("sleep('nan')", "bad argument #1 to 'sleep' (duration must be a number, got nan)"),
        ("ldrun.duration(1e300)", "bad argument #1 to 'ldrun.duration' (duration out of range"),
        ("ldrun.duration(math.huge)", "bad argument #1 to 'ldrun.duration' (duration must be finite"),
        (
            "wait_until(function() return false end, {timeout = 1e300})",
            "test.lua:1: bad argument #2 to 'wait_until' (timeout: duration out of range"
        ),
        (
            "wait_until(function() return false end, {every = 1e300})",
            "test.lua:1: bad argument #2 to 'wait_until' (every: duration out of range"
        ),
        (
            "wait_until(function() return false end, {max_every = 0/0})",
            "test.lua:1: bad argument #2 to 'wait_until' (max_every: duration must be a number, got nan)"
        ),
        (
            "phase.wait('dark-mode', nil, {timeout = math.huge})",
            "bad argument #3 to 'phase.wait' ('timeout': duration must be finite, got inf)"
        ),
        (
            "phase.wait('dark-mode', nil, {every = 1e300})",
            "bad argument #3 to 'phase.wait' ('every': duration out of range"
        ),
        (
            "phase.wait('dark-mode', nil, {timeout = '1e400s'})",
            "bad argument #3 to 'phase.wait' ('timeout' is not a duration: \"1e400s\")"
        ),
    ])
    func outOfRangeDurationsAreBadArguments(source: String, expected: String) async throws {
        let harness = try await HostHarness.start()
        defer { Task { await harness.stop() } }
        let report = await harness.run(source)
        guard case .failed(let error) = report.outcome else {
            Issue.record("expected a failure, got \(report.outcome)")
            return
        }
        #expect(error.message.contains(expected), "\(error.message)")
        #expect(error.code == "bad_argument")
    }

    @Test(arguments: ["1e300", "1000000001", "inf", "nan", "-1", "1e15h", "", "5x"])
    func theDurationParserRefusesWhatIsNoDuration(text: String) {
        #expect(RunbookDuration.parse(text) == nil)
        #expect(throws: RunbookDuration.Invalid.self) { try RunbookDuration.parseChecked(text) }
    }

    @Test(arguments: [
        ("90", Duration.seconds(90)), ("1h30m", .seconds(5400)), ("500ms", .milliseconds(500)),
        ("1000000000", .seconds(1_000_000_000)),
    ])
    func theDurationParserReadsDurations(text: String, expected: Duration) {
        #expect(RunbookDuration.parse(text) == expected)
    }

    // MARK: The stack and metatables

    @Test func spawnTakesManyArguments() async throws {
        let harness = try await HostHarness.start()
        defer { Task { await harness.stop() } }
        let report = await harness.run(
            """
            local t = {}
            for i = 1, 300 do t[i] = i end
            local task = spawn(function(...) return select('#', ...) + (select(300, ...)) end, table.unpack(t))
            sim.result(tostring(task:wait()))
            """)
        #expect(report.succeeded, "\(report.outcome)")
        #expect(harness.results.values == ["600"])
    }

    @Test func theTaskMetatableIsHiddenAndUnreachable() async throws {
        let harness = try await HostHarness.start()
        defer { Task { await harness.stop() } }
        let report = await harness.run(
            """
            local task = spawn(function() return 1 end)
            local hidden = getmetatable(task)
            local ok = pcall(setmetatable, task, {})
            -- The sandbox has no debug.getmetatable; LuaBridgeTests check __gc on foreign values.
            local reachable = debug.getmetatable ~= nil
            sim.result(tostring(hidden) .. " " .. tostring(ok) .. " " .. tostring(reachable))
            """)
        #expect(report.succeeded, "\(report.outcome)")
        #expect(harness.results.values == ["ldrun.task false false"])
    }

    // MARK: Memory

    @Test func aRunawayTableFailsTheRunWithNotEnoughMemory() async throws {
        let harness = try await HostHarness.start()
        defer { Task { await harness.stop() } }
        let report = await harness.run("local t = {} for i = 1, 1e8 do t[i] = {i} end") {
            $0.memoryLimit = 32 << 20
        }
        guard case .failed(let error) = report.outcome else {
            Issue.record("expected a failure, got \(report.outcome)")
            return
        }
        #expect(error.message.contains("not enough memory"))
    }

    @Test func runningOutOfMemoryIsCatchableAndTheRunGoesOn() async throws {
        let harness = try await HostHarness.start()
        defer { Task { await harness.stop() } }
        let report = await harness.run(
            """
            local ok, err = pcall(function() local t = {} for i = 1, 1e8 do t[i] = {i} end end)
            collectgarbage()
            sim.result(tostring(ok) .. " " .. tostring(err))
            sim.result(json.encode({after = true}))
            """
        ) { $0.memoryLimit = 32 << 20 }
        #expect(report.succeeded, "\(report.outcome)")
        #expect(harness.results.values == ["false not enough memory", #"{"after":true}"#])
    }

    @Test func theDefaultMemoryLimitIsOneGiB() {
        let configuration = RunbookHostConfiguration(
            client: ReleaseClientConfiguration(accessToken: "x", userAgent: "test"), events: EventRecorder())
        #expect(configuration.memoryLimit == 1 << 30)
    }

    @Test(arguments: [
        ("1000000", 1_000_000), ("512MiB", 512 << 20), ("1GiB", 1 << 30), ("64MB", 64_000_000), ("2k", 2048),
    ])
    func sizesParse(text: String, bytes: Int) throws {
        #expect(try ByteSize.parse(text) == bytes)
    }

    @Test(arguments: ["", "lots", "1e300", "12XB", "-5MiB", "inf", "99999999PiB"])
    func nonsenseSizesAreRefused(text: String) {
        #expect(throws: RunbookDuration.Invalid.self) { try ByteSize.parse(text) }
    }

    // MARK: Interrupts and cancellation

    /// A host with `stop()`, which cancels the run that calls it.
    func hostWithStop(_ harness: HostHarness) -> RunbookHost {
        let host = RunbookHost(configuration: harness.configuration)
        harness.register(on: host)
        let link = HostLink()
        link.host = host
        host.register("stop") { _ in
            link.host?.cancel(reason: "stopped by the test")
            return []
        }
        return host
    }

    @Test(arguments: [
        "for i = 1, 2000 do pcall(function() for j = 1, 1e4 do end end) n = n + 1 end",
        "for i = 1, 2000 do pcall(pcall, function() for j = 1, 1e4 do end end) n = n + 1 end",
        "local t = spawn(function() for i = 1, 2000 do pcall(function() for j = 1, 1e4 do end end) n = n + 1 end end) t:wait()",
    ])
    func aCancelStopsAPcallLoop(loop: String) async throws {
        let harness = try await HostHarness.start()
        defer { Task { await harness.stop() } }
        let host = hostWithStop(harness)
        let session = try host.makeSession()
        let execution = await session.execute("n = 0 pcall(stop) \(loop)", chunkName: "@test.lua")
        #expect(execution.outcome.isInterrupted, "\(execution.outcome)")
        let after = await session.evaluate(entry: "n")
        #expect(after.outcome.isSucceeded, "\(after.outcome)")
        #expect(Int(after.results.first ?? "") ?? 2000 < 2000, "\(after.results)")
        await session.close()
    }

    @Test func aCancelWithNoRunActiveDoesNothing() async throws {
        let harness = try await HostHarness.start()
        defer { Task { await harness.stop() } }
        let host = RunbookHost(configuration: harness.configuration)
        harness.register(on: host)
        host.cancel(reason: "too early")
        let report = await host.run(source: "sim.result('ran')", name: "test.lua")
        #expect(report.succeeded, "\(report.outcome)")
        let session = try host.makeSession()
        _ = await session.evaluate(entry: "x = 1")
        host.cancel(reason: "between entries")
        let next = await session.evaluate(entry: "sleep(0) return x + 1")
        #expect(next.outcome.isSucceeded, "\(next.outcome)")
        #expect(next.results == ["2"])
        host.cancel()
        await session.close()
        #expect(harness.results.values == ["ran"])
    }

    @Test func aHostRunsOneRunAtATime() async throws {
        let harness = try await HostHarness.start()
        defer { Task { await harness.stop() } }
        let host = RunbookHost(configuration: harness.configuration)
        harness.register(on: host)
        let (entered, enteredSink) = AsyncStream.makeStream(of: Void.self)
        let (release, releaseSink) = AsyncStream.makeStream(of: Void.self)
        host.register("hold") { _ in
            enteredSink.yield()
            for await _ in release { break }
            return []
        }
        let first = Task { await host.run(source: "hold() sim.result('first')", name: "first.lua") }
        for await _ in entered { break }
        let second = await host.run(source: "sim.result('second')", name: "second.lua")
        #expect(second.failureMessage?.contains("another run is in progress") == true, "\(second.outcome)")
        releaseSink.yield()
        #expect(await first.value.succeeded)
        #expect(harness.results.values == ["first"])
    }
}

/// Lets a registered function reach its host without a reference cycle.
final class HostLink: @unchecked Sendable {
    weak var host: RunbookHost?
}

extension RunOutcome {
    var isInterrupted: Bool {
        if case .interrupted = self { return true }
        return false
    }

    var isSucceeded: Bool {
        if case .succeeded = self { return true }
        return false
    }
}
