import Foundation
import LuaBridge
import ReleaseCore
import ReleaseSimulator
import RunbookHost
import Testing

/// The runbook API against both of LaunchDarkly's dialects: the same runbook completes a
/// release in each, every phase started exactly once (proved from the simulator's request
/// log), and the core's words agree.
@Suite struct APIDialectTests {
    static let standardPhases = [
        "65a1f0c2e4b0a1b2c3d40001", "65a1f0c2e4b0a1b2c3d40002", "65a1f0c2e4b0a1b2c3d40003",
    ]

    /// The README's runbook, with the approval given through the simulator.
    static let readmeRunbook = """
        local flag = args.flag
        local rel = release.get(flag) or release.create{flag = flag, pipeline = args.pipeline or "standard"}

        while phase.next(rel) do
          local next_phase = phase.next(rel)
          if next_phase._name == "Production" and not confirm("Release " .. flag .. " to production?") then
            error("stopped before production")
          end
          rel = phase.start(rel, next_phase)
          if next_phase._name == "Production" then sim.approve(flag) end
          rel = phase.wait(rel, next_phase, {timeout = "10s", every = "20ms"})
        end
        sim.result(release.status(rel))
        """

    /// A journal path of its own for one test.
    static func temporaryJournal() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("ldrun-\(UUID()).jsonl").path
    }

    @Test(arguments: SimulatorDialect.allCases)
    func theReadmeRunbookCompletesARelease(dialect: SimulatorDialect) async throws {
        let harness = try await HostHarness.start(dialect: dialect)
        defer { Task { await harness.stop() } }
        let report = await harness.run(Self.readmeRunbook) { $0.arguments = ["flag": "new-checkout"] }
        #expect(report.succeeded, "\(report.failureMessage ?? "")")
        #expect(harness.results.values.last == "complete")
        #expect(await harness.phaseStarts(flag: "new-checkout") == Self.standardPhases)
    }

    @Test(arguments: SimulatorDialect.allCases)
    func theStateWordsFollowTheRelease(dialect: SimulatorDialect) async throws {
        let harness = try await HostHarness.start(dialect: dialect)
        defer { Task { await harness.stop() } }
        let report = await harness.run(
            """
            local function states(rel)
              local words = {}
              for _, p in ipairs(rel.phases) do words[#words + 1] = phase.state(rel, p) end
              return table.concat(words, " ") .. " / " .. release.status(rel)
            end
            local seen = {}
            local rel = release.create{flag = "search-v2", pipeline = "fast-track"}
            seen[#seen + 1] = states(rel)
            rel = phase.wait(phase.start(rel))
            seen[#seen + 1] = states(rel)
            rel = phase.wait(phase.start(rel))
            seen[#seen + 1] = states(rel)
            sim.result(table.concat(seen, " | "))
            """)
        #expect(report.succeeded, "\(report.failureMessage ?? "")")
        let expected =
            switch dialect {
            case .observed:
                "ready not_started / not_started | rolled_out ready / ready | complete rolled_out / complete"
            case .spec: "ready not_started / not_started | complete ready / ready | complete complete / complete"
            }
        #expect(harness.results.values.last == expected)
    }

    /// The spec dialect's releases are spelt as the spec spells them, so the first start is
    /// sent with `Started`, the value that dialect takes: no refusal to learn it from.
    @Test func theSpecDialectGetsStartedFromTheFirstStart() async throws {
        let harness = try await HostHarness.start(dialect: .spec)
        defer { Task { await harness.stop() } }
        let journal = Self.temporaryJournal()
        defer { try? FileManager.default.removeItem(atPath: journal) }
        let report = await harness.run(
            """
            local rel = release.create{flag = "search-v2", pipeline = "fast-track"}
            rel = phase.wait(phase.start(rel))
            rel = phase.wait(phase.start(rel))
            return release.status(rel)
            """
        ) { $0.journalPath = journal }
        #expect(report.succeeded, "\(report.failureMessage ?? "")")
        let puts = await harness.simulator.requestLog().filter { $0.method == "PUT" && $0.path.contains("/phases/") }
        let sent = puts.map { (try? JSONValue(parsing: $0.body ?? ""))?["status"]?.stringValue ?? "?" }
        #expect(sent == ["Started", "Started"])
        #expect(puts.map(\.status) == [200, 200])
        let lines = try String(contentsOfFile: journal, encoding: .utf8).split(separator: "\n")
        let starts = try lines.map { try JSONValue(parsing: String($0)) }.filter {
            $0["operation"]?.stringValue == "phase.start"
        }
        #expect(starts.map { $0["sent_status"]?.stringValue } == ["Started", "Started"])
    }

    @Test func theObservedDialectJournalsTheActiveValue() async throws {
        let harness = try await HostHarness.start(dialect: .observed)
        defer { Task { await harness.stop() } }
        let journal = Self.temporaryJournal()
        defer { try? FileManager.default.removeItem(atPath: journal) }
        let report = await harness.run(
            "phase.start(release.create{flag = 'search-v2', pipeline = 'fast-track'})"
        ) { $0.journalPath = journal }
        #expect(report.succeeded, "\(report.failureMessage ?? "")")
        let text = try String(contentsOfFile: journal, encoding: .utf8)
        #expect(text.contains(#""sent_status":"active""#))
        let puts = await harness.simulator.requestLog().filter { $0.method == "PUT" && $0.path.contains("/phases/") }
        #expect(puts.count == 1 && puts.first?.status == 200)
    }

    @Test func anApprovalIsPendingUntilTheFlagTurnsOn() async throws {
        let harness = try await HostHarness.start(dialect: .observed)
        defer { Task { await harness.stop() } }
        let report = await harness.run(
            """
            local rel = release.create{flag = "new-checkout", pipeline = "standard"}
            rel = phase.wait(phase.start(rel))
            rel = phase.wait(phase.start(rel))
            rel = phase.start(rel, "Production")
            local ok, err = pcall(phase.wait, rel, "Production", {timeout = "100ms", every = "20ms"})
            assert(not ok and err.code == "timeout", "expected a timeout, got " .. tostring(err))
            assert(tostring(err.message):find("approval", 1, true), err.message)
            assert(phase.state(rel, "Production") == "active")
            sim.approve("new-checkout")
            rel = phase.wait(rel, "Production", {timeout = "5s", every = "20ms"})
            assert(rel._flagOn and rel._flagOn.production == true, "the wait read the flag")
            sim.result(phase.state(rel, "Production") .. " " .. release.status(rel))
            """)
        #expect(report.succeeded, "\(report.failureMessage ?? "")")
        #expect(harness.results.values.last == "rolled_out complete")
    }

    @Test func untilCompleteNeverEndsForTheLastObservedPhase() async throws {
        let harness = try await HostHarness.start(dialect: .observed)
        defer { Task { await harness.stop() } }
        let report = await harness.run(
            """
            local rel = release.create{flag = "search-v2", pipeline = "fast-track"}
            rel = phase.wait(phase.start(rel))
            rel = phase.wait(phase.start(rel))
            local ok, err = pcall(phase.wait, rel, "Production", {["until"] = "complete", timeout = "100ms", every = "20ms"})
            assert(not ok and err.code == "timeout", tostring(err))
            local bad, why = pcall(phase.wait, rel, "Production", {["until"] = "done"})
            assert(not bad and tostring(why):find("until", 1, true), tostring(why))
            sim.result(release.status(rel))
            """)
        #expect(report.succeeded, "\(report.failureMessage ?? "")")
        #expect(harness.results.values.last == "complete")
    }

    @Test func phaseStateRejectsAPhaseTheReleaseDoesNotHave() async throws {
        let harness = try await HostHarness.start()
        defer { Task { await harness.stop() } }
        let report = await harness.run(
            """
            local rel = release.create{flag = "search-v2", pipeline = "fast-track"}
            local ok, err = pcall(phase.state, rel, "Nope")
            assert(not ok and err.code == "bad_argument", tostring(err))
            local ok2, err2 = pcall(phase.state, rel)
            assert(not ok2 and err2.code == "bad_argument", tostring(err2))
            return "ok"
            """)
        #expect(report.succeeded, "\(report.failureMessage ?? "")")
    }
}
