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
    static let subcommands: Set<String> = ["run", "repl", "simulate", "doctor", "completions", "help"]

    /// The arguments to parse: `run` put in front of a first argument that names an
    /// existing file and no subcommand; `repl` for no arguments when standard input is a
    /// terminal or has data (a script piped in); nil for no arguments and nothing to read,
    /// where ldrun prints its usage.
    static func arguments(_ arguments: [String], input: Input = .current) -> [String]? {
        guard let first = arguments.first else { return input == .none ? nil : ["repl"] }
        var isDirectory: ObjCBool = false
        if !first.hasPrefix("-"), !subcommands.contains(first),
            FileManager.default.fileExists(atPath: first, isDirectory: &isDirectory), !isDirectory.boolValue
        {
            return ["run"] + arguments
        }
        return arguments
    }
}
