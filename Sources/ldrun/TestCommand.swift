import ArgumentParser
import Foundation
import RunbookHost
import RunbookTesting

/// `ldrun test [PATH...]`: the runbook tests of a team's library, each against a fresh
/// in-process simulator on a virtual clock.
struct TestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Run runbook tests (*_test.lua) against simulated releases.",
        discussion: """
            Finds *_test.lua files under the paths given (default: ./tests and ./runbooks, \
            recursively) and runs each test in a fresh session against a fresh in-process \
            simulator, on a virtual clock: sleep, wait_until, phase.wait, timeouts and the \
            simulator's phase durations all jump ahead whenever every task waits, so a 2-hour \
            rollout takes milliseconds. A test file calls test(name, fn) or \
            test(name, scenario, fn); the test gets t, with t.scenario, t.run, t.expect, \
            t.requests, t.started_phases, t.release and more (docs/testing-runbooks.md). Prints \
            a line per test (✓, ✗ with the failed expectation's file:line, the expected and \
            actual values and the traceback) and then `N passed, N failed`. Exit status: 0 \
            when every test passed, 1 when one failed (or none matched --filter), 2 for a \
            usage error (no test files).
            """
    )

    @Argument(help: "Test files, or folders searched recursively for *_test.lua (default: tests and runbooks).")
    var paths: [String] = []

    @Option(
        help: ArgumentHelp(
            "Run only the tests whose name (or FILE: NAME) contains this, ignoring case.", valueName: "text"))
    var filter: String?

    @Option(help: ArgumentHelp("Also write the results as JUnit XML to this file.", valueName: "file"))
    var junit: String?

    @Option(
        help: ArgumentHelp(
            "A folder searched by require before the test file's own (repeatable; also LDRUN_PATH).",
            valueName: "folder"))
    var lib: [String] = []

    @Flag(help: "Print only failures and the summary.")
    var quiet = false

    func run() async throws {
        let searched =
            paths.isEmpty ? TestFiles.defaultFolders.filter { FileManager.default.fileExists(atPath: $0) } : paths
        let (files, missing) = TestFiles.discover(searched)
        if let path = missing.first { throw Self.usage("\(path): no such file or folder") }
        guard !files.isEmpty else {
            let places = searched.isEmpty ? "./tests or ./runbooks (neither exists)" : searched.joined(separator: ", ")
            throw Self.usage("no *_test.lua files in \(places)")
        }
        var settings = RunbookTestRunner.Settings()
        settings.filter = filter
        let environment = ProcessInfo.processInfo.environment
        settings.libraryFolders =
            lib + (environment["LDRUN_PATH"] ?? "").split(separator: ";").map(String.init).filter { !$0.isEmpty }
        let started = ContinuousClock.now
        let printer = ResultPrinter(quiet: quiet)
        let results = await RunbookTestRunner(settings: settings).run(files: files) { printer.print($0) }
        if let junit {
            do {
                try TestReport.junit(results).write(toFile: junit, atomically: true, encoding: .utf8)
            } catch {
                FileHandle.standardError.write(
                    Data("ldrun test: cannot write --junit \(junit): \(error.localizedDescription)\n".utf8))
                throw ExitCode(2)
            }
        }
        if results.isEmpty, let filter {
            print("no test matches --filter \(filter)")
            throw ExitCode(1)
        }
        FileHandle.standardOutput.write(
            Data((TestReport.summary(results, duration: ContinuousClock.now - started) + "\n").utf8))
        throw ExitCode(results.contains { $0.status == .failed } ? 1 : 0)
    }

    static func usage(_ message: String) -> ExitCode {
        FileHandle.standardError.write(Data("ldrun test: \(message)\n".utf8))
        return ExitCode(2)
    }
}

/// Prints each result as it comes, with its file's name before the first of the file.
private final class ResultPrinter: @unchecked Sendable {
    private let quiet: Bool
    private var lastFile: String?

    init(quiet: Bool) { self.quiet = quiet }

    func print(_ result: TestResult) {
        if quiet && result.status != .failed { return }
        let lines = TestReport.lines(for: result, showingFile: result.file != lastFile)
        lastFile = result.file
        FileHandle.standardOutput.write(Data((lines.joined(separator: "\n") + "\n").utf8))
    }
}
