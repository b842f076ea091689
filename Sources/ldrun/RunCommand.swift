import ArgumentParser
import Foundation
import ReleaseCore
import RunbookHost

/// `ldrun run FILE`: runs a runbook.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a runbook.",
        discussion: """
            Flags win over environment variables (LD_ACCESS_TOKEN, LD_BASE_URI, LD_PROJECT, \
            LDRUN_PATH). `ldrun FILE` is short for `ldrun run FILE`. Exit status: 0 done, 1 the \
            runbook failed, 2 usage, configuration or syntax error, 130 interrupted.
            """
    )

    @OptionGroup var connection: ConnectionOptions

    @Option(
        name: [.customShort("a"), .customLong("arg")], help: "A runbook option key=value, as args.key (repeatable).")
    var runbookOptions: [String] = []

    @OptionGroup var options: SessionOptions

    @Option(help: "Stop the whole run after this long, e.g. 90s, 10m, 1h.")
    var timeout: String?

    @Option(help: "text, or json: print the runbook's returned value as JSON on stdout.")
    var output: OutputFormat = .text

    @Argument(help: "The runbook (a Lua 5.4 file).")
    var file: String

    @Argument(parsing: .postTerminator, help: "Arguments for the runbook, after --, as args[1], args[2], ...")
    var arguments: [String] = []

    func validate() throws {
        do {
            _ = try RunbookArguments.parse(runbookOptions)
        } catch {
            throw ValidationError(error.description)
        }
        if let timeout {
            do {
                _ = try RunbookDuration.parseChecked(timeout)
            } catch {
                throw ValidationError(
                    "--timeout expects a duration such as 90s, 10m or 1h, got '\(timeout)': \(error.message)")
            }
        }
    }

    func run() async throws {
        var settings = options.settings(connection: connection)
        // validate() has refused malformed options already.
        let runbookArguments = (try? RunbookArguments.parse(runbookOptions)) ?? [:]
        settings.configuration.arguments.merge(runbookArguments) { _, given in given }
        settings.configuration.positionalArguments = arguments
        settings.configuration.timeout = timeout.flatMap(RunbookDuration.parse)
        settings.configuration.capturesReturnedJSON = output == .json
        // Before anything starts (the simulator, a connection): a runbook that cannot be read.
        let events = settings.configuration.events
        if access(file, R_OK) != 0 {
            fail("cannot open \(file): \(String(cString: strerror(errno)))", status: 2, events: events)
        }

        var finished: RunReport?
        let outcome = await settings.withHost { host in
            let interrupts = InterruptHandler { host.cancel() }
            defer { interrupts.stop() }
            let report = await host.run(file: file)
            finished = report
            return report.outcome
        }
        if case .failed(let error) = outcome {
            fail(error.message, status: outcome.exitCode, traceback: error.traceback, code: error.code, events: events)
        }
        if let report = outcome.report { fail(report, status: outcome.exitCode, events: events) }
        if output == .json, case .succeeded = outcome, let finished {
            if let problem = finished.returnedJSONProblem {
                fail("--output json: the returned value cannot be JSON: \(problem)", status: 1, events: events)
            }
            print((finished.returnedJSON ?? .null).serialized(sortedKeys: true))
        }
        throw ExitCode(outcome.exitCode)
    }

    /// Reports how the run ended on stderr and exits with `status`: `ldrun: message` and the
    /// traceback as text, or with `--log-format json` one JSON line like every other event
    /// (`"event":"error"`, with `code`, `traceback` and `exit_status`).
    private func fail(
        _ message: String, status: Int32, traceback: String? = nil, code: String? = nil, events: any RunEventSink
    ) -> Never {
        if options.logFormat == .json {
            var fields: [String: JSONValue] = ["exit_status": .integer(Int64(status))]
            if let traceback, !traceback.isEmpty { fields["traceback"] = .string(traceback) }
            if let code { fields["code"] = .string(code) }
            events.emit(RunEvent(level: .error, name: "error", message: message, fields: fields))
        } else {
            let text = [message, traceback].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: "\n")
            FileHandle.standardError.write(Data("ldrun: \(text)\n".utf8))
        }
        Foundation.exit(status)
    }

    /// What `run` prints on stdout besides the runbook's own output.
    enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
        /// Nothing.
        case text
        /// The runbook's first returned value as one line of JSON (`null` for none).
        case json
    }
}
