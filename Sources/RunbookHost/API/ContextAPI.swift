import LuaBridge
import ReleaseCore

/// `args`, `ldrun.*` (context and helpers the prelude uses).
enum ContextAPI {
    static func register(_ context: RunContext) throws(LuaError) {
        let configuration = context.configuration
        var args: [LuaValue: LuaValue] = [:]
        for (key, value) in configuration.arguments { args[.string(key)] = .string(value) }
        for (offset, value) in configuration.positionalArguments.enumerated() {
            args[.integer(Int64(offset + 1))] = .string(value)
        }
        try context.state.setGlobal("args", .table(args))
        // `arg`, as the standalone Lua interpreter sets it: the script, then its arguments.
        var arg: [LuaValue: LuaValue] = [0: .string(context.runbook)]
        for (offset, value) in configuration.positionalArguments.enumerated() {
            arg[.integer(Int64(offset + 1))] = .string(value)
        }
        try context.state.setGlobal("arg", .table(arg))
        try context.state.setGlobal("ldrun.dry_run", .boolean(configuration.dryRun))
        try context.state.setGlobal("ldrun.version", .string(LdrunVersion.current))
        try context.state.setGlobal("ldrun.runbook", .string(context.runbook))
        if let project = configuration.client.defaultProject {
            try context.state.setGlobal("ldrun.project", .string(project))
        }

        context.bind("ldrun.duration") { _, call in
            if let seconds = call.numberIfGiven(at: 1) {
                // Seconds: checked and rounded to the millisecond as a Duration would be.
                do {
                    return .value(.number(try RunbookDuration.rounded(seconds: seconds)))
                } catch let invalid as RunbookDuration.Invalid {
                    throw call.argumentError(1, invalid.message)
                }
            }
            return .values([.number(RunbookDuration.seconds(try RunbookDuration.argument(call, 1)))])
        }

        // ldrun.options(opts, known, fname [, argument]): `opts` (or an empty table for nil),
        // refused with a bad argument located at the caller of `fname` when it is not a
        // table or has a key not in `known`.
        context.bind("ldrun.options") { _, call in
            let known: [String]
            switch try call.value(at: 2) {
            case .array(let names): known = names.compactMap(\.stringValue)
            case .table(let names): known = names.values.compactMap(\.stringValue)
            default: throw call.typeError(2, expected: "table")
            }
            let function = try call.string(at: 3)
            let argument = call.isAbsent(4) ? 2 : Int32(clamping: try call.integer(at: 4))
            let problem: String
            switch call.type(at: 1) {
            case .nil:
                return .values([.table([:])])
            case .table:
                guard let found = OptionKeys.problem(in: try call.value(at: 1), known: known) else {
                    call.stack.pushCopy(of: 1)
                    return .pushed(1)
                }
                problem = found
            default:
                problem = "table expected, got \(call.type(at: 1))"
            }
            // Located at the caller of `function`, as its own bad arguments would be.
            call.stack.push(
                error: .badArgument(argument, to: function, problem), location: call.stack.location(level: 2))
            return .raise
        }

        // ldrun.error(code, message [, fields [, level]]): an error table like the host's own,
        // located `level` functions up (1 = the caller of ldrun.error).
        context.bind("ldrun.error") { _, call in
            let code = try call.string(at: 1)
            let message = try call.string(at: 2)
            var fields: [String: LuaValue] = [:]
            if case .table(let entries)? = try call.optionalTable(at: 3) {
                for (key, value) in entries { if case .string(let name) = key { fields[name] = value } }
            }
            let level = call.isAbsent(4) ? 1 : try call.integer(at: 4)
            let location = call.stack.location(level: Int32(clamping: level))
            call.stack.push(error: LuaHostError(code: code, message: message, fields: fields), location: location)
            return .pushed(1)
        }
    }
}
