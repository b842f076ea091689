import Foundation
import LuaBridge
import ReleaseCore
import ReleaseSimulator
import RunbookHost
import Synchronization

/// One test's world: its simulator, its virtual clock, its scripted answers, and the
/// `ldrun_test` functions the harness builds `t` from. Everything a test does stays here;
/// the next test gets a new one.
final class TestCaseContext: Sendable {
    let server: SimulatorServer
    let clock: VirtualClock
    /// The test file's folder: seeds and runbook paths are looked up there after the
    /// working directory.
    let folder: String
    /// The project of the test's session (the scenario cannot change it once it runs).
    let project: String
    let settings: RunbookTestRunner.Settings
    private let state: Mutex<State>
    private let workFolder: String

    private struct State {
        var scenario: TestScenario
        var questions: [String] = []
        var answered = 0
        var runs = 0
        /// The last `t.run` that failed: its error and traceback, shown with a failed test.
        var lastFailedRun: String?
        var events: [RunEvent] = []
        /// What the test and its runs printed.
        var output = ""
    }

    /// The time virtual clocks start at: 2026-01-01T00:00:00Z, so dates in a test's data do
    /// not depend on when it runs.
    static let startEpochMillis: Int64 = 1_767_225_600_000

    static func start(
        folder: String, project: String?, settings: RunbookTestRunner.Settings, workFolder: String
    ) async throws -> TestCaseContext {
        let clock = VirtualClock(epochMillis: startEpochMillis)
        var scenario = TestScenario()
        scenario.project = project
        let server = try await SimulatorServer.start(
            scenario.simulatorConfiguration(now: { clock.epochMillis() }))
        return TestCaseContext(
            server: server, clock: clock, folder: folder, project: project ?? "demo", settings: settings,
            scenario: scenario, workFolder: workFolder)
    }

    private init(
        server: SimulatorServer, clock: VirtualClock, folder: String, project: String,
        settings: RunbookTestRunner.Settings, scenario: TestScenario, workFolder: String
    ) {
        self.server = server
        self.clock = clock
        self.folder = folder
        self.project = project
        self.settings = settings
        self.workFolder = workFolder
        state = Mutex(State(scenario: scenario))
    }

    func stop() async { await server.stop() }

    /// What the test's session and its runs logged.
    var events: [RunEvent] { state.withLock { $0.events } }
    var lastFailedRun: String? { state.withLock { $0.lastFailedRun } }
    var output: String { state.withLock { $0.output } }

    /// The journal of the test's own session.
    var sessionJournalPath: String { workFolder + "/session.jsonl" }

    // MARK: Hosts

    /// The configuration of the test's session and of its runs: the simulator, the virtual
    /// clock, quick retries, scripted answers, captured events.
    func configuration(journal: String, output: (@Sendable (String) -> Void)? = nil) throws
        -> RunbookHostConfiguration
    {
        var client = ReleaseClientConfiguration(
            accessToken: server.accessToken, baseURL: try BaseURL(server.baseURL), defaultProject: project)
        // Retry back-off and a 429's Retry-After wait on the test's clock, as the run's
        // own waits do: a test of a failing or rate-limited API waits no real time.
        client.sleep = { [clock] delay in try await clock.sleep(for: delay) }
        client.now = { [clock] in clock.epochMillis() }
        client.timeouts = .init(connect: .seconds(10), request: .seconds(30))
        let events = ClosureEventSink { [weak self] event in self?.state.withLock { $0.events.append(event) } }
        // What the core logs (a dialect's fallback, a retry) belongs to the test's log too.
        client.logger = EventLogHandler.logger(label: "ldrun.release-core", sink: events)
        var configuration = RunbookHostConfiguration(client: client, events: events)
        configuration.clock = clock
        configuration.timeout = settings.virtualTimeLimit
        configuration.journalPath = journal
        configuration.libraryFolders = settings.libraryFolders + TestFiles.moduleFolders(forTestsIn: folder)
        configuration.capturesReturnedJSON = true
        configuration.output = { [weak self] text in
            output?(text)
            self?.state.withLock { $0.output += text }
        }
        configuration.confirmation = .ask { [weak self] question in self?.answer(question) ?? false }
        let scenario = state.withLock { $0.scenario }
        configuration.arguments = scenario.arguments
        configuration.positionalArguments = scenario.positionalArguments
        configuration.environment = scenario.environment
        return configuration
    }

    /// A host with the `ldrun_test` functions (for the harness) and the simulator's `sim.*`.
    func makeHost(_ configuration: RunbookHostConfiguration, withTestFunctions: Bool) -> RunbookHost {
        let host = RunbookHost(configuration: configuration)
        SimulatorFunctions.register(server, on: host, project: project)
        if withTestFunctions { registerTestFunctions(on: host) }
        return host
    }

    /// The scripted answer to a `confirm` question: the next one, or yes with `yes = true`;
    /// no (with a warning) when the script has run out.
    private func answer(_ question: String) -> Bool {
        let (answer, exhausted) = state.withLock { state -> (Bool, Bool) in
            state.questions.append(question)
            guard let answers = state.scenario.answers else { return (true, false) }
            guard state.answered < answers.count else { return (false, true) }
            state.answered += 1
            return (answers[state.answered - 1], false)
        }
        if exhausted {
            state.withLock {
                $0.events.append(
                    RunEvent(
                        level: .warn, name: "test.confirm",
                        message: "confirm(\"\(question)\"): no scripted answer left, answered no"))
            }
        }
        return answer
    }

    // MARK: The `ldrun_test` functions

    private func registerTestFunctions(on host: RunbookHost) {
        host.register("ldrun_test.scenario") { [self] arguments in
            let scenario = try await scenario(arguments.first ?? .nil)
            // The session's own `args` and `os.getenv` follow the scenario (the harness sets them).
            var args: [LuaValue: LuaValue] = [:]
            for (key, value) in scenario.arguments { args[.string(key)] = .string(value) }
            for (index, value) in scenario.positionalArguments.enumerated() {
                args[.integer(Int64(index + 1))] = .string(value)
            }
            var env: [LuaValue: LuaValue] = [:]
            for (key, value) in scenario.environment { env[.string(key)] = .string(value) }
            return [.table(args), .table(env)]
        }
        host.register("ldrun_test.run") { [self] arguments in
            guard let path = arguments.first?.stringValue else {
                throw LuaHostError(code: "bad_argument", message: "bad argument #1 to 't.run' (runbook path expected)")
            }
            return [
                try await run(
                    path, arguments.count > 1 ? arguments[1] : .nil, options: arguments.count > 2 ? arguments[2] : .nil)
            ]
        }
        host.register("ldrun_test.requests") { [self] arguments in
            [try await requests(arguments.first ?? .nil)]
        }
        host.register("ldrun_test.started_phases") { [self] arguments in
            guard let flag = arguments.first?.stringValue else {
                throw LuaHostError(
                    code: "bad_argument", message: "bad argument #1 to 't.started_phases' (flag key expected)")
            }
            return [await startedPhases(flag)]
        }
        host.register("ldrun_test.release") { [self] arguments in
            guard let flag = arguments.first?.stringValue else {
                throw LuaHostError(code: "bad_argument", message: "bad argument #1 to 't.release' (flag key expected)")
            }
            guard let data = await server.releaseJSON(project: project, flag: flag) else { return [.nil] }
            return [.string(String(decoding: data, as: UTF8.self))]
        }
        for name in ["approve", "regress", "complete"] {
            host.register("ldrun_test.\(name)") { [self] arguments in
                guard let flag = arguments.first?.stringValue else {
                    throw LuaHostError(
                        code: "bad_argument", message: "bad argument #1 to 't.\(name)' (flag key expected)")
                }
                let phase = arguments.count > 1 ? (arguments[1].stringValue ?? arguments[1]["_id"].stringValue) : nil
                do {
                    switch name {
                    case "approve": try await server.approve(project: project, flag: flag, phaseId: phase)
                    case "regress": try await server.regress(project: project, flag: flag, phaseId: phase)
                    default: try await server.complete(project: project, flag: flag, phaseId: phase)
                    }
                } catch let error as SimulatorError {
                    throw LuaHostError(code: error.code, message: "t.\(name): \(error.message)")
                }
                return [.boolean(true)]
            }
        }
        host.register("ldrun_test.questions") { [self] _ in
            [.array(state.withLock { $0.questions }.map { .string($0) })]
        }
        host.register("ldrun_test.elapsed") { [self] _ in
            let (seconds, attoseconds) = clock.elapsed.components
            return [.number(Double(seconds) + Double(attoseconds) / 1e18)]
        }
        host.register("ldrun_test.journal") { [self] _ in
            [.array(Self.journalRecords(at: sessionJournalPath))]
        }
    }

    /// `t.scenario{...}`: starts the simulator over as the scenario describes. Only before
    /// the test's first request, so everything the test sees comes from one scenario.
    private func scenario(_ table: LuaValue) async throws -> TestScenario {
        let scenario = try TestScenario(table, folder: folder, defaultProject: project)
        if let asked = scenario.project, asked != project {
            throw TestScenario.problem(
                "project: the test's session already works on '\(project)'; give the project in "
                    + "test(name, {project = \"\(asked)\"}, fn)")
        }
        let started = state.withLock { $0.runs }
        guard await server.requestLog().isEmpty, started == 0 else {
            throw TestScenario.problem("t.scenario must come before the test's first API call or t.run")
        }
        await server.reconfigure(scenario.simulatorConfiguration(now: { [clock] in clock.epochMillis() }))
        for release in scenario.releases {
            do {
                try await server.prepare(release, project: project)
            } catch let error as SimulatorError {
                throw TestScenario.problem("releases.\(release.flag): \(error.message)")
            }
        }
        state.withLock { $0.scenario = scenario }
        return scenario
    }

    /// `t.run(path, args)`: runs a runbook file as `ldrun run` would, in a host of its own on
    /// the test's simulator and clock, and returns how it went.
    private func run(_ path: String, _ given: LuaValue, options: LuaValue) async throws -> LuaValue {
        if case .table(let entries) = options, let key = entries.keys.first(where: { $0 != "env" }) {
            throw LuaHostError(
                code: "bad_argument",
                message:
                    "bad argument #3 to 't.run' (unknown option '\(key.stringValue ?? key.typeName)'; options: env)")
        }
        let file = TestFiles.resolve(path, in: folder, preferringWorkingDirectory: true)
        guard FileManager.default.fileExists(atPath: file) else {
            throw LuaHostError(
                code: "bad_argument",
                message: "bad argument #1 to 't.run' (no runbook '\(path)' in the working directory or in \(folder))")
        }
        let number = state.withLock { state -> Int in
            state.runs += 1
            return state.runs
        }
        let journal = workFolder + "/run-\(number).jsonl"
        let printed = Mutex("")
        var configuration = try self.configuration(journal: journal) { text in printed.withLock { $0 += text } }
        let (named, positional) = try TestScenario.arguments(given, "args", function: "t.run", argument: 2)
        configuration.arguments.merge(named) { _, new in new }
        if !positional.isEmpty { configuration.positionalArguments = positional }
        if options["env"] != .nil {
            configuration.environment?.merge(
                try TestScenario.arguments(options["env"], "env", function: "t.run", argument: 3).0
            ) { _, new in new
            }
        }
        let host = makeHost(configuration, withTestFunctions: false)
        // The run's operations hold time still in its own scope, not in the calling test's.
        let report = await VirtualClock.$operationScope.withValue(nil) { await host.run(file: file) }
        var result: [LuaValue: LuaValue] = [
            "status": .integer(Int64(report.outcome.exitCode)),
            "journal": .array(Self.journalRecords(at: journal)),
            "output": .string(printed.withLock { $0 }),
        ]
        if let value = report.returnedJSON { result["value"] = .string(value.serialized()) }
        switch report.outcome {
        case .succeeded, .exited: break
        case .failed(let error):
            var table: [LuaValue: LuaValue] = [:]
            if case .table(let fields) = error.value ?? .nil { table = fields }
            table["message"] = table["message"] ?? .string(error.message)
            if let traceback = error.traceback { table["traceback"] = .string(traceback) }
            result["error"] = .table(table)
            state.withLock { $0.lastFailedRun = "t.run(\"\(path)\") failed: \(error.description)" }
        case .rejected(let message):
            result["error"] = .table(["code": "rejected", "message": .string(message)])
            state.withLock { $0.lastFailedRun = "t.run(\"\(path)\") did not start: \(message)" }
        case .interrupted:
            result["error"] = .table(["code": "interrupted", "message": "interrupted"])
            state.withLock { $0.lastFailedRun = "t.run(\"\(path)\") was interrupted" }
        }
        return .table(result)
    }

    /// `t.requests{method =, route =, flag =, status =, path =}`: the simulator's request
    /// log, filtered (`path`: a part of the path).
    private func requests(_ filter: LuaValue) async throws -> LuaValue {
        let known = ["method", "route", "flag", "status", "path"]
        if case .table(let entries) = filter {
            for key in entries.keys where !known.contains(key.stringValue ?? "") {
                throw LuaHostError(
                    code: "bad_argument",
                    message: "bad argument #1 to 't.requests' (unknown key '\(key.stringValue ?? key.typeName)'; "
                        + "keys: \(known.joined(separator: ", ")))")
            }
        }
        let method = filter["method"].stringValue?.uppercased()
        let route = filter["route"].stringValue
        let flag = filter["flag"].stringValue
        let status = filter["status"].integerValue
        let pattern = filter["path"].stringValue
        let records = await server.requestLog().filter { record in
            (method == nil || record.method == method)
                && (route == nil || record.route?.rawValue == route)
                && (flag == nil || record.flagKey == flag)
                && (status == nil || record.status.map(Int64.init) == status)
                && (pattern == nil || record.path.contains(pattern ?? ""))
        }
        return .array(
            records.map { record in
                var table: [LuaValue: LuaValue] = [
                    "method": .string(record.method), "path": .string(record.path),
                ]
                if let query = record.query { table["query"] = .string(query) }
                if let route = record.route { table["route"] = .string(route.rawValue) }
                if let flag = record.flagKey { table["flag"] = .string(flag) }
                if let status = record.status { table["status"] = .integer(Int64(status)) }
                if let body = record.body { table["body"] = .string(body) }
                if let fault = record.fault { table["fault"] = .string(fault) }
                return .table(table)
            })
    }

    /// The phases of a flag whose start the server accepted, in order, by name.
    private func startedPhases(_ flag: String) async -> LuaValue {
        var names: [LuaValue] = []
        for record in await server.requestLog()
        where record.route == .phaseStart && record.flagKey == flag && (200..<300).contains(record.status ?? 0) {
            let id = String(record.path.split(separator: "/").last ?? "")
            names.append(.string(await server.phaseName(project: project, flag: flag, id: id) ?? id))
        }
        return .array(names)
    }

    /// The lines of a journal file, each a JSON text.
    static func journalRecords(at path: String) -> [LuaValue] {
        guard let data = FileManager.default.contents(atPath: path) else { return [] }
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map { .string(String($0)) }
    }
}
