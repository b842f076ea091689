import Foundation
import ReleaseCore
import ReleaseSimulator
import RunbookHost
import Testing

/// Every runbook of `runbooks/examples` runs against the demo seed, as `ldrun run
/// --simulate` runs it (with the simulator's `sim.*` functions available).
@Suite("Example runbooks")
struct ExampleRunbookTests {
    @Test(
        "progressive-release.lua takes new-checkout through every phase, approving production in the simulator",
        arguments: SimulatorDialect.allCases)
    func progressiveRelease(dialect: SimulatorDialect) async throws {
        try await LibraryHarness.withSimulator(dialect: dialect) { sim in
            let run = try await sim.run(example: "progressive-release.lua")
            #expect(run.succeeded, "\(run.failure)\n\(run.transcript)")
            #expect(try await sim.phaseStates("new-checkout") == LibraryHarness.finished(dialect))
            #expect(run.events.contains { $0.message.hasPrefix("simulator: approving phase 'Production'") })
            #expect(run.events.contains { $0.name == "confirm" && $0.message.contains("Production") })

            await sim.server.clearRequestLog()
            let again = try await sim.run(example: "progressive-release.lua")
            #expect(again.succeeded, "\(again.failure)\n\(again.transcript)")
            #expect(await sim.server.requestLog().filter { $0.method != "GET" }.isEmpty)
        }
    }

    @Test("progressive-release.lua with options, and as a dry run", arguments: SimulatorDialect.allCases)
    func progressiveReleaseOptions(dialect: SimulatorDialect) async throws {
        try await LibraryHarness.withSimulator(dialect: dialect) { sim in
            var dry = LibraryHarness.Options(arguments: ["flag": "dark-mode"])
            dry.dryRun = true
            let plan = try await sim.run(example: "progressive-release.lua", dry)
            #expect(plan.succeeded, "\(plan.failure)\n\(plan.transcript)")
            #expect(plan.events.filter { $0.name == "would" }.count == 4)
            #expect(try await sim.release("dark-mode") == nil)

            let options = LibraryHarness.Options(
                arguments: ["flag": "dark-mode", "pipeline": "fast-track", "variation": "false", "until": "Test"])
            let run = try await sim.run(example: "progressive-release.lua", options)
            #expect(run.succeeded, "\(run.failure)\n\(run.transcript)")
            let release = try #require(try await sim.release("dark-mode"))
            #expect(release.pipelineKey == "fast-track")
            #expect(
                release.phases.map { PhaseSelector.state(of: $0, in: release).rawValue }
                    == [dialect == .spec ? "complete" : "rolled_out", "ready"])
        }
    }

    @Test(
        "bulk-promote.lua moves the demo flags to Staging and prints the outcome table",
        arguments: SimulatorDialect.allCases)
    func bulkPromote(dialect: SimulatorDialect) async throws {
        try await LibraryHarness.withSimulator(dialect: dialect) { sim in
            let run = try await sim.run(example: "bulk-promote.lua")
            #expect(run.succeeded, "\(run.failure)\n\(run.transcript)")
            for flag in ["dark-mode", "search-v2", "recommendations", "fast-shipping"] {
                #expect(try await sim.phaseStates(flag) == LibraryHarness.upToSecond(dialect))
            }
            #expect(run.events.contains { $0.message.hasPrefix("bulk: 4/4 finished (4 done") })

            // Then every flag that stands at Production, to the end (approved through the
            // simulator). In the observed dialect a release promoted up to Staging still has
            // Staging as its active phase; in the spec dialect it stands at Production.
            let standing = dialect == .spec ? "Production" : "Staging"
            let rest = try await sim.run(
                example: "bulk-promote.lua",
                LibraryHarness.Options(arguments: ["pipeline": "standard", "phase": standing, "until": "end"]))
            #expect(rest.succeeded, "\(rest.failure)\n\(rest.transcript)")
            #expect(try await sim.phaseStates("search-v2") == LibraryHarness.finished(dialect))
        }
    }

    @Test(
        "bulk-promote.lua fails (exit 1) when a flag does not finish, after promoting the others",
        arguments: SimulatorDialect.allCases)
    func bulkPromoteFailure(dialect: SimulatorDialect) async throws {
        try await LibraryHarness.withSimulator(dialect: dialect) { sim in
            let run = try await sim.run(
                example: "bulk-promote.lua", LibraryHarness.Options(positional: ["dark-mode", "no-such-flag"]))
            #expect(run.exitCode == 1)
            #expect(run.errorCode == "bulk_incomplete", "\(run.failure)")
            #expect(try await sim.phaseStates("dark-mode") == LibraryHarness.upToSecond(dialect))
        }
    }

    @Test(
        "pipeline-report.lua sets up demo releases under the simulator and reports them",
        arguments: ["table", "json"], SimulatorDialect.allCases)
    func pipelineReport(_ format: String, dialect: SimulatorDialect) async throws {
        try await LibraryHarness.withSimulator(dialect: dialect) { sim in
            let run = try await sim.run(
                example: "pipeline-report.lua", LibraryHarness.Options(arguments: ["format": format]))
            #expect(run.succeeded, "\(run.failure)\n\(run.transcript)")
            #expect(try await sim.phaseStates("new-checkout") == LibraryHarness.finished(dialect))
            #expect(try await sim.phaseStates("dark-mode") == LibraryHarness.upToSecond(dialect))
            #expect(try await sim.phaseStates("fast-shipping") == ["ready", "not_started", "not_started"])
        }
    }

    @Test("pipeline-report.lua rejects an unknown format", arguments: SimulatorDialect.allCases)
    func pipelineReportBadFormat(dialect: SimulatorDialect) async throws {
        try await LibraryHarness.withSimulator(dialect: dialect) { sim in
            let run = try await sim.run(
                example: "pipeline-report.lua", LibraryHarness.Options(arguments: ["format": "xml"]))
            #expect(run.exitCode == 1)
            #expect(run.failure.contains("bad option 'format'"), "\(run.failure)")
        }
    }

    @Test(
        "guarded-rollout.lua starts the guarded phase with the requested rollout settings",
        arguments: SimulatorDialect.allCases)
    func guardedRollout(dialect: SimulatorDialect) async throws {
        try await LibraryHarness.withSimulator(dialect: dialect) { sim in
            let run = try await sim.run(
                example: "guarded-rollout.lua", LibraryHarness.Options(arguments: ["weight": "5", "window": "2h"]))
            #expect(run.succeeded, "\(run.failure)\n\(run.transcript)")
            #expect(try await sim.phaseStates("search-v2") == LibraryHarness.upToSecond(dialect))
            let staging = try #require(
                await sim.requests(.phaseStart, flag: "search-v2").first {
                    $0.path.hasSuffix("65a1f0c2e4b0a1b2c3d40002")
                })
            let body = staging.body ?? ""
            #expect(body.contains("\"rolloutWeight\":5"), "\(body)")
            #expect(body.contains("\"monitoringWindowMilliseconds\":7200000"), "\(body)")
        }
    }

    @Test(
        "guarded-rollout.lua on a regression: fails naming the phase and, if asked, removes the release",
        arguments: SimulatorDialect.allCases)
    func guardedRolloutRegression(dialect: SimulatorDialect) async throws {
        try await LibraryHarness.withSimulator(phaseDuration: .seconds(1), dialect: dialect) { sim in
            let run = try await sim.run(
                example: "guarded-rollout.lua",
                LibraryHarness.Options(arguments: ["flag": "dark-mode", "regress": "true", "on_regression": "remove"]))
            #expect(run.exitCode == 1)
            #expect(run.errorCode == "paused", "\(run.failure)\n\(run.transcript)")
            #expect(run.failure.contains("Staging"))
            #expect(run.events.contains { $0.message.contains("removed from its release pipeline") })
            #expect(try await sim.release("dark-mode") == nil)
        }
    }

    @Test(
        "cleanup-completed.lua removes the completed releases it may, and keeps the others",
        arguments: SimulatorDialect.allCases)
    func cleanupCompleted(dialect: SimulatorDialect) async throws {
        try await LibraryHarness.withSimulator(dialect: dialect) { sim in
            let run = try await sim.run(
                example: "cleanup-completed.lua", LibraryHarness.Options(arguments: ["keep": "search-v2"]))
            #expect(run.succeeded, "\(run.failure)\n\(run.transcript)")
            #expect(try await sim.release("dark-mode") == nil)
            #expect(try await sim.phaseStates("search-v2") == LibraryHarness.finished(dialect))
            #expect(await sim.requests(.releaseDelete).count == 1)
        }
    }

    @Test("team-release.lua ships through the team library found with --lib", arguments: SimulatorDialect.allCases)
    func teamLibrary(dialect: SimulatorDialect) async throws {
        try await LibraryHarness.withSimulator(dialect: dialect) { sim in
            var options = LibraryHarness.Options(arguments: ["flag": "recommendations"])
            options.libraryFolders.append(
                (LibraryHarness.examplesFolder as NSString).appendingPathComponent("team-library"))
            let run = try await sim.run(example: "team-release.lua", options)
            #expect(run.succeeded, "\(run.failure)\n\(run.transcript)")
            #expect(try await sim.phaseStates("recommendations") == LibraryHarness.finished(dialect))
            let production = try #require(await sim.requests(.phaseStart, flag: "recommendations").last)
            #expect(production.body?.contains("release-managers") == true)

            // Without --lib the module is not found, and the error says where ldrun looked.
            let missing = try await sim.run(example: "team-release.lua")
            #expect(missing.exitCode == 1)
            #expect(missing.failure.contains("acme.release"), "\(missing.failure)")
        }
    }
}
