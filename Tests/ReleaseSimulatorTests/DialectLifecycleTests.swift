import NIOHTTP1
import ReleaseSimulator
import Testing

/// Whole releases through the demo's standard pipeline (Testing, guarded Staging,
/// Production with approval) in both dialects.
@Suite("Release life cycles in both dialects")
struct DialectLifecycleTests {
    static let phases = SimulatorHarness.standardPhases

    @Test(
        "a new release: version 1 in the spec, 0 observed; the first phase ready", arguments: SimulatorDialect.allCases)
    func newRelease(_ dialect: SimulatorDialect) async throws {
        try await SimulatorHarness.run(SimulatorConfiguration(phaseDuration: .zero, dialect: dialect)) {
            sim async throws in
            let release = try await sim.createRelease("dark-mode").json
            #expect(release["_version"]?.int == (dialect == .spec ? 1 : 0))
            let statuses = release["phases"]?.array.compactMap { $0["status"]?.string }
            #expect(statuses == SimulatorHarness.spelled(["ReadyToStart", "NotStarted", "NotStarted"], in: dialect))
            #expect(try await sim.audienceStatuses("dark-mode") == statuses)
        }
    }

    @Test("a whole release with zero duration, each phase started once", arguments: SimulatorDialect.allCases)
    func wholeRelease(_ dialect: SimulatorDialect) async throws {
        try await SimulatorHarness.run(SimulatorConfiguration(phaseDuration: .zero, dialect: dialect)) {
            sim async throws in
            _ = try await sim.createRelease("dark-mode")
            for phase in Self.phases {
                let started = try await sim.startPhase("dark-mode", phase)
                #expect(started.status == 200, "\(started.text)")
            }
            let pending = ["Complete", "Complete", "Started"]
            #expect(try await sim.phaseStatuses("dark-mode") == SimulatorHarness.spelled(pending, in: dialect))
            try await sim.server.approve(project: "demo", flag: "dark-mode")
            let done = dialect == .spec ? ["Complete", "Complete", "Complete"] : ["Complete", "Complete", "Started"]
            #expect(try await sim.phaseStatuses("dark-mode") == SimulatorHarness.spelled(done, in: dialect))
            let starts = await sim.server.requestLog().filter { $0.route == .phaseStart && $0.processed }
            #expect(starts.count == 3)
            let progressions = try await sim.send(.GET, "/api/v2/projects/demo/release-pipelines/standard/releases")
            #expect(progressions.json["completedCount"]?.int == 1)
            #expect(progressions.json["activeCount"]?.int == 0)
            #expect(progressions.json["items"]?[0]?["_completedAt"]?.int != nil)
            #expect(progressions.json["items"]?[0]?["activePhaseId"] == nil)
        }
    }

    @Test(
        "the flag turns on in a phase's environments when it starts, or when approved",
        arguments: SimulatorDialect.allCases)
    func flagOn(_ dialect: SimulatorDialect) async throws {
        try await SimulatorHarness.run(SimulatorConfiguration(phaseDuration: .zero, dialect: dialect)) {
            sim async throws in
            #expect(try await sim.flagOn("dark-mode") == ["test": false, "staging": false, "production": false])
            _ = try await sim.createRelease("dark-mode")
            #expect(try await sim.flagOn("dark-mode") == ["test": false, "staging": false, "production": false])
            _ = try await sim.startPhase("dark-mode", Self.phases[0])
            #expect(try await sim.flagOn("dark-mode") == ["test": true, "staging": false, "production": false])
            _ = try await sim.startPhase("dark-mode", Self.phases[1])
            #expect(try await sim.flagOn("dark-mode") == ["test": true, "staging": true, "production": false])
            _ = try await sim.startPhase("dark-mode", Self.phases[2])
            #expect(try await sim.flagOn("dark-mode") == ["test": true, "staging": true, "production": false])
            try await sim.server.approve(project: "demo", flag: "dark-mode")
            #expect(try await sim.flagOn("dark-mode") == ["test": true, "staging": true, "production": true])
            #expect(try await sim.flagOn("search-v2") == ["test": false, "staging": false, "production": false])
            let filtered = try await sim.send(.GET, "/api/v2/flags/demo/dark-mode?filterEnv=production").json
            #expect(filtered["environments"]?.object?.keys.sorted() == ["production"])
        }
    }

    @Test("a guarded phase regresses to paused and resumes on a new start", arguments: SimulatorDialect.allCases)
    func regression(_ dialect: SimulatorDialect) async throws {
        try await SimulatorHarness.run(SimulatorConfiguration(phaseDuration: .seconds(600), dialect: dialect)) {
            sim async throws in
            _ = try await sim.createRelease("dark-mode")
            _ = try await sim.startPhase("dark-mode", Self.phases[0])
            if dialect == .spec { try await sim.server.complete(project: "demo", flag: "dark-mode") }
            #expect(try await sim.startPhase("dark-mode", Self.phases[1]).status == 200)
            try await sim.server.regress(project: "demo", flag: "dark-mode", phaseId: Self.phases[1])
            let paused = SimulatorHarness.spelled(["Complete", "Paused", "NotStarted"], in: dialect)
            #expect(try await sim.phaseStatuses("dark-mode") == paused)
            #expect(try await sim.audienceStatuses("dark-mode") == paused)
            #expect(try await sim.release("dark-mode")["phases"]?[1]?["complete"]?.bool == false)
            #expect(try await sim.startPhase("dark-mode", Self.phases[1]).status == 200)
            let resumed = SimulatorHarness.spelled(["Complete", "Started", "NotStarted"], in: dialect)
            #expect(try await sim.phaseStatuses("dark-mode") == resumed)
        }
    }

    @Test("a guarded phase is monitored for the phase duration", arguments: SimulatorDialect.allCases)
    func monitoringWindow(_ dialect: SimulatorDialect) async throws {
        try await SimulatorHarness.run(SimulatorConfiguration(phaseDuration: .seconds(3), dialect: dialect)) {
            sim async throws in
            _ = try await sim.createRelease("dark-mode")
            _ = try await sim.startPhase("dark-mode", Self.phases[0])
            if dialect == .spec { try await Task.sleep(for: .milliseconds(3_050)) }
            #expect(try await sim.startPhase("dark-mode", Self.phases[1]).status == 200)
            let early = try await sim.startPhase("dark-mode", Self.phases[2])
            #expect(early.status == 400)
            try await Task.sleep(for: .milliseconds(3_050))
            let monitored =
                dialect == .spec ? ["Complete", "Complete", "ReadyToStart"] : ["Complete", "Started", "NotStarted"]
            #expect(try await sim.phaseStatuses("dark-mode") == SimulatorHarness.spelled(monitored, in: dialect))
            #expect(try await sim.startPhase("dark-mode", Self.phases[2]).status == 200)
        }
    }

    @Test("observed audience statuses: they do not mirror their phase")
    func observedAudiences() async throws {
        try await SimulatorHarness.run(SimulatorConfiguration(phaseDuration: .seconds(600), dialect: .observed)) {
            sim async throws in
            _ = try await sim.createRelease("dark-mode")
            #expect(try await sim.audienceStatuses("dark-mode") == ["ready-to-start", "not-started", "not-started"])
            _ = try await sim.startPhase("dark-mode", Self.phases[0])
            #expect(try await sim.phaseStatuses("dark-mode") == ["active", "not-started", "not-started"])
            #expect(try await sim.audienceStatuses("dark-mode") == ["ready-to-start", "not-started", "not-started"])
            _ = try await sim.startPhase("dark-mode", Self.phases[1])
            #expect(try await sim.audienceStatuses("dark-mode") == ["completed", "active", "not-started"])
            try await sim.server.regress(project: "demo", flag: "dark-mode")
            #expect(try await sim.audienceStatuses("dark-mode") == ["completed", "paused", "not-started"])
            try await sim.server.complete(project: "demo", flag: "dark-mode")
            #expect(try await sim.audienceStatuses("dark-mode") == ["completed", "completed", "ready-to-start"])
            _ = try await sim.startPhase("dark-mode", Self.phases[2])
            #expect(try await sim.audienceStatuses("dark-mode") == ["completed", "completed", "ready-to-start"])
        }
    }

    @Test("observed: a guarded audience's monitoring with zero duration is over on the next request")
    func observedMonitoringZero() async throws {
        try await SimulatorHarness.run(SimulatorConfiguration(phaseDuration: .zero, dialect: .observed)) {
            sim async throws in
            _ = try await sim.createRelease("dark-mode")
            _ = try await sim.startPhase("dark-mode", Self.phases[0])
            let started = try await sim.startPhase("dark-mode", Self.phases[1]).json
            #expect(started["phases"]?[1]?["_audiences"]?[0]?["status"]?.string == "active")
            #expect(try await sim.audienceStatuses("dark-mode") == ["completed", "completed", "not-started"])
            #expect(try await sim.phaseStatuses("dark-mode") == ["completed", "active", "not-started"])
        }
    }

    @Test("observed progressions: a release waiting for approval is active, then completed")
    func observedProgressions() async throws {
        try await SimulatorHarness.run(SimulatorConfiguration(phaseDuration: .zero, dialect: .observed)) {
            sim async throws in
            let path = "/api/v2/projects/demo/release-pipelines/standard/releases"
            _ = try await sim.createRelease("dark-mode")
            _ = try await sim.createRelease("search-v2")
            for phase in Self.phases { _ = try await sim.startPhase("dark-mode", phase) }
            _ = try await sim.startPhase("search-v2", Self.phases[0])
            var all = try await sim.send(.GET, path).json
            #expect(all["activeCount"]?.int == 2)
            #expect(all["phases"]?.array.compactMap { $0["releaseCount"]?.int } == [1, 0, 1])
            let inTesting = try await sim.send(.GET, path + "?filter=activePhaseId:\(Self.phases[0])").json
            #expect(inTesting["items"]?.array.compactMap { $0["flagKey"]?.string } == ["search-v2"])
            try await sim.server.approve(project: "demo", flag: "dark-mode")
            all = try await sim.send(.GET, path).json
            #expect(all["activeCount"]?.int == 1)
            #expect(all["completedCount"]?.int == 1)
            let completed = try await sim.send(.GET, path + "?filter=status:completed").json
            #expect(completed["items"]?.array.compactMap { $0["flagKey"]?.string } == ["dark-mode"])
            #expect(completed["items"]?[0]?["_completedAt"]?.int != nil)
            let active = try await sim.send(.GET, path + "?filter=status:active").json
            #expect(active["items"]?.array.compactMap { $0["flagKey"]?.string } == ["search-v2"])
        }
    }
}
