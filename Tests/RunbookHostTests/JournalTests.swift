import Foundation
import LuaBridge
import ReleaseSimulator
import RunbookHost
import Testing

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
        let records = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        #expect(records.count == 3)
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
