import ArgumentParser
import Foundation
import RunbookHost

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a runbook.",
        discussion: """
            Exit status: 0 done, 1 the runbook failed, 2 usage, configuration or syntax \
            error, 130 interrupted.
            """
    )

    @Argument(help: "The runbook (a Lua 5.4 file).")
    var file: String

    @Argument(parsing: .postTerminator, help: "Arguments for the runbook, after --.")
    var arguments: [String] = []

    func run() async throws {
        let outcome = ScriptRunner(path: file, arguments: arguments).run()
        if let report = outcome.report {
            FileHandle.standardError.write(Data("ldrun: \(report)\n".utf8))
        }
        throw ExitCode(outcome.exitCode)
    }
}
