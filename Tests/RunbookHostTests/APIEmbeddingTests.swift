import Foundation
import LuaBridge
import ReleaseSimulator
import RunbookHost
import Synchronization
import Testing

// MARK: Shared helpers of the API*Tests files

/// Values a runbook hands back to a test with `capture(...)`.
final class CapturedValues: Sendable {
    private let storage = Mutex<[[LuaValue]]>([])

    func append(_ values: [LuaValue]) { storage.withLock { $0.append(values) } }

    var all: [[LuaValue]] { storage.withLock { $0 } }
}

/// What a runbook run by ``HostHarness/evaluate(_:configure:)`` produced.
struct Evaluation {
    var report: RunReport
    /// The arguments of every `capture(...)` call, in order.
    var captured: [[LuaValue]]

    /// The first argument of the last `capture(...)` call.
    var value: LuaValue { captured.last?.first ?? .nil }
    /// Every argument of the last `capture(...)` call.
    var values: [LuaValue] { captured.last ?? [] }
}

extension HostHarness {
    /// Runs `source` (named `test.lua`) with `capture(...)` available to hand values back,
    /// plus the harness's `sim.*` functions.
    func evaluate(
        _ source: String, configure: (inout RunbookHostConfiguration) -> Void = { _ in }
    ) async -> Evaluation {
        var configuration = configuration
        configure(&configuration)
        let host = RunbookHost(configuration: configuration)
        register(on: host)
        let captured = CapturedValues()
        host.register("capture") { values in
            captured.append(values)
            return []
        }
        let report = await host.run(source: source, name: "test.lua")
        return Evaluation(report: report, captured: captured.all)
    }

    /// The requests that reached the simulator, as `METHOD path`.
    func requestLines() async -> [String] {
        await simulator.requestLog().map { "\($0.method) \($0.path)" }
    }
}

extension EventRecorder {
    /// The events named `name`.
    func events(named name: String) -> [RunEvent] { events.filter { $0.name == name } }
}

/// Records an issue (with the runbook's error) unless the run succeeded.
func expectSucceeded(_ report: RunReport, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(report.succeeded, "\(report.failureMessage ?? "")", sourceLocation: sourceLocation)
}

/// The Lua error that ended a failed run, or an issue.
func failure(of report: RunReport, sourceLocation: SourceLocation = #_sourceLocation) -> LuaError? {
    guard case .failed(let error) = report.outcome else {
        Issue.record("expected the run to fail, got \(report.outcome)", sourceLocation: sourceLocation)
        return nil
    }
    return error
}

/// A demo seed with an extra legacy pipeline `legacy` (two phases) that `release.patch` can
/// change, and an extra flag `old`.
func seedWithLegacyPipeline() throws -> SimulatorSeed {
    var root = try JSONSerialization.jsonObject(with: Data(SimulatorSeed.demoSeedJSON.utf8)) as! [String: Any]
    var projects = root["projects"] as! [[String: Any]]
    var pipelines = projects[0]["pipelines"] as! [[String: Any]]
    pipelines.append([
        "key": "legacy", "name": "Legacy", "isLegacy": true,
        "phases": [
            ["name": "One", "audiences": [["name": "Test", "environmentKey": "test"]]],
            ["name": "Two", "audiences": [["name": "Production", "environmentKey": "production"]]],
        ],
    ])
    projects[0]["pipelines"] = pipelines
    var flags = projects[0]["flags"] as! [[String: Any]]
    flags.append(["key": "old", "name": "Old"])
    projects[0]["flags"] = flags
    root["projects"] = projects
    return try SimulatorSeed(json: JSONSerialization.data(withJSONObject: root))
}

// MARK: The embedding API: custom functions, cancellation, reports

@Suite("Embedding API") struct APIEmbeddingTests {
    @Test func aRegisteredFunctionReceivesTheArgumentsAndReturnsItsResults() async throws {
        let harness = try await HostHarness.start()
        defer { Task { await harness.stop() } }
        var configuration = harness.configuration
        configuration.confirmation = .refuse
        let host = RunbookHost(configuration: configuration)
        let received = CapturedValues()
        host.register("chat.post") { arguments in
            received.append(arguments)
            try await Task.sleep(for: .milliseconds(5))
            return [.string("sent"), .integer(Int64(arguments.count))]
        }
        let report = await host.run(
            source: """
                local status, count = chat.post("deploying", 3, {channel = "#releases"})
                assert(status == "sent", tostring(status))
                assert(count == 3 and math.type(count) == "integer", tostring(count))
                """, name: "test.lua")
        expectSucceeded(report)
        #expect(received.all == [["deploying", 3, ["channel": "#releases"]]])
    }

    @Test func aHostErrorThrownByARegisteredFunctionIsAnErrorTable() async throws {
        let harness = try await HostHarness.start()
        defer { Task { await harness.stop() } }
        let host = RunbookHost(configuration: harness.configuration)
        host.register("chat.post") { _ in
            throw LuaHostError(code: "chat_down", message: "the chat is down", fields: ["status": 503])
        }
        struct Unconvertible: Error {}
        host.register("chat.other") { _ in throw Unconvertible() }
        let captured = CapturedValues()
        host.register("capture") { values in
            captured.append(values)
            return []
        }
        let report = await host.run(
            source: """
                local ok, err = pcall(function() return chat.post("x") end)
                capture(ok, err)
                local ok2, err2 = pcall(function() return chat.other() end)
                capture(ok2, err2.code)
                """, name: "test.lua")
        expectSucceeded(report)
        let error = captured.all.first?[1] ?? .nil
        #expect(captured.all.first?.first == false)
        #expect(error["code"] == "chat_down")
        #expect(error["message"] == "the chat is down")
        #expect(error["status"] == 503)
        #expect(error["where"] == "test.lua:1")
        #expect(captured.all.last == [false, "host_error"])
    }

    @Test func cancelInterruptsAWaitingTaskWhichCanCleanUp() async throws {
        let harness = try await HostHarness.start()
        defer { Task { await harness.stop() } }
        let host = RunbookHost(configuration: harness.configuration)
        let recorder = harness.recorder
        let canceller = Task {
            while !recorder.events.contains(where: { $0.message == "sleeping" }) {
                try await Task.sleep(for: .milliseconds(5))
            }
            host.cancel(reason: "operator stop")
        }
        let report = await host.run(
            source: """
                do
                  local guard <close> = setmetatable({}, {__close = function() log.info("cleaned up") end})
                  log.info("sleeping")
                  local ok, err = pcall(sleep, "30s")
                  log.info("caught", {code = err.code, message = err.message})
                  local ok2, err2 = pcall(release.get, "new-checkout")
                  log.info("after", {code = err2.code})
                end
                """, name: "test.lua")
        canceller.cancel()
        guard case .interrupted = report.outcome else {
            Issue.record("expected an interrupted run, got \(report.outcome)")
            return
        }
        #expect(report.outcome.exitCode == 130)
        let caught = recorder.events.first { $0.message == "caught" }
        #expect(caught?.fields["code"] == .string("interrupted"))
        #expect(caught?.fields["message"] == .string("operator stop"))
        #expect(recorder.events.first { $0.message == "after" }?.fields["code"] == .string("interrupted"))
        #expect(recorder.events.contains { $0.message == "cleaned up" })
        #expect(recorder.messages(named: "interrupted") == ["interrupted: operator stop"])
    }

    @Test func theRunTimeoutInterruptsTheRun() async throws {
        let harness = try await HostHarness.start()
        defer { Task { await harness.stop() } }
        let report = await harness.run("sleep('30s')") { $0.timeout = .milliseconds(100) }
        guard case .interrupted = report.outcome else {
            Issue.record("expected an interrupted run, got \(report.outcome)")
            return
        }
        #expect(harness.recorder.messages(named: "interrupted").first?.contains("exceeded its time limit") == true)
    }

    @Test func anUncaughtErrorFailsTheRunWithItsLocationAndTraceback() async throws {
        let harness = try await HostHarness.start()
        defer { Task { await harness.stop() } }
        let report = await harness.run(
            """
            local function promote()
              error(ldrun.error("not_ready", "the flag is not ready", {flag = "x"}))
            end
            promote()
            """)
        let error = try #require(failure(of: report))
        #expect(report.outcome.exitCode == 1)
        #expect(error.code == "not_ready")
        #expect(error.message == "test.lua:2: the flag is not ready")
        #expect(error.value?["flag"] == "x")
        #expect(error.traceback?.contains("test.lua:4: in main chunk") == true)
        #expect(harness.recorder.messages(named: "summary").first?.hasPrefix("failed: 0 writes") == true)
    }

    @Test func aSyntaxErrorRejectsTheRunWithExitStatus2() async throws {
        let harness = try await HostHarness.start()
        defer { Task { await harness.stop() } }
        let report = await harness.run("local x = = 1")
        guard case .rejected(let message) = report.outcome else {
            Issue.record("expected a rejected run, got \(report.outcome)")
            return
        }
        #expect(report.outcome.exitCode == 2)
        #expect(message.hasPrefix("test.lua:1:"))
        #expect(await harness.simulator.requestLog().isEmpty)
    }

    @Test func anUnusableClientConfigurationRejectsTheRun() async throws {
        let harness = try await HostHarness.start()
        defer { Task { await harness.stop() } }
        let report = await harness.run("error('never runs')") { $0.client.pageSize = 0 }
        guard case .rejected(let message) = report.outcome else {
            Issue.record("expected a rejected run, got \(report.outcome)")
            return
        }
        #expect(message.contains("page size"))
    }

    @Test func aFailedTaskNobodyWaitedForFailsTheRunAndIsReported() async throws {
        let harness = try await HostHarness.start()
        defer { Task { await harness.stop() } }
        let report = await harness.run(
            """
            spawn(function() error("lost") end)
            sleep("10ms")
            """)
        let error = try #require(failure(of: report))
        #expect(error.message.contains("lost"))
        #expect(report.unobservedTaskErrors.count == 1)
        #expect(report.unobservedTaskErrors.first?.hasPrefix("spawned task #2 failed") == true)
        #expect(harness.recorder.events(named: "task.failed").count == 1)
    }

    @Test func runFileNamesTheFileInErrorsAndSearchesItsFolderForModules() async throws {
        let harness = try await HostHarness.start()
        defer { Task { await harness.stop() } }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ldrun-file-\(UUID())").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try "return {answer = 42}".write(toFile: folder + "/helper.lua", atomically: true, encoding: .utf8)
        try """
        local helper = require "helper"
        error(ldrun.error("done", "answer " .. helper.answer))
        """.write(toFile: folder + "/book.lua", atomically: true, encoding: .utf8)
        let report = await RunbookHost(configuration: harness.configuration).run(file: folder + "/book.lua")
        let error = try #require(failure(of: report))
        // Lua shortens long chunk names from the left ("...ldrun-file-…/book.lua").
        #expect(error.message.hasSuffix("/book.lua:2: answer 42"))
    }
}
