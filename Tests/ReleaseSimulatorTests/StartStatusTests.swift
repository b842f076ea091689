import Foundation
import ReleaseSimulator
import Testing

/// One `{"status": ...}` sent to start the first phase of a new release, and the answer.
struct StartValue: CustomTestStringConvertible, Sendable {
    var dialect: SimulatorDialect
    var value: String
    var accepted: Bool
    /// The refusal's message (`nil`: the observed dialect's fixed one).
    var message: String? = nil

    var testDescription: String { "\(dialect): '\(value)'" }
}

@Suite("The start value each dialect accepts")
struct StartStatusTests {
    static let observedRefusal =
        #"{"code":"invalid_request","message":"Phase status can only be manually updated to `Active`."}"#
    static let notOneOf = "is not one of NotStarted, ReadyToStart, Started, Paused, Complete"

    static let values: [StartValue] = [
        .init(dialect: .observed, value: "active", accepted: true),
        .init(dialect: .observed, value: "Active", accepted: true),
        .init(dialect: .observed, value: "ACTIVE", accepted: true),
        .init(dialect: .observed, value: "Started", accepted: false),
        .init(dialect: .observed, value: "started", accepted: false),
        .init(dialect: .observed, value: "Complete", accepted: false),
        .init(dialect: .observed, value: "completed", accepted: false),
        .init(dialect: .observed, value: "ready-to-start", accepted: false),
        .init(dialect: .observed, value: "", accepted: false),
        .init(dialect: .observed, value: "go", accepted: false),
        .init(dialect: .spec, value: "Started", accepted: true),
        .init(dialect: .spec, value: "active", accepted: false, message: "status: 'active' \(notOneOf)"),
        .init(dialect: .spec, value: "Active", accepted: false, message: "status: 'Active' \(notOneOf)"),
        .init(dialect: .spec, value: "started", accepted: false, message: "status: 'started' \(notOneOf)"),
        .init(dialect: .spec, value: "Go", accepted: false, message: "status: 'Go' \(notOneOf)"),
        .init(
            dialect: .spec, value: "Complete", accepted: false,
            message: "status: only 'Started' can be requested; 'Complete' is set by LaunchDarkly"),
        .init(
            dialect: .spec, value: "ReadyToStart", accepted: false,
            message: "status: only 'Started' can be requested; 'ReadyToStart' is set by LaunchDarkly"),
    ]

    @Test("start values", arguments: values)
    func startValue(_ row: StartValue) async throws {
        try await SimulatorHarness.run(SimulatorConfiguration(phaseDuration: .seconds(600), dialect: row.dialect)) {
            sim async throws in
            _ = try await sim.createRelease("dark-mode")
            let before = try await sim.release("dark-mode")
            let response = try await sim.startPhase("dark-mode", SimulatorHarness.standardPhases[0], status: row.value)
            if row.accepted {
                #expect(response.status == 200, "\(response.text)")
                #expect(response.json["phases"]?[0]?["started"]?.bool == true)
                return
            }
            #expect(response.status == 400)
            if let message = row.message {
                #expect(response.errorCode == "invalid_request")
                #expect(response.message == message)
            } else {
                #expect(response.text == Self.observedRefusal)
            }
            #expect(try await sim.release("dark-mode") == before)
        }
    }

    @Test("the start value is checked before the release is looked up", arguments: SimulatorDialect.allCases)
    func refusalBeforeState(_ dialect: SimulatorDialect) async throws {
        try await SimulatorHarness.run(SimulatorConfiguration(phaseDuration: .seconds(600), dialect: dialect)) {
            sim async throws in
            let wrong = dialect == .spec ? "active" : "Started"
            #expect(
                try await sim.startPhase("dark-mode", SimulatorHarness.standardPhases[0], status: wrong).status == 400)
            _ = try await sim.createRelease("dark-mode")
            #expect(try await sim.startPhase("dark-mode", SimulatorHarness.standardPhases[0]).status == 200)
            let log = await sim.server.requestLog().filter { $0.route == .phaseStart }
            #expect(log.map(\.status) == [400, 200])
        }
    }
}
