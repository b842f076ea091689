import Foundation
import NIOHTTP1
import ReleaseSimulator
import Testing

@Suite("Fault injection over loopback")
struct FaultInjectionTests {
    static func configuration(_ spec: String, randomSeed: UInt64 = 0) throws -> SimulatorConfiguration {
        SimulatorConfiguration(
            phaseDuration: .seconds(600), dialect: .spec, faults: try FaultPlan(spec: spec), randomSeed: randomSeed)
    }

    @Test("status faults answer with that status and an error body, without processing", arguments: [500, 502, 503])
    func statusFault(status: Int) async throws {
        try await SimulatorHarness.run(try Self.configuration("release-create:count=1:status=\(status)")) {
            sim async throws in
            let faulted = try await sim.createRelease("dark-mode")
            #expect(faulted.status == status)
            #expect(faulted.errorCode == "internal_server_error")
            #expect(faulted.headers.first(name: "X-Ratelimit-Global-Remaining") != nil)
            #expect(try await sim.getRelease("dark-mode").status == 404)
            #expect(try await sim.createRelease("dark-mode").status == 200)
            let log = await sim.server.requestLog()
            #expect(log.map(\.status) == [status, 404, 200])
            #expect(log.map(\.fault) == ["status=\(status)", nil, nil])
            #expect(log.map(\.processed) == [false, true, true])
        }
    }

    @Test("429 with Retry-After")
    func retryAfter() async throws {
        try await SimulatorHarness.run(try Self.configuration("release-get:count=1:retry-after=7")) {
            sim async throws in
            let response = try await sim.getRelease("dark-mode")
            #expect(response.status == 429)
            #expect(response.errorCode == "rate_limited")
            #expect(response.headers.first(name: "Retry-After") == "7")
        }
    }

    @Test("429 with an X-Ratelimit-Reset in the past")
    func resetInPast() async throws {
        try await SimulatorHarness.run(try Self.configuration("any:count=1:reset=past")) { sim async throws in
            let now = Int64(Date().timeIntervalSince1970 * 1_000)
            let response = try await sim.send(.GET, "/api/v2/projects/demo/release-pipelines")
            #expect(response.status == 429)
            #expect(response.headers.first(name: "Retry-After") == nil)
            #expect(response.headers.first(name: "X-Ratelimit-Global-Remaining") == "0")
            let reset = Int64(response.headers.first(name: "X-Ratelimit-Reset") ?? "") ?? .max
            #expect(reset < now)
        }
    }

    @Test("latency delays the answer, which is otherwise normal")
    func latency() async throws {
        try await SimulatorHarness.run(try Self.configuration("pipeline-get:latency=150ms")) { sim async throws in
            let clock = ContinuousClock()
            let start = clock.now
            let response = try await sim.send(.GET, "/api/v2/projects/demo/release-pipelines/standard")
            #expect(clock.now - start >= .milliseconds(150))
            #expect(response.status == 200)
            #expect(await sim.server.requestLog().first?.fault == "latency=150ms")
        }
    }

    @Test("a connection dropped before processing changes nothing")
    func dropBefore() async throws {
        try await SimulatorHarness.run(try Self.configuration("phase-start:count=1:drop=before")) { sim async throws in
            _ = try await sim.createRelease("dark-mode")
            await #expect(throws: (any Error).self) {
                _ = try await sim.startPhase("dark-mode", SimulatorHarness.standardPhases[0])
            }
            #expect(try await sim.phaseStatuses("dark-mode").first == "ReadyToStart")
            let record = await sim.server.requestLog()[1]
            #expect(record.route == .phaseStart)
            #expect(record.status == nil)
            #expect(record.processed == false)
            #expect(record.fault == "drop=before")
        }
    }

    @Test("a connection dropped after processing keeps the change but gives no answer")
    func dropAfter() async throws {
        try await SimulatorHarness.run(try Self.configuration("phase-start:count=1:drop=after")) { sim async throws in
            _ = try await sim.createRelease("dark-mode")
            await #expect(throws: (any Error).self) {
                _ = try await sim.startPhase("dark-mode", SimulatorHarness.standardPhases[0])
            }
            #expect(try await sim.phaseStatuses("dark-mode").first == "Started")
            let retry = try await sim.startPhase("dark-mode", SimulatorHarness.standardPhases[0])
            #expect(retry.status == 400)
            let record = await sim.server.requestLog()[1]
            #expect(record.status == 200)
            #expect(record.processed == true)
            #expect(record.fault == "drop=after")
        }
    }

    @Test("a scripted fault hits the next N matching requests for one flag only")
    func scriptedForFlag() async throws {
        let spec = "phase-start:flag=new-checkout:count=2:status=503"
        try await SimulatorHarness.run(try Self.configuration(spec)) { sim async throws in
            let phase = SimulatorHarness.standardPhases[0]
            _ = try await sim.createRelease("new-checkout")
            _ = try await sim.createRelease("dark-mode")
            #expect(try await sim.startPhase("dark-mode", phase).status == 200)
            #expect(try await sim.startPhase("new-checkout", phase).status == 503)
            #expect(try await sim.startPhase("new-checkout", phase).status == 503)
            #expect(try await sim.startPhase("new-checkout", phase).status == 200)
            let starts = await sim.server.requestLog().filter {
                $0.route == .phaseStart && $0.flagKey == "new-checkout"
            }
            #expect(starts.count == 3)
            #expect(starts.filter(\.processed).count == 1)
        }
    }

    @Test("probabilistic faults replay identically with the same seed")
    func seededReplay() async throws {
        func statuses(randomSeed: UInt64) async throws -> [Int] {
            let configuration = try Self.configuration("release-get:p=0.5:status=500", randomSeed: randomSeed)
            return try await SimulatorHarness.run(configuration) { sim async throws in
                var statuses: [Int] = []
                for _ in 0..<30 { statuses.append(try await sim.getRelease("dark-mode").status) }
                return statuses
            }
        }
        let first = try await statuses(randomSeed: 42)
        let replay = try await statuses(randomSeed: 42)
        let other = try await statuses(randomSeed: 7)
        #expect(first == replay)
        #expect(first != other)
        #expect(Set(first) == [404, 500])
    }

    @Test("setting faults restarts the random sequence and the counts")
    func setFaultsRestarts() async throws {
        try await SimulatorHarness.run(try Self.configuration("release-get:p=0.5:status=500", randomSeed: 3)) {
            sim async throws in
            var runs: [[Int]] = []
            for _ in 0..<2 {
                await sim.server.setFaults(try FaultPlan(spec: "release-get:p=0.5:status=500"))
                var statuses: [Int] = []
                for _ in 0..<12 { statuses.append(try await sim.getRelease("dark-mode").status) }
                runs.append(statuses)
            }
            #expect(runs[0] == runs[1])
        }
    }

    @Test("faults can be set, read and cleared through /_sim/faults")
    func faultsOverHTTP() async throws {
        try await SimulatorHarness.run { sim async throws in
            let set = try await sim.send(.PUT, "/_sim/faults", body: #"{"spec": "release-get:count=1:status=502"}"#)
            #expect(set.status == 200)
            #expect(set.json["spec"]?.string == "release-get:count=1:status=502")
            #expect(try await sim.send(.GET, "/_sim/faults").json["spec"]?.string == "release-get:count=1:status=502")
            #expect(try await sim.getRelease("dark-mode").status == 502)
            #expect(try await sim.getRelease("dark-mode").status == 404)
            let invalid = try await sim.send(.PUT, "/_sim/faults", body: #"{"spec": "release-get:status=99"}"#)
            #expect(invalid.status == 400)
            #expect(invalid.errorCode == "invalid_configuration")
            _ = try await sim.send(.PUT, "/_sim/faults", body: #"{"spec": "any:status=500"}"#)
            #expect(try await sim.send(.DELETE, "/_sim/faults").status == 204)
            #expect(try await sim.getRelease("dark-mode").status == 404)
        }
    }

    @Test("admin requests are never faulted")
    func adminNotFaulted() async throws {
        try await SimulatorHarness.run(try Self.configuration("any:status=500")) { sim async throws in
            #expect(try await sim.send(.GET, "/_sim/requests").status == 200)
            #expect(try await sim.send(.GET, "/api/v2/flags/demo/dark-mode").status == 500)
        }
    }
}
