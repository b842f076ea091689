import ArgumentParser

/// `ldrun completions bash|zsh|fish`: prints a shell completion script.
struct CompletionsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "completions",
        abstract: "Print a shell completion script for bash, zsh or fish.",
        discussion: """
            For example: ldrun completions bash > ~/.local/share/bash-completion/completions/ldrun, \
            ldrun completions zsh > ~/.zfunc/_ldrun, \
            ldrun completions fish > ~/.config/fish/completions/ldrun.fish.
            """
    )

    @Argument(help: "The shell: bash, zsh or fish.")
    var shell: String

    func validate() throws {
        guard CompletionShell(rawValue: shell) != nil else {
            throw ValidationError("completions expects bash, zsh or fish, not '\(shell)'")
        }
    }

    func run() throws {
        guard let shell = CompletionShell(rawValue: shell) else { return }
        print(LdrunCommand.completionScript(for: shell), terminator: "")
    }
}
