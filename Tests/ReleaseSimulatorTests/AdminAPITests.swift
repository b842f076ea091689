import Foundation
import NIOHTTP1
import ReleaseSimulator
import Testing

@Suite("Admin API and request log")
struct AdminAPITests {
    @Test("the request log records method, path, query, route, flag, status and body in order")
    func requestLog() async throws {
        try await SimulatorHarness.run { sim async throws in
            let before = Date()
            _ = try await sim.createRelease("dark-mode")
            _ = try await sim.send(.GET, "/api/v2/projects/demo/release-pipelines?limit=1&offset=0")
            _ = try await sim.send(.GET, "/api/v2/unknown", token: "wrong")
            _ = try await sim.send(.GET, "/_sim/requests")
            let log = await sim.server.requestLog()
            #expect(log.map(\.method) == ["PUT", "GET", "GET"])
            #expect(
                log.map(\.path) == [
                    "/api/v2/projects/demo/flags/dark-mode/release", "/api/v2/projects/demo/release-pipelines",
                    "/api/v2/unknown",
                ])
            #expect(log.map(\.query) == [nil, "limit=1&offset=0", nil])
            #expect(log.map(\.route) == [.releaseCreate, .pipelineList, nil])
            #expect(log.map(\.status) == [200, 200, 401])
            #expect(log[0].flagKey == "dark-mode")
            #expect(log[0].body == "{\"releasePipelineKey\": \"standard\"}")
            #expect(log[1].body == nil)
            #expect(log.allSatisfy { $0.time >= before.addingTimeInterval(-1) && $0.time <= Date() })
        }
    }

    @Test("the request log is served and cleared over HTTP")
    func requestLogOverHTTP() async throws {
        try await SimulatorHarness.run { sim async throws in
            _ = try await sim.getRelease("dark-mode")
            let served = try await sim.send(.GET, "/_sim/requests").json["items"]?.array ?? []
            #expect(served.count == 1)
            #expect(served[0]["route"]?.string == "release-get")
            #expect(served[0]["status"]?.int == 404)
            #expect(served[0]["time"]?.int != nil)
            #expect(try await sim.send(.DELETE, "/_sim/requests").status == 204)
            #expect(await sim.server.requestLog().isEmpty)
            _ = try await sim.getRelease("dark-mode")
            await sim.server.clearRequestLog()
            #expect(await sim.server.requestLog().isEmpty)
        }
    }

    @Test("approve over HTTP completes a phase waiting for approval; bad bodies are a 400")
    func approveOverHTTP() async throws {
        try await SimulatorHarness.run { sim async throws in
            _ = try await sim.createRelease("dark-mode")
            for phase in SimulatorHarness.standardPhases {
                _ = try await sim.startPhase("dark-mode", phase)
            }
            let body = #"{"project": "demo", "flag": "dark-mode", "phaseId": "65a1f0c2e4b0a1b2c3d40003"}"#
            let approved = try await sim.send(.POST, "/_sim/approve", body: body)
            #expect(approved.status == 200)
            #expect(approved.json["_version"]?.int != nil)
            #expect(try await sim.phaseStatuses("dark-mode") == ["Complete", "Complete", "Complete"])
            let invalid = try await sim.send(.POST, "/_sim/approve", body: #"{"project": "demo"}"#)
            #expect(invalid.status == 400)
            #expect(invalid.message == "flag: required field missing")
            #expect(try await sim.send(.POST, "/_sim/nothing").status == 404)
        }
    }

    @Test("an admin action names its phase by id or by name; an unknown one is a 404 listing the phases")
    func adminActionsTakePhaseNames() async throws {
        try await SimulatorHarness.run { sim async throws in
            _ = try await sim.createRelease("dark-mode")
            for phase in SimulatorHarness.standardPhases {
                _ = try await sim.startPhase("dark-mode", phase)
            }
            let unknown = try await sim.send(
                .POST, "/_sim/approve", body: #"{"project": "demo", "flag": "dark-mode", "phaseId": "Nope"}"#)
            #expect(unknown.status == 404)
            #expect(unknown.message.hasSuffix("(its phases: Testing, Staging, Production)"), "\(unknown.message)")
            try await sim.server.approve(project: "demo", flag: "dark-mode", phaseId: "Production")
            #expect(try await sim.phaseStatuses("dark-mode") == ["Complete", "Complete", "Complete"])
        }
    }

    @Test("the server reports its port, base URL and token, and stopping releases the port")
    func lifecycle() async throws {
        let server = try await SimulatorServer.start(SimulatorConfiguration(accessToken: "secret"))
        #expect(server.port > 0)
        #expect(server.baseURL == "http://127.0.0.1:\(server.port)")
        #expect(server.accessToken == "secret")
        #expect(try await SimulatorHarness(server: server).send(.GET, "/_sim/requests").status == 200)
        await server.stop()
        let again = try await SimulatorServer.start(SimulatorConfiguration(port: server.port))
        #expect(again.port == server.port)
        await again.stop()
    }

    @Test("starting on a port in use fails")
    func portInUse() async throws {
        try await SimulatorHarness.run { sim async throws in
            await #expect(throws: (any Error).self) {
                _ = try await SimulatorServer.start(SimulatorConfiguration(port: sim.server.port))
            }
        }
    }
}
