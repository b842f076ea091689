import LuaBridge

/// Runs a Lua file through the bridge with the standard libraries and an `arg` table
/// (`arg[0]` the script, `arg[1...]` its arguments, also passed as `...`).
public struct ScriptRunner {
    /// The file to run.
    public var path: String
    /// Arguments given after `--`.
    public var arguments: [String]

    public init(path: String, arguments: [String] = []) {
        self.path = path
        self.arguments = arguments
    }

    /// Runs the file to its end and says how it went.
    public func run() -> RunOutcome {
        let state: LuaState
        let chunk: LuaReference
        do {
            state = try LuaState()
            chunk = try state.load(contentsOfFile: path)
        } catch {
            return .rejected(error.message)
        }
        do {
            var argTable: [LuaValue: LuaValue] = [0: .string(path)]
            for (offset, argument) in arguments.enumerated() {
                argTable[.integer(Int64(offset + 1))] = .string(argument)
            }
            try state.setGlobal("arg", .table(argTable))
            try state.call(chunk, arguments.map { .string($0) })
            return .succeeded
        } catch {
            return error.code == "interrupted" ? .interrupted : .failed(error)
        }
    }
}
