import Foundation
import LuaBridge
import ReleaseCore
import ReleaseSimulator
import RunbookHost
import Synchronization
import Testing

/// Runs runbooks that use the shipped library (`runbooks/lib`) and the examples
/// (`runbooks/examples`) through the embeddable host, against a simulator started for the
/// test on a loopback port with the demo seed.
///
/// Runbooks get three extra functions, registered through the embedding API:
/// `sim.approve(flag, phase_id?)`, `sim.regress(flag, phase_id?)` and
/// `sim.complete(flag, phase_id?)` drive the simulator like its `/_sim/` endpoints;
/// `test.capture(text)` hands a string back to the test; `test.interrupt()` cancels the run.
struct LibraryHarness: Sendable {
    static let project = "demo"
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let libraryFolder = repository.appendingPathComponent("runbooks/lib").path
    static let examplesFolder = repository.appendingPathComponent("runbooks/examples").path

    let server: SimulatorServer
    /// The virtual clock runs and the simulator share, if they do.
    var clock: VirtualClock?

    /// Runs `body` against a fresh simulator. By default phases complete on the next request
    /// unless they wait for an approval; a guarded phase can only be made to regress while it
    /// runs, so tests of regressions give phases a duration.
    static func withSimulator<Result>(
        seed: SimulatorSeed = .demo,
        phaseDuration: Duration = .zero,
        dialect: SimulatorDialect = .observed,
        faults: String? = nil,
        clock: VirtualClock? = nil,
        _ body: (LibraryHarness) async throws -> Result
    ) async throws -> Result {
        var configuration = SimulatorConfiguration(
            seed: seed, phaseDuration: phaseDuration, dialect: dialect,
            faults: try faults.map { try FaultPlan(spec: $0) } ?? .none)
        if let clock { configuration.now = { clock.epochMillis() } }
        let server = try await SimulatorServer.start(configuration)
        do {
            var harness = LibraryHarness(server: server)
            harness.clock = clock
            let result = try await body(harness)
            await server.stop()
            return result
        } catch {
            await server.stop()
            throw error
        }
    }

    /// How a run is set up.
    struct Options {
        var arguments: [String: String] = [:]
        var positional: [String] = []
        var dryRun = false
        var confirmation: RunbookHostConfiguration.Confirmation = .assumeYes
        var libraryFolders: [String] = [LibraryHarness.libraryFolder]
        var journalPath: String?
        /// The run's default project (`--project`).
        var project: String? = LibraryHarness.project
    }

    /// What a run produced.
    struct Run {
        var report: RunReport
        var events: [RunEvent]
        var captured: [String]

        var succeeded: Bool { report.outcome.exitCode == 0 }
        var exitCode: Int32 { report.outcome.exitCode }

        /// The `code` of the error that failed the run.
        var errorCode: String? {
            if case .failed(let error) = report.outcome { return error.code }
            return nil
        }

        /// The failure as the operator sees it.
        var failure: String { report.outcome.report ?? "" }

        /// Every event message, one per line, for `contains` checks and failure output.
        var transcript: String { events.map { "\($0.level) \($0.name): \($0.message)" }.joined(separator: "\n") }

        /// The captured string at `index`, parsed as JSON.
        func capturedJSON(_ index: Int = 0) throws -> JSONValue {
            try #require(captured.indices.contains(index), "nothing captured at \(index)\n\(transcript)")
            return try JSONValue(parsing: captured[index])
        }
    }

    func configuration(_ options: Options, events: any RunEventSink) throws -> RunbookHostConfiguration {
        var client = ReleaseClientConfiguration(
            accessToken: server.accessToken, baseURL: try BaseURL(server.baseURL), defaultProject: options.project)
        client.retry = RetryPolicy(maxAttempts: 2, baseDelay: .milliseconds(5), maxDelay: .milliseconds(20))
        var configuration = RunbookHostConfiguration(client: client, events: events)
        configuration.dryRun = options.dryRun
        configuration.confirmation = options.confirmation
        configuration.arguments = options.arguments
        configuration.positionalArguments = options.positional
        configuration.libraryFolders = options.libraryFolders
        configuration.journalPath = options.journalPath
        configuration.timeout = .seconds(60)
        configuration.clock = clock
        return configuration
    }

    /// Runs Lua source.
    func run(_ source: String, _ options: Options = Options()) async throws -> Run {
        try await run(options) { host in await host.run(source: source, name: "test.lua") }
    }

    /// Runs a file of `runbooks/examples`.
    func run(example file: String, _ options: Options = Options()) async throws -> Run {
        let path = (Self.examplesFolder as NSString).appendingPathComponent(file)
        return try await run(options) { host in await host.run(file: path) }
    }

    private func run(_ options: Options, _ body: (RunbookHost) async -> RunReport) async throws -> Run {
        let events = Recorder<RunEvent>()
        let captured = Recorder<String>()
        let host = RunbookHost(
            configuration: try configuration(options, events: ClosureEventSink { events.append($0) }))
        register(on: host, captured: captured)
        let report = await body(host)
        return Run(report: report, events: events.values, captured: captured.values)
    }

    private func register(on host: RunbookHost, captured: Recorder<String>) {
        let server = server
        let actions: [(String, @Sendable (String, String?) async throws -> Void)] = [
            ("approve", { try await server.approve(project: Self.project, flag: $0, phaseId: $1) }),
            ("regress", { try await server.regress(project: Self.project, flag: $0, phaseId: $1) }),
            ("complete", { try await server.complete(project: Self.project, flag: $0, phaseId: $1) }),
        ]
        for (name, action) in actions {
            host.register("sim.\(name)") { arguments in
                guard let flag = arguments.first?.stringValue else {
                    throw LuaHostError(code: "bad_argument", message: "sim.\(name): flag key expected")
                }
                do {
                    try await action(flag, arguments.count > 1 ? arguments[1].stringValue : nil)
                } catch let error as SimulatorError {
                    throw LuaHostError(code: error.code, message: "sim.\(name): \(error.message)")
                }
                return []
            }
        }
        host.register("test.capture") { arguments in
            captured.append(arguments.first?.stringValue ?? "")
            return []
        }
        host.register("test.interrupt") { [weak host] _ in
            host?.cancel(reason: "interrupted by the test")
            return []
        }
    }

    // MARK: Reading the simulator, independently of the Lua code under test

    /// The flag's release as the simulator has it, or nil.
    func release(_ flag: String) async throws -> Release? {
        let client = try ReleaseClient(
            configuration: ReleaseClientConfiguration(
                accessToken: server.accessToken, baseURL: try BaseURL(server.baseURL), defaultProject: Self.project))
        do {
            let release = try await client.releaseResolvingApprovals(flag: flag)
            try await client.shutdown()
            return release
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    /// The state of each phase of the flag's release by the core's rule (`phase.state`'s
    /// words; empty when it has none).
    func phaseStates(_ flag: String) async throws -> [String] {
        guard let release = try await release(flag) else { return [] }
        return release.phases.map { PhaseSelector.state(of: $0, in: release).rawValue }
    }

    /// The phase states of a finished three-phase release: the observed dialect never
    /// completes the last phase, it stays rolled out.
    static func finished(_ dialect: SimulatorDialect) -> [String] {
        ["complete", "complete", dialect == .spec ? "complete" : "rolled_out"]
    }

    /// The phase states of a three-phase release promoted up to its second phase.
    static func upToSecond(_ dialect: SimulatorDialect) -> [String] {
        ["complete", dialect == .spec ? "complete" : "rolled_out", "ready"]
    }

    /// The phase starts the simulator accepted for `flag` (a start value it refused is not one).
    func acceptedStarts(_ flag: String) async -> [SimulatorRequestRecord] {
        await requests(.phaseStart, flag: flag).filter { $0.status == 200 }
    }

    /// The status of each phase of the flag's release, in the spec's spelling whichever
    /// dialect the simulator speaks (empty when it has none).
    func phaseStatuses(_ flag: String) async throws -> [String] {
        try await release(flag)?.phases.map(\.status.rawValue) ?? []
    }

    /// The API requests the simulator received for a route, e.g. `.phaseStart`.
    func requests(_ route: SimulatorRoute, flag: String? = nil) async -> [SimulatorRequestRecord] {
        await server.requestLog().filter { $0.route == route && (flag == nil || $0.flagKey == flag) }
    }

    /// The demo seed with `count` more boolean flags named `prefix-01`, `prefix-02`, ...
    static func demoSeed(extraFlags count: Int, prefix: String = "bulk") throws -> SimulatorSeed {
        let object = try JSONSerialization.jsonObject(with: Data(SimulatorSeed.demoSeedJSON.utf8))
        guard var root = object as? [String: Any], var projects = root["projects"] as? [[String: Any]],
            var flags = projects[0]["flags"] as? [[String: Any]]
        else { throw LuaHostError(code: "seed", message: "unexpected demo seed layout") }
        for number in 1...count {
            flags.append(["key": String(format: "%@-%02d", prefix, number)])
        }
        projects[0]["flags"] = flags
        root["projects"] = projects
        return try SimulatorSeed(json: try JSONSerialization.data(withJSONObject: root))
    }
}

/// Values collected from any thread during a run.
final class Recorder<Value: Sendable>: Sendable {
    private let storage = Mutex<[Value]>([])

    func append(_ value: Value) { storage.withLock { $0.append(value) } }

    var values: [Value] { storage.withLock { $0 } }
}

@Suite("Library harness")
struct LibraryHarnessTests {
    static let modules = [
        "ldrun.util", "ldrun.resolve", "ldrun.promote", "ldrun.bulk", "ldrun.report", "ldrun.cleanup",
    ]

    @Test("every library module loads, returns a table and leaks no global", arguments: modules)
    func moduleLoads(_ module: String) async throws {
        try await LibraryHarness.withSimulator { sim in
            let run = try await sim.run(
                """
                local before = {}
                for k in pairs(_G) do before[k] = true end
                local m = require "\(module)"
                assert(type(m) == "table", "module returned " .. type(m))
                local leaked = {}
                for k in pairs(_G) do
                  if not before[k] then leaked[#leaked + 1] = tostring(k) end
                end
                assert(#leaked == 0, "globals leaked: " .. table.concat(leaked, ", "))
                """)
            #expect(run.succeeded, "\(run.failure)\n\(run.transcript)")
        }
    }

    @Test("the library's files are all on the module list above")
    func moduleListIsComplete() throws {
        let folder = URL(fileURLWithPath: LibraryHarness.libraryFolder).appendingPathComponent("ldrun")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter {
            $0.hasSuffix(".lua") && !$0.hasSuffix("_test.lua")  // the library's tests stay out of it
        }
        let names = Set(files.map { "ldrun." + $0.dropLast(4) })
        #expect(names == Set(Self.modules))
    }
}
