import Foundation

/// How ldrun reads its command line before parsing: `ldrun FILE ...` means
/// `ldrun run FILE ...`, and plain `ldrun` opens the REPL when there is input to read.
enum Invocation {
    /// What standard input is.
    enum Input {
        /// A terminal: someone types.
        case terminal
        /// A pipe, a file or a socket: a script to run.
        case data
        /// Nothing to read (`/dev/null`, another device, closed).
        case none

        /// Standard input, now.
        static var current: Input {
            if isatty(STDIN_FILENO) != 0 { return .terminal }
            var info = stat()
            guard fstat(STDIN_FILENO, &info) == 0 else { return .none }
            let kind = info.st_mode & S_IFMT
            return kind == S_IFIFO || kind == S_IFREG || kind == S_IFSOCK ? .data : .none
        }
    }

    /// The names of the subcommands, which win over a file of the same name.
    static let subcommands: Set<String> = [
        "run", "repl", "simulate", "doctor", "completions", "check", "stubs", "test", "help",
    ]

    /// The arguments to parse: `run` put in front of a first argument that names an
    /// existing file and no subcommand; `repl` for no arguments when standard input is a
    /// terminal or has data (a script piped in); nil for no arguments and nothing to read,
    /// where ldrun prints its usage.
    ///
    /// Options may come first (`ldrun --simulate promote.lua -a flag=x`): a command line that
    /// starts with an option other than the root's own (`--help`, `--version`) is a run when
    /// one of its words before `--` names an existing file, else a REPL (when there is input).
    static func arguments(_ arguments: [String], input: Input = .current) -> [String]? {
        guard let first = arguments.first else { return input == .none ? nil : ["repl"] }
        if !first.hasPrefix("-") {
            return !subcommands.contains(first) && isFile(first) ? ["run"] + arguments : arguments
        }
        guard !rootOptions.contains(first) else { return arguments }
        if operands(arguments).contains(where: isFile) { return ["run"] + arguments }
        return input == .none ? ["run"] + arguments : ["repl"] + arguments
    }

    /// The words before `--` that are neither options nor an option's value.
    static func operands(_ arguments: [String]) -> [String] {
        var words: [String] = []
        var isValue = false
        for argument in arguments.prefix(while: { $0 != "--" }) {
            if isValue {
                isValue = false
            } else if argument.hasPrefix("-") {
                isValue = !argument.contains("=") && !flags.contains(argument)
            } else {
                words.append(argument)
            }
        }
        return words
    }

    /// The options of `ldrun` itself, before any subcommand.
    /// (`--experimental-dump-help` is what `swift package generate-manual` asks for.)
    static let rootOptions: Set<String> = [
        "-h", "--help", "--version", "--generate-completion-script", "--experimental-dump-help",
    ]

    /// The options of `run` and `repl` that take no value (InvocationCommandTests checks the
    /// list against `ldrun run --help`).
    static let flags: Set<String> = ["--simulate", "--dry-run", "--yes", "-v", "--verbose", "-h", "--help"]

    private static func isFile(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
    }
}
