/// The runbook API as data: every function, method and value the host gives a runbook, with
/// its parameters, their types, the keys of its option tables and what it returns.
///
/// `ldrun check` (argument counts, literal types, option keys), `ldrun stubs` (LuaLS
/// definitions and the luacheck standard) and the tests that hold docs/lua-api.md and the
/// functions the host binds to it all read this one table, so none of them can drift. The
/// prose of each entry stays in docs/lua-api.md (``APIReference``).
package struct HostAPI: Sendable {
    package let functions: [Function]
    package let values: [Value]

    /// The API of ldrun's host: the Swift-bound functions, the prelude's Lua ones, task
    /// methods, and `sim.*` (only under `--simulate`).
    package static let builtIn = HostAPI(functions: HostAPIEntries.functions, values: HostAPIEntries.values)

    /// The function (or method) called `name`: `phase.start`, `sleep`, `task:wait`.
    package func function(named name: String) -> Function? {
        functions.first { $0.name == name }
    }

    /// The globals the API defines: `release`, `phase`, ..., `sleep`, `args`.
    package var globals: [String] {
        var names: [String] = []
        for name in runbookNames {
            let global = String(name.prefix { $0 != "." })
            if !names.contains(global) { names.append(global) }
        }
        return names
    }

    /// The fields of a global table (`phase` → `next`, `active`, ...), empty for a function
    /// or for a table with fields of its own (`args`).
    package func fields(of table: String) -> [String] {
        let prefix = table + "."
        return runbookNames.filter { $0.hasPrefix(prefix) }.map { String($0.dropFirst(prefix.count)) }
    }

    /// The names of ldrun's own functions and values (not methods, not the standard
    /// functions it replaces).
    private var runbookNames: [String] {
        functions.filter { $0.origin != .method && $0.origin != .standard }.map(\.name) + values.map(\.name)
    }

    /// A runbook API function: `phase.wait(target [, phase [, options]])`.
    package struct Function: Sendable {
        /// `phase.start`, `sleep`, or `task:wait` for a method of a host value.
        package let name: String
        /// The signature as the heading in docs/lua-api.md writes it.
        package let signature: String
        package let parameters: [Parameter]
        /// Whether it takes any number of further arguments (`spawn(fn, ...)`).
        package let variadic: Bool
        /// The keys of the table form (`release.create{flag=, pipeline=}`): a table given as
        /// the only argument instead of the positional ones.
        package let tableForm: [Option]?
        package let returns: [Return]
        package let origin: Origin
    }

    /// Where a function comes from.
    package enum Origin: Sendable, Equatable {
        /// Bound from Swift (`RunContext.bind`): listed in `RunbookSession.boundFunctionNames`.
        case host
        /// Defined in Lua by the prelude (`wait_until`, `parallel`, `ldrun.pretty`).
        case prelude
        /// A method of a host value (`task:wait`).
        case method
        /// Exists only under `--simulate` (`sim.approve`).
        case simulator
        /// A standard Lua function the sandbox replaces (`os.exit`): not stubbed, Lua's own
        /// definition stands.
        case standard
    }

    /// One positional parameter.
    package struct Parameter: Sendable {
        package let name: String
        package let type: ValueType
        package let optional: Bool
        /// The keys of a table given here (`phase.wait`'s options, a `{flag=, project=}`
        /// target), when the host reads known keys; nil when any table goes.
        package let options: [Option]?
        /// The class the stubs declare for that table (`ldrun.PhaseWaitOptions`).
        package let optionsClass: String?
    }

    /// A key of an options table or of a table form.
    package struct Option: Sendable {
        package let name: String
        package let type: ValueType
        package let required: Bool
        /// The only string values the host accepts, when it accepts only a few.
        package let choices: [String]
        /// One line for the stubs.
        package let summary: String
    }

    /// One value returned.
    package struct Return: Sendable {
        /// The LuaLS type (`ldrun.Release?`, `boolean`).
        package let annotation: String
        package let name: String
    }

    /// A value the host sets: `ldrun.dry_run`, `json.null`, `args`.
    package struct Value: Sendable {
        package let name: String
        package let annotation: String
        package let summary: String
    }

    /// What a parameter or option takes, for the checker, the stubs and messages.
    package struct ValueType: Sendable, Equatable {
        /// How LuaLS writes it (`number|string`).
        package let annotation: String
        /// The kinds of literal a call may write for it; nil when any value goes.
        package let literals: Set<LiteralKind>?
        /// What a bad-argument message says is expected (`duration`, `release or flag key`).
        package let expected: String
        /// A duration: a string literal must read as one (`"90s"`, `"1h30m"`).
        package let isDuration: Bool

        init(_ annotation: String, _ literals: Set<LiteralKind>?, expected: String, isDuration: Bool = false) {
            self.annotation = annotation
            self.literals = literals
            self.expected = expected
            self.isDuration = isDuration
        }
    }

    /// The kinds of value a literal in the source shows.
    package enum LiteralKind: String, Sendable, Hashable {
        case string, number, boolean, table, function
        case `nil`
    }
}
