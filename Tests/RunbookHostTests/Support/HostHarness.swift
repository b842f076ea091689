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

/// Collects the values a runbook under test hands to `sim.result(value)`.
final class ResultRecorder: Sendable {
    private let storage = Mutex<[String]>([])

    func add(_ value: String) { storage.withLock { $0.append(value) } }

    var values: [String] { storage.withLock { $0 } }
}

/// A simulator plus a host pointed at it, for running runbooks in tests.
struct HostHarness {
    let simulator: SimulatorServer
    let recorder = EventRecorder()
    /// What the runbook passed to `sim.result`.
    let results = ResultRecorder()
    var configuration: RunbookHostConfiguration

    static func start(
        seed: SimulatorSeed = .demo, phaseDuration: Duration = .zero, faults: FaultPlan = .none,
        rateLimit: SimulatorRateLimit = SimulatorRateLimit(), dialect: SimulatorDialect = .observed,
        clock: VirtualClock? = nil
    ) async throws -> HostHarness {
        var simulation = SimulatorConfiguration(
            seed: seed, phaseDuration: phaseDuration, dialect: dialect, rateLimit: rateLimit, faults: faults)
        if let clock { simulation.now = { clock.epochMillis() } }
        var harness = try HostHarness(simulator: try await SimulatorServer.start(simulation))
        harness.configuration.clock = clock
        return harness
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

    /// `sim.approve(flag)`, `sim.complete(flag)`, `sim.regress(flag)` and `sim.result(value)`
    /// for runbooks under test.
    func register(on host: RunbookHost) {
        let simulator = simulator
        let results = results
        host.register("sim.result") { arguments in
            results.add(arguments.first?.stringValue ?? "\(arguments.first ?? .nil)")
            return []
        }
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

    /// A host for `configuration` whose runbook can call `test.interrupt()`, which cancels
    /// the run as Ctrl-C would (with `reason`).
    static func interruptibleHost(
        _ configuration: RunbookHostConfiguration, reason: String = "interrupted by the test"
    ) -> RunbookHost {
        let host = RunbookHost(configuration: configuration)
        host.register("test.interrupt") { [weak host] _ in
            host?.cancel(reason: reason)
            return []
        }
        return host
    }

    /// The accepted phase starts (`PUT .../phases/{id}` answered 200), in order, as phase ids.
    func phaseStarts(flag: String? = nil) async -> [String] {
        await simulator.requestLog().filter {
            $0.method == "PUT" && $0.path.contains("/phases/") && $0.status == 200 && $0.processed
                && (flag == nil || $0.flagKey == flag)
        }.map { String($0.path.split(separator: "/").last ?? "") }
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
