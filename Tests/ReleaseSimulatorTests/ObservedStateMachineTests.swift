import NIOHTTP1
import ReleaseSimulator
import Testing

/// One row of the observed dialect's transition table: steps that must succeed, then an
/// action, its outcome and the phase statuses after it.
struct ObservedTransition: CustomTestStringConvertible, Sendable {
    /// A step: start phase N (with `active`), or an admin action on the active phase.
    enum Step: Sendable {
        case start(Int)
        case approve, regress, complete
    }

    var label: String
    /// The phase duration: how long a guarded phase is monitored.
    var monitoring: Duration = .seconds(600)
    var setup: [Step]
    var action: Step
    var status: Int
    var phases: [String]
    var message: String? = nil

    var testDescription: String { label }
}

@Suite("Phase state machine (observed dialect)")
struct ObservedStateMachineTests {
    static let transitions: [ObservedTransition] = [
        .init(
            label: "start the first phase", setup: [], action: .start(0), status: 200,
            phases: ["active", "not-started", "not-started"]),
        .init(
            label: "starting the next phase completes the previous one", setup: [.start(0)], action: .start(1),
            status: 200, phases: ["completed", "active", "not-started"]),
        .init(
            label: "start an already active phase", setup: [.start(0)], action: .start(0), status: 400,
            phases: ["active", "not-started", "not-started"], message: "phase 'Testing' is already started"),
        .init(
            label: "skip a phase while one is active", setup: [.start(0)], action: .start(2), status: 400,
            phases: ["active", "not-started", "not-started"],
            message: "phase 'Production' cannot start: the previous phase 'Staging' is not started"),
        .init(
            label: "skip the first phase", setup: [], action: .start(1), status: 400,
            phases: ["ready-to-start", "not-started", "not-started"],
            message: "phase 'Staging' cannot start: the previous phase 'Testing' is not started"),
        .init(
            label: "start after a guarded phase that is still monitoring", setup: [.start(0), .start(1)],
            action: .start(2), status: 400, phases: ["completed", "active", "not-started"],
            message: "phase 'Production' cannot start: phase 'Staging' is still monitoring a guarded rollout"),
        .init(
            label: "start after a guarded phase whose monitoring is over", monitoring: .zero,
            setup: [.start(0), .start(1)], action: .start(2), status: 200, phases: ["completed", "completed", "active"]
        ),
        .init(
            label: "start after a paused phase", setup: [.start(0), .start(1), .regress], action: .start(2),
            status: 400, phases: ["completed", "paused", "not-started"],
            message: "phase 'Production' cannot start: phase 'Staging' is paused"),
        .init(
            label: "active on a paused phase resumes it", setup: [.start(0), .start(1), .regress], action: .start(1),
            status: 200, phases: ["completed", "active", "not-started"]),
        .init(
            label: "start a completed phase", setup: [.start(0), .start(1)], action: .start(0), status: 400,
            phases: ["completed", "active", "not-started"], message: "phase 'Testing' is already complete"),
        .init(
            label: "approve the last phase: it stays active", monitoring: .zero,
            setup: [.start(0), .start(1), .start(2)],
            action: .approve, status: 200, phases: ["completed", "completed", "active"]),
        .init(
            label: "approve a phase that needs no approval", setup: [.start(0)], action: .approve, status: 400,
            phases: ["active", "not-started", "not-started"], message: "phase 'Testing' does not require approval"),
        .init(
            label: "regress a guarded phase", setup: [.start(0), .start(1)], action: .regress, status: 200,
            phases: ["completed", "paused", "not-started"]),
        .init(
            label: "regress an unguarded phase", setup: [.start(0)], action: .regress, status: 400,
            phases: ["active", "not-started", "not-started"],
            message: "phase 'Testing' has no release guardian configuration"),
        .init(
            label: "admin complete: the next phase is ready to start", setup: [.start(0)], action: .complete,
            status: 200, phases: ["completed", "ready-to-start", "not-started"]),
        .init(
            label: "admin complete of a paused phase", setup: [.start(0), .start(1), .regress], action: .complete,
            status: 200, phases: ["completed", "completed", "ready-to-start"]),
        .init(
            label: "complete when nothing is started", setup: [], action: .complete, status: 400,
            phases: ["ready-to-start", "not-started", "not-started"],
            message: "the release of 'search-v2' has no started phase"),
    ]

    @Test("transitions", arguments: transitions)
    func transition(_ row: ObservedTransition) async throws {
        let configuration = SimulatorConfiguration(phaseDuration: row.monitoring, dialect: .observed)
        try await SimulatorHarness.run(configuration) { sim async throws in
            let flag = "search-v2"
            #expect(try await sim.createRelease(flag).status == 200)
            for step in row.setup {
                let response = try await Self.perform(step, flag: flag, sim: sim)
                #expect(response.status == 200, "setup \(step): \(response.text)")
            }
            let versionBefore = try await sim.release(flag)["_version"]?.int ?? -1
            let response = try await Self.perform(row.action, flag: flag, sim: sim)
            #expect(response.status == row.status, "\(response.text)")
            if let message = row.message {
                #expect(response.errorCode == "invalid_request")
                #expect(response.message == message)
            }
            let after = try await sim.release(flag)
            #expect(after["phases"]?.array.compactMap { $0["status"]?.string } == row.phases)
            #expect(after["_version"]?.int == versionBefore + (row.status == 200 ? 1 : 0))
        }
    }

    static func perform(_ step: ObservedTransition.Step, flag: String, sim: SimulatorHarness) async throws
        -> APIResponse
    {
        switch step {
        case .start(let index):
            return try await sim.startPhase(flag, SimulatorHarness.standardPhases[index])
        case .approve, .regress, .complete:
            return try await sim.send(.POST, "/_sim/\(step)", body: "{\"project\": \"demo\", \"flag\": \"\(flag)\"}")
        }
    }

    @Test("starting phase N+1 completes phase N with a completion date and who completed it")
    func nextStartCompletesPrevious() async throws {
        try await SimulatorHarness.run(SimulatorConfiguration(phaseDuration: .zero, dialect: .observed)) {
            sim async throws in
            _ = try await sim.createRelease("dark-mode")
            let started = try await sim.startPhase("dark-mode", SimulatorHarness.standardPhases[0])
            #expect(started.json["phases"]?[0]?["started"]?.bool == true)
            #expect(started.json["phases"]?[0]?["complete"]?.bool == false)
            for _ in 0..<3 {
                #expect(try await sim.phaseStatuses("dark-mode") == ["active", "not-started", "not-started"])
            }
            let next = try await sim.startPhase("dark-mode", SimulatorHarness.standardPhases[1]).json
            let first = next["phases"]?[0]
            #expect(first?["status"]?.string == "completed")
            #expect(first?["complete"]?.bool == true)
            #expect(first?["_completionDate"]?.int != nil)
            #expect(first?["_completedBy"]?["token"]?["serviceToken"]?.bool == true)
            #expect(next["phases"]?[1]?["started"]?.bool == true)
            #expect(next["phases"]?[1]?["complete"]?.bool == false)
        }
    }

    @Test("a phase waiting for approval keeps the next one from starting until approved")
    func approvalGatesNextStart() async throws {
        try await SimulatorHarness.run(SimulatorConfiguration(phaseDuration: .zero, dialect: .observed)) {
            sim async throws in
            let pipeline = """
                {"key": "gated", "name": "Gated", "phases": [
                  {"id": "gate-a", "name": "Approve", "audiences": [{"name": "T", "environmentKey": "test",
                    "configuration": {"requireApproval": true}}]},
                  {"id": "gate-b", "name": "After", "audiences": [{"name": "P", "environmentKey": "production",
                    "configuration": {"releaseStrategy": "", "requireApproval": false}}]}]}
                """
            let created = try await sim.send(.POST, "/api/v2/projects/demo/release-pipelines", body: pipeline)
            #expect(created.status == 201, "\(created.text)")
            let strategies = created.json["phases"]?.array.compactMap {
                $0["audiences"]?[0]?["configuration"]?["releaseStrategy"]?.string
            }
            #expect(strategies == ["", ""])
            _ = try await sim.createRelease("dark-mode", pipeline: "gated")
            #expect(try await sim.startPhase("dark-mode", "gate-a").status == 200)
            let refused = try await sim.startPhase("dark-mode", "gate-b")
            #expect(refused.status == 400)
            #expect(refused.message == "phase 'After' cannot start: phase 'Approve' is waiting for approval")
            try await sim.server.approve(project: "demo", flag: "dark-mode")
            #expect(try await sim.phaseStatuses("dark-mode") == ["active", "not-started"])
            #expect(try await sim.startPhase("dark-mode", "gate-b").status == 200)
            #expect(try await sim.phaseStatuses("dark-mode") == ["completed", "active"])
        }
    }

    @Test("the last phase stays active forever once started: a finished release")
    func lastPhaseStaysActive() async throws {
        try await SimulatorHarness.run(SimulatorConfiguration(phaseDuration: .zero, dialect: .observed)) {
            sim async throws in
            _ = try await sim.createRelease("fast-shipping", pipeline: "fast-track")
            _ = try await sim.startPhase("fast-shipping", "65a1f0c2e4b0a1b2c3d40011")
            _ = try await sim.startPhase("fast-shipping", "65a1f0c2e4b0a1b2c3d40012")
            try await Task.sleep(for: .milliseconds(50))
            #expect(try await sim.phaseStatuses("fast-shipping") == ["completed", "active"])
            let again = try await sim.startPhase("fast-shipping", "65a1f0c2e4b0a1b2c3d40012")
            #expect(again.status == 400)
            #expect(again.message == "phase 'Production' is already started")
        }
    }
}
