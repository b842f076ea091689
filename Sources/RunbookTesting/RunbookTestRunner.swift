import Foundation
import LuaBridge
import ReleaseCore
import RunbookHost

/// Runs runbook tests: each test of each `*_test.lua` file in a fresh session, against a
/// fresh in-process simulator, on a virtual clock of its own. `ldrun test` is this runner;
/// an embedder can use it as well.
public struct RunbookTestRunner: Sendable {
    public struct Settings: Sendable {
        /// Only tests whose name, or `file: name`, contains this (ignoring case).
        public var filter: String?
        /// Folders `require` searches before the test file's own folder (`--lib`, `LDRUN_PATH`).
        public var libraryFolders: [String] = []
        /// The most virtual time one test may take; past it, the test fails as a run past
        /// its time limit does. It stops a test that would wait forever.
        public var virtualTimeLimit: Duration = .seconds(7 * 86_400)
        /// The most real time one test may take, for code that never waits (a busy loop).
        public var realTimeLimit: Duration = .seconds(60)

        public init() {}
    }

    public let settings: Settings

    public init(settings: Settings = Settings()) {
        self.settings = settings
    }

    /// Runs every test of `files`, calling `report` after each (for a live listing), and
    /// returns all the results.
    public func run(
        files: [String], report: @Sendable (TestResult) -> Void = { _ in }
    ) async -> [TestResult] {
        var results: [TestResult] = []
        let work = FileManager.default.temporaryDirectory.appendingPathComponent(
            "ldrun-test-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString.prefix(8))"
        ).path
        defer { try? FileManager.default.removeItem(atPath: work) }
        for file in files {
            for result in await run(file: file, work: work, report: report) {
                results.append(result)
            }
        }
        return results
    }

    private func run(file: String, work: String, report: @Sendable (TestResult) -> Void) async -> [TestResult] {
        let started = ContinuousClock.now
        let listing = await execute(file: file, mode: .list, project: nil, work: work + "/list")
        guard case .listed(let cases) = listing.outcome else {
            let message: String
            switch listing.outcome {
            case .problem(let text): message = text
            default: message = "the test file returned no list of tests"
            }
            let result = TestResult(
                file: file, name: "(loading the file)", status: .failed, duration: ContinuousClock.now - started,
                failure: TestFailure(message: message, location: nil, log: listing.log))
            report(result)
            return [result]
        }
        var results: [TestResult] = []
        for (index, testCase) in cases.enumerated() {
            guard matches(file: file, name: testCase.name) else { continue }
            let caseStarted = ContinuousClock.now
            if testCase.skip {
                let result = TestResult(file: file, name: testCase.name, status: .skipped, duration: .zero)
                report(result)
                results.append(result)
                continue
            }
            let execution = await execute(
                file: file, mode: .run(index + 1), project: testCase.project, work: work + "/\(index + 1)")
            var result = TestResult(
                file: file, name: testCase.name, status: .passed, duration: ContinuousClock.now - caseStarted,
                simulated: execution.simulated)
            switch execution.outcome {
            case .passed: break
            case .skipped(let reason):
                result.status = .skipped
                result.skipReason = reason
            case .failed(var failure):
                result.status = .failed
                failure.location = failure.location ?? testCase.location
                failure.output = execution.output
                result.failure = failure
            case .problem(let message):
                result.status = .failed
                result.failure = TestFailure(
                    message: message, location: testCase.location, log: execution.log, output: execution.output)
            case .listed:
                result.status = .failed
                result.failure = TestFailure(message: "the harness listed tests instead of running one", location: nil)
            }
            report(result)
            results.append(result)
        }
        return results
    }

    private func matches(file: String, name: String) -> Bool {
        guard let filter = settings.filter, !filter.isEmpty else { return true }
        return "\(file): \(name)".localizedCaseInsensitiveContains(filter)
    }

    // MARK: One session

    private enum Outcome {
        case listed([ListedCase])
        case passed
        case skipped(String?)
        case failed(TestFailure)
        case problem(String)
    }

    private struct ListedCase {
        var name: String
        var location: String?
        var skip: Bool
        var project: String?
    }

    private struct Execution {
        var outcome: Outcome
        var log: [String] = []
        var simulated: Duration = .zero
        /// What the test and its runs printed.
        var output = ""
    }

    /// Runs the harness for `file` in a fresh session against a fresh simulator.
    private func execute(file: String, mode: TestHarness.Mode, project: String?, work: String) async -> Execution {
        try? FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        let folder = FilePaths.folder(of: file)
        let context: TestCaseContext
        do {
            context = try await TestCaseContext.start(
                folder: folder.isEmpty ? "." : folder, project: project, settings: settings, workFolder: work)
        } catch {
            return Execution(outcome: .problem("cannot start the simulator: \(error)"))
        }
        let execution = await execute(file: file, mode: mode, in: context)
        await context.stop()
        return execution
    }

    private func execute(file: String, mode: TestHarness.Mode, in context: TestCaseContext) async -> Execution {
        let host: RunbookHost
        let session: RunbookSession
        do {
            host = context.makeHost(
                try context.configuration(journal: context.sessionJournalPath), withTestFunctions: true)
            session = try host.makeSession(name: file)
        } catch {
            return Execution(outcome: .problem("cannot open a session: \(error)"))
        }
        let limit = settings.realTimeLimit
        let watchdog = Task {
            try await Task.sleep(for: limit)
            host.cancel(reason: "the test took longer than \(TestReport.format(limit)) of real time")
        }
        let result = await session.execute(TestHarness.source(file: file, mode: mode), chunkName: TestHarness.chunkName)
        watchdog.cancel()
        await session.close()
        let log = context.events.filter { $0.level >= .info }.map(Self.line)
        var execution = Execution(
            outcome: .problem("no result"), log: log, simulated: context.clock.elapsed, output: context.output)
        switch result.outcome {
        case .succeeded:
            execution.outcome = Self.outcome(of: result.returnedJSON, log: log, lastFailedRun: context.lastFailedRun)
        case .failed(let error):
            execution.outcome = .failed(
                TestFailure(
                    message: error.description, location: nil, traceback: error.traceback, log: log,
                    run: context.lastFailedRun))
        case .rejected(let message):
            execution.outcome = .problem(message)
        case .interrupted:
            execution.outcome = .failed(
                TestFailure(
                    message: context.events.last(where: { $0.name == "interrupted" })?.message ?? "interrupted",
                    location: nil, log: log, run: context.lastFailedRun))
        case .exited(let status):
            execution.outcome = .failed(
                TestFailure(message: "the test called os.exit(\(status))", location: nil, log: log))
        }
        return execution
    }

    /// Reads the table the harness returned.
    private static func outcome(of value: JSONValue?, log: [String], lastFailedRun: String?) -> Outcome {
        guard let fields = value?.objectValue else { return .problem("the harness returned nothing") }
        let text = { (key: String) in fields[key]?.stringValue }
        switch text("status") {
        case "listed":
            return .listed(
                (fields["cases"]?.arrayValue ?? []).map { item in
                    ListedCase(
                        name: item["name"]?.stringValue ?? "?", location: item["where"]?.stringValue,
                        skip: item["skip"]?.boolValue ?? false, project: item["project"]?.stringValue)
                })
        case "passed": return .passed
        case "skipped": return .skipped(text("message"))
        case "failed":
            return .failed(
                TestFailure(
                    message: text("message") ?? "failed", location: text("where"), expected: text("expected"),
                    actual: text("actual"), traceback: text("traceback"), log: log, run: lastFailedRun))
        default: return .problem(text("message") ?? "the harness returned an unknown status")
        }
    }

    private static func line(_ event: RunEvent) -> String {
        var line = "\(event.level) \(event.message)"
        let fields = event.fields.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value.serialized())" }
        if !fields.isEmpty { line += "  " + fields.joined(separator: " ") }
        return line
    }
}
