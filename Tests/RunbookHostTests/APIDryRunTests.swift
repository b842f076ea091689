import Foundation
import LuaBridge
import ReleaseCore
import ReleaseSimulator
import RunbookHost
import Testing

@Suite("Dry run and journal") struct APIDryRunTests {
    static let promote = """
        local flag = args.flag
        local start = ldrun.clock()
        local rel = release.get(flag) or release.create{flag = flag, pipeline = "standard"}
        while true do
          local next_phase = phase.next(rel)
          if not next_phase then break end
          rel = phase.start(rel, next_phase)
          rel = phase.wait(rel, next_phase, {timeout = "1h"})
        end
        sleep("1h")
        local waited = wait_until(function() return false end, {timeout = "1h", what = "the metrics"})
        capture(release.status(rel), ldrun.dry_run, waited, ldrun.clock() - start < 60)
        release.delete(flag)
        capture(release.get(flag))
        """

    @Test func aDryRunSendsNoWriteAndAnnouncesEveryWriteInOrder() async throws {
        let harness = try await HostHarness.start(phaseDuration: .seconds(3600))
        defer { Task { await harness.stop() } }
        let result = await harness.evaluate(Self.promote) {
            $0.dryRun = true
            $0.arguments = ["flag": "new-checkout"]
        }
        expectSucceeded(result.report)
        #expect(result.captured == [["complete", true, true, true], [.nil]])
        let log = await harness.simulator.requestLog()
        #expect(!log.isEmpty)
        #expect(log.allSatisfy { $0.method == "GET" }, "\(log.map(\.method))")
        #expect(
            harness.recorder.messages(named: "would") == [
                "would: release created for new-checkout on pipeline standard",
                "would: phase Testing of new-checkout started",
                "would: phase Staging of new-checkout started",
                "would: phase Production of new-checkout started",
                "would: release of new-checkout deleted",
            ])
        #expect(harness.recorder.messages(named: "log") == ["would wait until the metrics"])
        #expect(
            harness.recorder.messages(named: "summary").first?.hasPrefix("done: 5 writes planned (dry run)") == true)
    }

    @Test(arguments: SimulatorDialect.allCases)
    func aDryRunStartsFromTheServersRealState(dialect: SimulatorDialect) async throws {
        let harness = try await HostHarness.start(phaseDuration: .seconds(3600), dialect: dialect)
        defer { Task { await harness.stop() } }
        let live = await harness.run(#"phase.start(release.create("dark-mode", "standard"))"#)
        expectSucceeded(live)
        let result = await harness.evaluate(
            """
            local rel = release.get("dark-mode")
            capture(phase.active(rel)._name, release.status(rel))
            local again, started = phase.start(rel, "Testing")
            capture(started)
            local ok, err = pcall(release.create, "dark-mode", "standard")
            capture(err.code)
            """
        ) { $0.dryRun = true }
        expectSucceeded(result.report)
        // Observed: the started immediate phase is rolled out, so the next one can start.
        let status: LuaValue = dialect == .spec ? "in_progress" : "ready"
        #expect(result.captured == [["Testing", status], [false], ["invalid_request"]])
        #expect(harness.recorder.messages(named: "would").last == "would: phase Testing of dark-mode already started")
        #expect(await harness.writes().filter { $0.status == 200 }.count == 2, "only the live run's writes")
    }

    /// A dry-run start is journalled with the value a real one would be sent with first: the
    /// start value of the dialect the release is spelt in.
    @Test(arguments: SimulatorDialect.allCases)
    func aDryRunStartNamesTheValueARealStartWouldSend(dialect: SimulatorDialect) async throws {
        let harness = try await HostHarness.start(phaseDuration: .seconds(3600), dialect: dialect)
        defer { Task { await harness.stop() } }
        expectSucceeded(await harness.run(#"release.create("dark-mode", "standard")"#))
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ldrun-\(UUID()).jsonl").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let dry = await harness.run(#"phase.start(release.get("dark-mode"), "Testing")"#) {
            $0.journalPath = path
            $0.dryRun = true
        }
        expectSucceeded(dry)
        let records = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map {
            try JSONValue(parsing: String($0))
        }
        let start = try #require(records.first { $0["operation"] == .string("phase.start") })
        #expect(start["outcome"] == .string("dry_run"))
        #expect(start["sent_status"] == .string(dialect == .spec ? "Started" : "active"), "\(start)")
        #expect(await harness.phaseStarts(flag: "dark-mode").isEmpty)
    }

    @Test func theJournalRecordsEveryWriteAndItsOutcomeWithoutTheToken() async throws {
        let harness = try await HostHarness.start(phaseDuration: .seconds(3600))
        defer { Task { await harness.stop() } }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ldrun-\(UUID())/journal.jsonl").path
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        let report = await harness.run(
            """
            local rel = release.create("search-v2", "standard")
            phase.start(rel, "Testing")
            phase.start(rel, "Testing")
            pcall(release.create, "dark-mode", "nope")
            """
        ) { $0.journalPath = path }
        expectSucceeded(report)
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        var records = try lines.map { try JSONValue(parsing: String($0)) }
        // The run's own last record says how it ended.
        let end = records.removeLast()
        #expect(end["operation"] == .string("run"))
        #expect(end["outcome"] == .string("done"))
        #expect(end["writes"] == .integer(3))
        #expect(
            records.map { $0["operation"]?.stringValue } == [
                "release.create", "phase.start", "phase.start", "release.create",
            ])
        #expect(records.map { $0["outcome"]?.stringValue } == ["ok", "ok", "already_started", "failed"])
        #expect(records.allSatisfy { $0["runbook"] == .string("test.lua") && $0["project"] == .string("demo") })
        #expect(records[1]["phase"] == .string("Testing"))
        #expect(records[3]["status"] == .integer(404))
        #expect(records[3]["flag"] == .string("dark-mode"))
        #expect(records.allSatisfy { $0["time"]?.stringValue != nil })
        #expect(!lines.joined().contains(harness.simulator.accessToken))

        let dry = await harness.run(#"release.delete("search-v2")"#) {
            $0.journalPath = path
            $0.dryRun = true
        }
        expectSucceeded(dry)
        let tail = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").suffix(2).map {
            try JSONValue(parsing: String($0))
        }
        #expect(tail.first?["operation"] == .string("release.delete"))
        #expect(tail.first?["outcome"] == .string("dry_run"))
        #expect(tail.last?["operation"] == .string("run"))
        #expect(tail.last?["outcome"] == .string("done"))
    }
}
