import Foundation
import LuaBridge
import ReleaseCore
import ReleaseSimulator
import RunbookHost
import Synchronization

/// Collects a run's events for assertions.
final class EventRecorder: RunEventSink {
    private let storage = Mutex<[RunEvent]>([])

    func emit(_ event: RunEvent) { storage.withLock { $0.append(event) } }

    var events: [RunEvent] { storage.withLock { $0 } }

    func messages(named name: String) -> [String] { events.filter { $0.name == name }.map(\.message) }
}

/// A simulator plus a host pointed at it, for running runbooks in tests.
struct HostHarness {
    let simulator: SimulatorServer
    let recorder = EventRecorder()
    var configuration: RunbookHostConfiguration

    static func start(
        seed: SimulatorSeed = .demo, phaseDuration: Duration = .zero, faults: FaultPlan = .none,
        rateLimit: SimulatorRateLimit = SimulatorRateLimit()
    ) async throws -> HostHarness {
        let simulator = try await SimulatorServer.start(
            SimulatorConfiguration(seed: seed, phaseDuration: phaseDuration, rateLimit: rateLimit, faults: faults))
        return try HostHarness(simulator: simulator)
    }

    private init(simulator: SimulatorServer) throws {
        self.simulator = simulator
        var client = ReleaseClientConfiguration(
            accessToken: simulator.accessToken, baseURL: try BaseURL(simulator.baseURL), defaultProject: "demo")
        client.retry = RetryPolicy(maxAttempts: 4, baseDelay: .milliseconds(5), maxDelay: .milliseconds(50))
        configuration = RunbookHostConfiguration(client: client, events: recorder)
        configuration.confirmation = .assumeYes
    }

    /// Runs a runbook given as source (named `test.lua`) and returns the report.
    func run(_ source: String, configure: (inout RunbookHostConfiguration) -> Void = { _ in }) async -> RunReport {
        var configuration = configuration
        configure(&configuration)
        let host = RunbookHost(configuration: configuration)
        register(on: host)
        return await host.run(source: source, name: "test.lua")
    }

    /// `sim.approve(flag)` and `sim.regress(flag)` for runbooks under test.
    func register(on host: RunbookHost) {
        let simulator = simulator
        host.register("sim.approve") { arguments in
            try await simulator.approve(project: "demo", flag: arguments[0].stringValue ?? "")
            return []
        }
        host.register("sim.complete") { arguments in
            try await simulator.complete(project: "demo", flag: arguments[0].stringValue ?? "")
            return []
        }
        host.register("sim.regress") { arguments in
            try await simulator.regress(project: "demo", flag: arguments[0].stringValue ?? "")
            return []
        }
    }

    /// Requests that changed something (not GETs).
    func writes() async -> [SimulatorRequestRecord] {
        await simulator.requestLog().filter { $0.method != "GET" }
    }

    func stop() async { await simulator.stop() }
}

extension RunReport {
    /// The error message of a failed run, for expectations.
    var failureMessage: String? {
        if case .failed(let error) = outcome { return error.message }
        if case .rejected(let message) = outcome { return message }
        return nil
    }

    var succeeded: Bool {
        if case .succeeded = outcome { return true }
        return false
    }
}

/// A demo seed with `count` extra flags `flag-1` ... `flag-N`.
func seedWithFlags(_ count: Int) throws -> SimulatorSeed {
    var root = try JSONSerialization.jsonObject(with: Data(SimulatorSeed.demoSeedJSON.utf8)) as! [String: Any]
    var projects = root["projects"] as! [[String: Any]]
    var flags = projects[0]["flags"] as! [[String: Any]]
    for index in 1...count { flags.append(["key": "flag-\(index)", "name": "Flag \(index)"]) }
    projects[0]["flags"] = flags
    root["projects"] = projects
    return try SimulatorSeed(json: JSONSerialization.data(withJSONObject: root))
}
