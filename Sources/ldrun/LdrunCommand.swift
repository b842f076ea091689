import ArgumentParser
import Foundation
import RunbookHost

@main
struct LdrunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ldrun",
        abstract: "Run LaunchDarkly release runbooks written in Lua.",
        discussion: """
            ldrun runs runbooks: Lua scripts that move feature flags through LaunchDarkly \
            release pipelines, safely and repeatably. `ldrun FILE` is `ldrun run FILE`; plain \
            `ldrun` opens the REPL on a terminal and runs a script piped to it.
            """,
        version: "\(LdrunVersion.current) (\(LuaState.version))",
        subcommands: [
            RunCommand.self, ReplCommand.self, SimulateCommand.self, DoctorCommand.self, CompletionsCommand.self,
            CheckCommand.self, StubsCommand.self, TestCommand.self,
        ]
    )

    /// Parses the command line (read as ``Invocation`` says) and runs the chosen command.
    /// Usage errors exit with status 2 (not ArgumentParser's 64), as ldrun documents. Plain
    /// `ldrun` with nothing to read prints the usage and exits 1, as `git` does.
    static func main() async {
        guard let arguments = Invocation.arguments(Array(CommandLine.arguments.dropFirst())) else {
            print(helpMessage())
            Foundation.exit(1)
        }
        do {
            var command = try await asyncParseAsRoot(arguments)
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            let code = exitCode(for: error)
            let message = fullMessage(for: error)
            if code == .success {
                if !message.isEmpty { print(message) }
                Foundation.exit(0)
            }
            if !message.isEmpty { FileHandle.standardError.write(Data((message + "\n").utf8)) }
            Foundation.exit(code == .validationFailure ? 2 : code.rawValue)
        }
    }
}
