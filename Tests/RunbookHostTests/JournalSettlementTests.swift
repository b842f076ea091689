import Foundation
import LuaBridge
import ReleaseCore
import ReleaseSimulator
import Testing

@testable import RunbookHost

/// Writes a run left `unknown` are settled by the next run with the same journal: it reads
/// each release again and records what became of the write before its runbook starts.
@Suite struct JournalSettlementTests {
    private static func temporaryJournal() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("journal-\(UUID()).jsonl").path
    }

    private static func records(_ path: String) throws -> [[String: Any]] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
    }

    private static func line(_ object: [String: Any]) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }

    /// A start still in flight when the run was interrupted is journalled `unknown` with what
    /// settling needs; the next run settles it by what the release shows, and the run after
    /// that has nothing left to settle. The server holds the start, then answers it 503
    /// without applying it, and the run is interrupted while it waits, so the start was never
    /// applied: a deterministic verdict (the applied verdict is checked on a release that
    /// shows it, below).
    @Test func anInterruptedStartIsSettledByTheNextRun() async throws {
        let harness = try await HostHarness.start(
            // The start is still in flight when the interrupt comes 100 ms in, even on a busy
            // machine: phase.start sends it at once (the release table it is given is trusted).
            phaseDuration: .seconds(60),
            faults: try FaultPlan(spec: "phase-start:count=1:latency=1500ms;phase-start:count=1:status=503"),
            dialect: .spec)
        defer { Task { await harness.stop() } }
        let path = Self.temporaryJournal()
        var configuration = harness.configuration
        configuration.journalPath = path
        let host = HostHarness.interruptibleHost(configuration)
        let first = await host.run(
            source: """
                local rel = release.create{flag = "dark-mode", pipeline = "standard"}
                spawn(function() sleep("100ms"); test.interrupt() end)
                phase.start(rel, "Testing")
                """,
            name: "first.lua")
        guard case .interrupted = first.outcome else {
            Issue.record("expected an interrupted run, got \(first.outcome)")
            return
        }
        let unknown = try #require(try Self.records(path).first { $0["operation"] as? String == "phase.start" })
        #expect(unknown["outcome"] as? String == "unknown", "\(unknown)")
        let id = try #require(unknown["write_id"] as? String)
        #expect(unknown["base_uri"] as? String == harness.configuration.client.baseURL.description)

        let second = await harness.run("release.get('dark-mode')") { $0.journalPath = path }
        #expect(second.succeeded, "\(second.failureMessage ?? "")")
        let settled = try #require(try Self.records(path).last { $0["operation"] as? String == "settle" })
        #expect(settled["operation"] as? String == "settle")
        #expect(settled["outcome"] as? String == "not_applied", "\(settled)")
        #expect(await harness.phaseStarts(flag: "dark-mode").isEmpty)
        #expect(settled["settles"] as? String == id)
        #expect(settled["settled_operation"] as? String == "phase.start")
        #expect(settled["flag"] as? String == "dark-mode")
        #expect(settled["phase"] as? String == "Testing")
        #expect(harness.recorder.messages(named: "settle").count == 1)

        let count = try Self.records(path).count
        let third = await harness.run("release.get('dark-mode')") { $0.journalPath = path }
        #expect(third.succeeded)
        #expect(try Self.records(path).count == count)
    }

    /// Each kind of write gets the verdict its release shows; writes to another API and
    /// writes already settled are left alone.
    @Test(arguments: [SimulatorDialect.observed, .spec])
    func eachWriteGetsTheVerdictItsReleaseShows(dialect: SimulatorDialect) async throws {
        let harness = try await HostHarness.start(phaseDuration: .seconds(60), dialect: dialect)
        defer { Task { await harness.stop() } }
        let setUp = await harness.run(
            """
            local rel = release.create{flag = "dark-mode", pipeline = "standard"}
            phase.start(rel, "Testing")
            """)
        #expect(setUp.succeeded, "\(setUp.failureMessage ?? "")")
        let writesBefore = await harness.writes().count
        let here = harness.configuration.client.baseURL.description
        func unknown(_ id: String, _ operation: String, flag: String, phase: String? = nil, base: String? = nil)
            -> [String: Any]
        {
            var object: [String: Any] = [
                "operation": operation, "outcome": "unknown", "project": "demo", "flag": flag, "write_id": id,
                "base_uri": base ?? here, "runbook": "earlier.lua", "time": "2026-12-01T10:00:00.000Z",
            ]
            if let phase { object["phase"] = phase }
            return object
        }
        let lines: [[String: Any]] = [
            unknown("a1", "phase.start", flag: "dark-mode", phase: "Testing"),
            unknown("a2", "phase.start", flag: "dark-mode", phase: "Staging"),
            unknown("a3", "release.create", flag: "search-v2"),
            unknown("a4", "release.create", flag: "dark-mode"),
            unknown("a5", "release.patch", flag: "dark-mode"),
            unknown("a6", "phase.start", flag: "dark-mode"),
            unknown("b1", "phase.start", flag: "dark-mode", phase: "Staging", base: "https://app.launchdarkly.com"),
            unknown("b2", "phase.start", flag: "dark-mode", phase: "Staging"),
            ["operation": "settle", "outcome": "not_applied", "settles": "b2", "project": "demo"],
            ["operation": "run", "outcome": "interrupted", "message": "Ctrl-C"],
        ]
        let path = Self.temporaryJournal()
        try (lines.map(Self.line).joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)

        let report = await harness.run("-- nothing to do") { $0.journalPath = path }
        #expect(report.succeeded, "\(report.failureMessage ?? "")")
        let settlements = try Self.records(path).dropFirst(lines.count).filter {
            $0["operation"] as? String != "run"
        }
        let verdicts = settlements.map { "\($0["settles"] as? String ?? "?"):\($0["outcome"] as? String ?? "?")" }
        #expect(
            verdicts == [
                "a1:applied", "a2:not_applied", "a3:not_applied", "a4:applied", "a5:undetermined",
                "a6:undetermined",
            ])
        #expect(settlements.allSatisfy { $0["operation"] as? String == "settle" })
        #expect(await harness.writes().count == writesBefore, "settling only reads")
    }

    /// A dry run neither settles nor reads anything for it; a run without a token says the
    /// writes stay unsettled and still runs its runbook.
    @Test func aDryRunLeavesUnknownWritesForALiveRun() async throws {
        let harness = try await HostHarness.start()
        defer { Task { await harness.stop() } }
        let path = Self.temporaryJournal()
        let record: [String: Any] = [
            "operation": "release.create", "outcome": "unknown", "project": "demo", "flag": "dark-mode",
            "write_id": "c1", "base_uri": harness.configuration.client.baseURL.description,
        ]
        try (Self.line(record) + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        let dry = await harness.run("-- nothing") {
            $0.journalPath = path
            $0.dryRun = true
        }
        #expect(dry.succeeded)
        #expect(try Self.records(path).count == 1)
        #expect(await harness.simulator.requestLog().isEmpty)

        let tokenless = await harness.run("sim.result('ran')") {
            $0.journalPath = path
            $0.client.accessToken = ""
        }
        #expect(tokenless.succeeded, "\(tokenless.failureMessage ?? "")")
        #expect(harness.results.values == ["ran"])
        #expect(try Self.records(path).count == 1)
        #expect(harness.recorder.messages(named: "settle").contains { $0.contains("cannot be settled") })
    }
}
