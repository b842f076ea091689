import Foundation
import LuaBridge
import ReleaseCore
import ReleaseSimulator
import Testing

@testable import RunbookHost

@Suite struct JournalTests {
    /// Each write's record is on disk before the runbook's next statement runs: a host
    /// function reads the journal file between writes.
    @Test func everyWriteIsJournalledBeforeTheRunGoesOn() async throws {
        let harness = try await HostHarness.start(phaseDuration: .seconds(60))
        defer { Task { await harness.stop() } }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("journal-\(UUID()).jsonl").path
        var configuration = harness.configuration
        configuration.journalPath = path
        let host = RunbookHost(configuration: configuration)
        host.register("journal.operations") { _ in
            let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
            let operations = text.split(separator: "\n").compactMap { line -> LuaValue? in
                let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
                guard let operation = object?["operation"] as? String else { return nil }
                return .string("\(operation):\(object?["outcome"] as? String ?? "")")
            }
            return [.array(operations)]
        }
        let report = await host.run(
            source: """
                assert(#journal.operations() == 0)
                local rel = release.create{flag = "dark-mode", pipeline = "standard"}
                local after_create = journal.operations()
                assert(#after_create == 1 and after_create[1] == "release.create:ok", table.concat(after_create, ","))
                phase.start(rel)
                local after_start = journal.operations()
                assert(#after_start == 2 and after_start[2] == "phase.start:ok", table.concat(after_start, ","))
                pcall(release.create, {flag = "dark-mode", pipeline = "standard"})
                local after_failure = journal.operations()
                assert(after_failure[3] == "release.create:failed", table.concat(after_failure, ","))
                """,
            name: "journal.lua")
        #expect(report.succeeded, "\(report.failureMessage ?? "")")
        var records = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        #expect(records.count == 4)
        // The last record ends the run: it finished, after two writes (the refused one
        // changed nothing).
        let end = try JSONSerialization.jsonObject(with: Data(records.removeLast().utf8)) as? [String: Any]
        #expect(end?["operation"] as? String == "run")
        #expect(end?["outcome"] as? String == "done")
        #expect(end?["writes"] as? Int == 2)
        let statuses = try records.map { line in
            (try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["status"] as? Int
        }
        #expect(statuses == [200, 200, 400])
        let failed = try JSONSerialization.jsonObject(with: Data(records[2].utf8)) as? [String: Any]
        #expect(failed?["status"] as? Int == 400)
        #expect(failed?["runbook"] as? String == "journal.lua")
        #expect(failed?["project"] as? String == "demo")
        #expect((failed?["message"] as? String)?.contains("already") == true)
    }

    /// A write still in flight when the run is interrupted may have been applied: it is
    /// journalled as `unknown`, before the run's own `interrupted` record.
    @Test func aWriteInFlightWhenTheRunIsInterruptedIsUnknown() async throws {
        let harness = try await HostHarness.start(
            phaseDuration: .seconds(60), faults: try FaultPlan(spec: "phase-start:count=1:latency=5s"))
        defer { Task { await harness.stop() } }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("journal-\(UUID()).jsonl").path
        var configuration = harness.configuration
        configuration.journalPath = path
        let host = HostHarness.interruptibleHost(configuration)
        let report = await host.run(
            source: """
                local rel = release.create{flag = "dark-mode", pipeline = "standard"}
                spawn(function() sleep("100ms"); test.interrupt() end)
                phase.start(rel)
                """,
            name: "journal.lua")
        guard case .interrupted = report.outcome else {
            Issue.record("expected an interrupted run, got \(report.outcome)")
            return
        }
        let records = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        let outcomes = records.map { "\($0?["operation"] as? String ?? ""):\($0?["outcome"] as? String ?? "")" }
        #expect(outcomes == ["release.create:ok", "phase.start:unknown", "run:interrupted"], "\(outcomes)")
    }

    @Test(
        arguments: [
            (ReleaseError(.interrupted, message: "x"), "unknown"),
            (ReleaseError(.timeout, message: "x"), "unknown"),
            (ReleaseError(.transport, message: "x"), "unknown"),
            (ReleaseError(.invalidRequest, message: "x", status: 503), "unknown"),
            (ReleaseError(.invalidRequest, message: "x", status: 400), "failed"),
            (ReleaseError(.notFound, message: "x", status: 404), "failed"),
            (ReleaseError(.unauthorized, message: "x", status: 401), "failed"),
        ] as [(ReleaseError, String)])
    func anUncertainFailureIsJournalledAsUnknown(error: ReleaseError, outcome: String) {
        #expect(ReleaseOperations.outcome(of: error) == outcome)
    }

    @Test func aJournalThatCannotBeWrittenRejectsTheRunBeforeAnyRequest() async throws {
        let harness = try await HostHarness.start()
        defer { Task { await harness.stop() } }
        let report = await harness.run("release.create{flag = 'dark-mode', pipeline = 'standard'}") {
            $0.journalPath = "/proc/ldrun-no-such-folder/journal.jsonl"
        }
        #expect(report.outcome.exitCode == 2)
        #expect(
            report.failureMessage
                == "cannot create the journal folder /proc/ldrun-no-such-folder: No such file or directory")
        #expect(await harness.simulator.requestLog().isEmpty)
    }
}
