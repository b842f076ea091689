import Foundation
import LuaBridge
import ReleaseCore
import ReleaseSimulator
import RunbookHost
import Testing

@Suite("phase.*") struct APIPhaseTests {
    @Test func nextActiveAndFindSelectPhasesOfARelease() async throws {
        let harness = try await HostHarness.start(phaseDuration: .seconds(60))
        defer { Task { await harness.stop() } }
        let result = await harness.evaluate(
            """
            local rel = release.create("new-checkout", "standard")
            capture(phase.next(rel)._name, phase.active(rel))
            rel = phase.start(rel)
            capture(phase.next(rel)._name, phase.active(rel)._name, phase.state(rel, phase.active(rel)))
            local staging = phase.find(rel, "staging")
            capture(staging._name, phase.find(rel, staging._id)._name, phase.find(rel, "Nope"))
            """)
        expectSucceeded(result.report)
        #expect(result.captured.count == 3)
        #expect(result.captured[0] == ["Testing", .nil])
        // Observed dialect: an immediate phase has nothing left to do once started.
        #expect(result.captured[1] == ["Staging", "Testing", "rolled_out"])
        #expect(result.captured[2] == ["Staging", "Staging", .nil])
    }

    @Test func nextIsNilOnceEveryPhaseIsComplete() async throws {
        let harness = try await HostHarness.start()
        defer { Task { await harness.stop() } }
        let result = await harness.evaluate(
            """
            capture(phase.next{phases = {{_id = "a", status = "Complete"}, {_id = "b", complete = true}}},
              phase.active{phases = {{_id = "a", status = "Complete"}, {_id = "b", status = "Paused"}}}._id)
            """)
        expectSucceeded(result.report)
        #expect(result.values == [.nil, "b"])
    }

    @Test func startTakesAFlagKeyAReleaseAPhaseNameAnIdOrATable() async throws {
        let harness = try await HostHarness.start()
        defer { Task { await harness.stop() } }
        let result = await harness.evaluate(
            """
            release.create("new-checkout", "standard")
            local rel, started = phase.start("new-checkout")          -- flag key, next phase
            capture(started, phase.state(rel, "Testing"))
            rel = phase.wait(rel, "Testing", {every = "10ms"})
            rel, started = phase.start(rel, phase.next(rel))           -- release and phase table
            capture(started, phase.state(rel, "Staging"))
            rel = phase.wait(rel, "staging", {every = "10ms"})
            local production = phase.find(rel, "Production")
            rel, started = phase.start({flag = "new-checkout", project = "demo"}, production._id)
            capture(started, phase.state(rel, "Production"))
            """)
        expectSucceeded(result.report)
        // Testing is immediate; Staging's guarded rollout and Production's approval are pending.
        #expect(result.captured == [[true, "rolled_out"], [true, "active"], [true, "active"]])
        let starts = await harness.writes().filter { $0.path.contains("/phases/") }
        #expect(
            starts.map(\.path) == [
                "/api/v2/projects/demo/flags/new-checkout/release/phases/65a1f0c2e4b0a1b2c3d40001",
                "/api/v2/projects/demo/flags/new-checkout/release/phases/65a1f0c2e4b0a1b2c3d40002",
                "/api/v2/projects/demo/flags/new-checkout/release/phases/65a1f0c2e4b0a1b2c3d40003",
            ])
        #expect(starts.allSatisfy { $0.body?.contains(#""status":"active""#) == true })
        #expect(
            harness.recorder.messages(named: "phase.start") == [
                "phase Testing of new-checkout started", "phase Staging of new-checkout started",
                "phase Production of new-checkout started",
            ])
    }

    @Test func aStartedPhaseIsNotStartedTwice() async throws {
        let harness = try await HostHarness.start(phaseDuration: .seconds(60))
        defer { Task { await harness.stop() } }
        let result = await harness.evaluate(
            """
            local rel = release.create("dark-mode", "standard")
            local first, started_first = phase.start(rel, "Testing")
            local second, started_second = phase.start(rel, "Testing")
            local third, started_third = phase.start("dark-mode", "Testing")
            capture(started_first, started_second, started_third, second._version)
            """)
        expectSucceeded(result.report)
        #expect(result.values.prefix(3) == [true, false, false])
        let starts = await harness.writes().filter { $0.path.contains("/phases/") }
        // The second call trusts the release table it was given, which still shows Testing
        // ready: its start is refused by the server. The third reads the release first.
        #expect(starts.map(\.status) == [200, 400], "one accepted PUT for three phase.start calls")
        #expect(
            harness.recorder.messages(named: "phase.start") == [
                "phase Testing of dark-mode started", "phase Testing of dark-mode already started",
                "phase Testing of dark-mode already started",
            ])
    }

    @Test func startSendsAudienceSettingsAndMapsEnvironmentToAudienceId() async throws {
        let harness = try await HostHarness.start()
        defer { Task { await harness.stop() } }
        let result = await harness.evaluate(
            """
            local rel = release.create("search-v2", "standard")
            rel = phase.wait(phase.start(rel), "Testing", {every = "10ms"})
            phase.start(rel, "Staging", {audiences = {
              {environment = "staging", releaseGuardianConfiguration = {rolloutWeight = 25}},
            }})
            """)
        expectSucceeded(result.report)
        let staging = await harness.writes().last { $0.path.hasSuffix("65a1f0c2e4b0a1b2c3d40002") }
        let body = try JSONValue(parsing: staging?.body ?? "")
        let audience = body["audiences"]?.arrayValue?.first
        #expect(body["status"] == .string("active"))
        #expect(audience?["audienceId"] == .string("65a1f0c2e4b0a1b2c3d4a002"))
        #expect(audience?["environment"] == nil)
        #expect(audience?["releaseGuardianConfiguration"]?["rolloutWeight"] == .integer(25))
    }

    @Test func startErrors() async throws {
        let harness = try await HostHarness.start(phaseDuration: .seconds(60))
        defer { Task { await harness.stop() } }
        let result = await harness.evaluate(
            """
            local function fails(...)
              local ok, err = pcall(phase.start, ...)
              assert(not ok, "phase.start should fail")
              capture(err.code, err.status, err.operation, err.message)
            end
            fails("dark-mode")                             -- no release
            local rel = release.create("dark-mode", "standard")
            fails(rel, "Nope")                             -- no such phase
            fails(rel, "Production")                       -- not the next phase: the server refuses
            fails("dark-mode", nil, {audiences = {{environment = "staging"}}})  -- needs a release table
            """)
        expectSucceeded(result.report)
        #expect(result.captured.count == 4)
        let noRelease = result.captured[0]
        #expect(noRelease.prefix(3) == ["not_found", 404, "phase.start demo/dark-mode"])
        let noPhase = result.captured[1]
        #expect(noPhase.first == "not_found")
        #expect(noPhase[3].stringValue?.contains("the release has no phase 'Nope'") == true)
        let notNext = result.captured[2]
        #expect(notNext.prefix(3) == ["invalid_request", 400, "phase.start demo/dark-mode"])
        let audience = result.captured[3]
        #expect(audience.first == "bad_argument")
        #expect(
            audience[3]
                == "bad argument #3 to 'phase.start' (audiences[1]: no audience for environment 'staging' in the release)"
        )
        let accepted = await harness.writes().filter { $0.path.contains("/phases/") && $0.status == 200 }
        #expect(accepted.isEmpty, "the refused start is the only phase request")
    }

    @Test func startWithNoPhaseLeftRaisesInvalidRequest() async throws {
        let harness = try await HostHarness.start()
        defer { Task { await harness.stop() } }
        let result = await harness.evaluate(
            """
            local rel = release.create("fast-shipping", "fast-track")
            rel = phase.wait(phase.start(rel), "Test", {every = "10ms"})
            rel = phase.wait(phase.start(rel), "Production", {every = "10ms"})
            local ok, err = pcall(phase.start, rel)
            capture(release.status(rel), err.code, err.message)
            """)
        expectSucceeded(result.report)
        #expect(result.values.prefix(2) == ["complete", "invalid_request"])
        #expect(result.values[2].stringValue?.contains("no phase left to start (status complete)") == true)
    }

    @Test(arguments: SimulatorDialect.allCases)
    func waitReturnsTheReleaseOnceThePhaseIsRolledOutAndReportsProgress(dialect: SimulatorDialect) async throws {
        let harness = try await HostHarness.start(phaseDuration: .milliseconds(50), dialect: dialect)
        defer { Task { await harness.stop() } }
        let result = await harness.evaluate(
            """
            local rel = phase.start(release.create("recommendations", "standard"))
            rel = phase.wait(rel, "Testing", {timeout = "10s", every = "10ms"})
            capture(phase.state(rel, "Testing"), phase.next(rel)._name, rel._flag, release.status(rel))
            """)
        expectSucceeded(result.report)
        let state = dialect == .spec ? "complete" : "rolled_out"
        #expect(result.values == [.string(state), "Staging", "recommendations", "ready"])
        let waiting = try #require(harness.recorder.events(named: "waiting").first)
        #expect(waiting.message == "waiting for phase Testing of recommendations to roll out")
        #expect(waiting.fields["flag"] == .string("recommendations"))
        #expect(waiting.fields["phase"] == .string("Testing"))
        let rolledOut = try #require(harness.recorder.events(named: "phase.rolled_out").first)
        #expect(rolledOut.message == "phase Testing of recommendations rolled out")
        #expect(rolledOut.fields["elapsed"]?.doubleValue != nil)
    }

    // The spec dialect: a started phase stays unfinished until it completes.
    @Test func waitWithoutAPhaseWaitsForTheActiveOne() async throws {
        let harness = try await HostHarness.start(phaseDuration: .seconds(60), dialect: .spec)
        defer { Task { await harness.stop() } }
        let result = await harness.evaluate(
            """
            phase.start(release.create("dark-mode", "fast-track"))
            spawn(function()
              sleep("50ms")
              sim.complete("dark-mode")
            end)
            local rel = phase.wait("dark-mode", nil, {every = "10ms", timeout = "10s"})
            capture(phase.find(rel, "Test").status)
            """)
        expectSucceeded(result.report)
        #expect(result.value == "Complete")
    }

    @Test func waitRaisesTimeoutWithThePhaseAndTheLastReleaseSeen() async throws {
        let harness = try await HostHarness.start(phaseDuration: .seconds(60), dialect: .spec)
        defer { Task { await harness.stop() } }
        let result = await harness.evaluate(
            """
            local rel = phase.start(release.create("search-v2", "standard"))
            local ok, err = pcall(phase.wait, rel, "Testing", {timeout = 0.1, every = "20ms"})
            capture(err.code, err.phase, err.phase_id, err.operation, err.retryable, type(err.release),
              err.release and err.release.phases[1].status)
            """)
        expectSucceeded(result.report)
        #expect(
            result.values == [
                "timeout", "Testing", "65a1f0c2e4b0a1b2c3d40001", "phase.wait demo/search-v2", false, "table",
                "Started",
            ])
    }

    @Test(arguments: SimulatorDialect.allCases)
    func waitRaisesPausedWhenThePhaseRegresses(dialect: SimulatorDialect) async throws {
        let harness = try await HostHarness.start(phaseDuration: .seconds(60), dialect: dialect)
        defer { Task { await harness.stop() } }
        let result = await harness.evaluate(
            """
            local rel = phase.start(release.create("fast-shipping", "standard"))
            sim.complete("fast-shipping")
            rel = phase.start(rel, "Staging")
            sim.regress("fast-shipping")
            local ok, err = pcall(phase.wait, rel, "Staging", {every = "10ms"})
            capture(err.code, err.phase, err.retryable, tostring(err):match("paused") ~= nil,
              phase.state(err.release, err.release.phases[2]))
            """)
        expectSucceeded(result.report)
        #expect(result.values == ["paused", "Staging", false, true, "paused"])
        let paused = try #require(harness.recorder.events(named: "phase.paused").first)
        #expect(paused.level == .warn)
        #expect(paused.fields["flag"] == .string("fast-shipping"))
    }

    @Test func waitForAFlagWithoutAReleaseRaisesNotFound() async throws {
        let harness = try await HostHarness.start()
        defer { Task { await harness.stop() } }
        let result = await harness.evaluate(
            """
            local ok, err = pcall(phase.wait, "dark-mode", nil, {timeout = "1s", every = "10ms"})
            capture(err.code, err.status, err.operation)
            """)
        expectSucceeded(result.report)
        #expect(result.values == ["not_found", 404, "phase.wait demo/dark-mode"])
    }
}
