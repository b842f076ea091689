import ArgumentParser
import RunbookHost

@main
struct LdrunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ldrun",
        abstract: "Run LaunchDarkly release runbooks written in Lua.",
        version: LdrunVersion.current,
        subcommands: [RunCommand.self, SimulateCommand.self]
    )
}
