import NIOHTTP1
import ReleaseSimulator
import Testing

/// One row of the transition table: a release brought to a state, an action, the outcome.
struct PhaseTransition: CustomTestStringConvertible, Sendable {
    /// How the phase after the completed ones is left before the action.
    enum Setup: Sendable { case ready, started, paused }
    /// What the row does.
    enum Action: Sendable {
        case start(phase: Int, status: String)
        case approve, regress, complete
    }

    var label: String
    var completed: Int
    var setup: Setup
    var action: Action
    var status: Int
    var phases: [String]
    var message: String? = nil

    var testDescription: String { label }
}

/// The spec dialect's state machine; `ObservedStateMachineTests` has the observed one.
@Suite("Phase state machine (spec dialect)")
struct PhaseStateMachineTests {
    static let transitions: [PhaseTransition] = [
        .init(
            label: "start the first phase", completed: 0, setup: .ready, action: .start(phase: 0, status: "Started"),
            status: 200, phases: ["Started", "NotStarted", "NotStarted"]),
        .init(
            label: "'active' is refused, naming the field and the value", completed: 0, setup: .ready,
            action: .start(phase: 0, status: "active"), status: 400,
            phases: ["ReadyToStart", "NotStarted", "NotStarted"],
            message: "status: 'active' is not one of NotStarted, ReadyToStart, Started, Paused, Complete"),
        .init(
            label: "start an already started phase", completed: 0, setup: .started,
            action: .start(phase: 0, status: "Started"), status: 400, phases: ["Started", "NotStarted", "NotStarted"],
            message: "already started"),
        .init(
            label: "start a phase before the previous one completes", completed: 0, setup: .started,
            action: .start(phase: 1, status: "Started"), status: 400, phases: ["Started", "NotStarted", "NotStarted"],
            message: "previous phase 'Testing' is not complete"),
        .init(
            label: "skip a phase", completed: 0, setup: .ready, action: .start(phase: 2, status: "Started"),
            status: 400, phases: ["ReadyToStart", "NotStarted", "NotStarted"], message: "is not complete"),
        .init(
            label: "start the next phase", completed: 1, setup: .ready, action: .start(phase: 1, status: "Started"),
            status: 200, phases: ["Complete", "Started", "NotStarted"]),
        .init(
            label: "start a completed phase", completed: 1, setup: .ready, action: .start(phase: 0, status: "Started"),
            status: 400, phases: ["Complete", "ReadyToStart", "NotStarted"], message: "already complete"),
        .init(
            label: "request a status other than Started", completed: 0, setup: .started,
            action: .start(phase: 0, status: "Complete"), status: 400, phases: ["Started", "NotStarted", "NotStarted"],
            message: "status"),
        .init(
            label: "request an unknown status", completed: 0, setup: .ready, action: .start(phase: 0, status: "Go"),
            status: 400, phases: ["ReadyToStart", "NotStarted", "NotStarted"], message: "status: 'Go' is not one of"),
        .init(
            label: "complete a started phase", completed: 0, setup: .started, action: .complete, status: 200,
            phases: ["Complete", "ReadyToStart", "NotStarted"]),
        .init(
            label: "complete when nothing is started", completed: 0, setup: .ready, action: .complete, status: 400,
            phases: ["ReadyToStart", "NotStarted", "NotStarted"], message: "no started phase"),
        .init(
            label: "regress a guarded phase", completed: 1, setup: .started, action: .regress, status: 200,
            phases: ["Complete", "Paused", "NotStarted"]),
        .init(
            label: "regress an unguarded phase", completed: 0, setup: .started, action: .regress, status: 400,
            phases: ["Started", "NotStarted", "NotStarted"], message: "release guardian"),
        .init(
            label: "restart a paused phase", completed: 1, setup: .paused, action: .start(phase: 1, status: "Started"),
            status: 200, phases: ["Complete", "Started", "NotStarted"]),
        .init(
            label: "complete a paused phase", completed: 1, setup: .paused, action: .complete, status: 200,
            phases: ["Complete", "Complete", "ReadyToStart"]),
        .init(
            label: "approve a phase that requires approval", completed: 2, setup: .started, action: .approve,
            status: 200, phases: ["Complete", "Complete", "Started"]),
        .init(
            label: "approve a phase that needs no approval", completed: 0, setup: .started, action: .approve,
            status: 400, phases: ["Started", "NotStarted", "NotStarted"], message: "does not require approval"),
        .init(
            label: "complete the last phase", completed: 2, setup: .started, action: .complete, status: 200,
            phases: ["Complete", "Complete", "Complete"]),
    ]

    @Test("transitions", arguments: transitions)
    func transition(_ row: PhaseTransition) async throws {
        let configuration = SimulatorConfiguration(phaseDuration: .seconds(600), dialect: .spec)
        try await SimulatorHarness.run(configuration) { sim async throws in
            let flag = "search-v2"
            _ = try await sim.createRelease(flag)
            for index in 0..<row.completed {
                _ = try await sim.startPhase(flag, SimulatorHarness.standardPhases[index])
                try await sim.server.complete(project: "demo", flag: flag)
            }
            if row.setup != .ready {
                #expect(try await sim.startPhase(flag, SimulatorHarness.standardPhases[row.completed]).status == 200)
            }
            if row.setup == .paused { try await sim.server.regress(project: "demo", flag: flag) }
            let versionBefore = try await sim.getRelease(flag).json["_version"]?.int ?? 0

            let response: APIResponse
            switch row.action {
            case .start(let phase, let status):
                response = try await sim.startPhase(flag, SimulatorHarness.standardPhases[phase], status: status)
            case .approve, .regress, .complete:
                let name = "\(row.action)"
                response = try await sim.send(
                    .POST, "/_sim/\(name)", body: "{\"project\": \"demo\", \"flag\": \"\(flag)\"}")
            }

            #expect(response.status == row.status)
            if let message = row.message {
                #expect(response.errorCode == "invalid_request")
                #expect(response.message.contains(message), "\(response.message)")
            }
            let after = try await sim.getRelease(flag).json
            #expect(after["phases"]?.array.compactMap { $0["status"]?.string } == row.phases)
            #expect(after["_version"]?.int == versionBefore + (row.status == 200 ? 1 : 0))
        }
    }

    @Test("with a zero duration a started phase completes on the next read, and the next becomes ReadyToStart")
    func zeroDurationCompletes() async throws {
        try await SimulatorHarness.run { sim async throws in
            _ = try await sim.createRelease("dark-mode")
            let started = try await sim.startPhase("dark-mode", SimulatorHarness.standardPhases[0])
            #expect(started.json["phases"]?[0]?["status"]?.string == "Started")
            #expect(started.json["phases"]?[0]?["started"]?.bool == true)
            #expect(started.json["phases"]?[0]?["_startedDate"]?.int != nil)
            #expect(started.json["_version"]?.int == 2)

            let read = try await sim.getRelease("dark-mode").json
            let first = read["phases"]?[0]
            #expect(first?["status"]?.string == "Complete")
            #expect(first?["complete"]?.bool == true)
            #expect(first?["_completionDate"]?.int != nil)
            #expect(first?["_completedBy"]?["token"]?["serviceToken"]?.bool == true)
            #expect(read["phases"]?[1]?["status"]?.string == "ReadyToStart")
            #expect(read["_version"]?.int == 3)
        }
    }

    @Test("a phase that requires approval waits for it, however long the duration")
    func approvalGatesCompletion() async throws {
        try await SimulatorHarness.run { sim async throws in
            _ = try await sim.createRelease("dark-mode")
            for phase in SimulatorHarness.standardPhases.prefix(2) {
                #expect(try await sim.startPhase("dark-mode", phase).status == 200)
            }
            #expect(try await sim.startPhase("dark-mode", SimulatorHarness.standardPhases[2]).status == 200)
            #expect(try await sim.phaseStatuses("dark-mode") == ["Complete", "Complete", "Started"])
            #expect(try await sim.phaseStatuses("dark-mode") == ["Complete", "Complete", "Started"])
            try await sim.server.approve(project: "demo", flag: "dark-mode")
            #expect(try await sim.phaseStatuses("dark-mode") == ["Complete", "Complete", "Complete"])
        }
    }

    @Test("a regressed phase stays paused until restarted (regression needs a non-zero duration)")
    func regressionPauses() async throws {
        try await SimulatorHarness.run(SimulatorConfiguration(phaseDuration: .seconds(600), dialect: .spec)) {
            sim async throws in
            let phases = SimulatorHarness.standardPhases
            _ = try await sim.createRelease("dark-mode")
            _ = try await sim.startPhase("dark-mode", phases[0])
            try await sim.server.complete(project: "demo", flag: "dark-mode")
            #expect(try await sim.startPhase("dark-mode", phases[1]).status == 200)
            try await sim.server.regress(project: "demo", flag: "dark-mode", phaseId: phases[1])
            #expect(try await sim.phaseStatuses("dark-mode") == ["Complete", "Paused", "NotStarted"])
            #expect(try await sim.getRelease("dark-mode").json["phases"]?[1]?["complete"]?.bool == false)
            #expect(try await sim.startPhase("dark-mode", phases[1]).status == 200)
            #expect(try await sim.phaseStatuses("dark-mode") == ["Complete", "Started", "NotStarted"])
            try await sim.server.complete(project: "demo", flag: "dark-mode")
            #expect(try await sim.phaseStatuses("dark-mode") == ["Complete", "Complete", "ReadyToStart"])
        }
    }

    @Test("of concurrent starts of the same phase exactly one succeeds")
    func concurrentStarts() async throws {
        try await SimulatorHarness.run(SimulatorConfiguration(phaseDuration: .seconds(600), dialect: .spec)) {
            sim async throws in
            _ = try await sim.createRelease("dark-mode")
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<8 {
                    group.addTask { try await sim.startPhase("dark-mode", SimulatorHarness.standardPhases[0]).status }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.sorted() == [200] + Array(repeating: 400, count: 7))
            #expect(try await sim.getRelease("dark-mode").json["_version"]?.int == 2)
        }
    }

    @Test("a started phase completes once its duration has passed, dated start + duration")
    func durationElapses() async throws {
        try await SimulatorHarness.run(SimulatorConfiguration(phaseDuration: .seconds(3), dialect: .spec)) {
            sim async throws in
            _ = try await sim.createRelease("dark-mode")
            _ = try await sim.startPhase("dark-mode", SimulatorHarness.standardPhases[0])
            #expect(try await sim.phaseStatuses("dark-mode").first == "Started")
            try await Task.sleep(for: .milliseconds(3_050))
            let phase = try await sim.getRelease("dark-mode").json["phases"]?[0]
            #expect(phase?["status"]?.string == "Complete")
            let started = try #require(phase?["_startedDate"]?.int)
            #expect(phase?["_completionDate"]?.int == started + 3_000)
        }
    }

    @Test("the in-process admin API reports errors as SimulatorError")
    func inProcessErrors() async throws {
        try await SimulatorHarness.run { sim async throws in
            await #expect(throws: SimulatorError.notFound("flag 'dark-mode' has no release")) {
                try await sim.server.approve(project: "demo", flag: "dark-mode")
            }
            _ = try await sim.createRelease("dark-mode")
            await #expect(throws: SimulatorError.self) {
                try await sim.server.complete(project: "demo", flag: "dark-mode", phaseId: "unknown")
            }
        }
    }

    @Test("phase status errors: unknown phase 404, missing status 400")
    func phaseStatusErrors() async throws {
        try await SimulatorHarness.run { sim async throws in
            #expect(try await sim.startPhase("dark-mode", SimulatorHarness.standardPhases[0]).status == 404)
            _ = try await sim.createRelease("dark-mode")
            let unknown = try await sim.startPhase("dark-mode", "no-such-phase")
            #expect(unknown.status == 404)
            #expect(unknown.message.contains("no-such-phase"))
            let missing = try await sim.send(
                .PUT, "/api/v2/projects/demo/flags/dark-mode/release/phases/\(SimulatorHarness.standardPhases[0])",
                body: "{}"
            )
            #expect(missing.status == 400)
            #expect(missing.message == "status: required field missing")
        }
    }
}
