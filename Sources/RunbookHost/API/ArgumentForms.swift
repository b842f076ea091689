import LuaBridge
import ReleaseCore

/// The two call forms every API function accepts: positional (`release.get("checkout")`)
/// and a table (`release.get{flag = "checkout", project = "web"}`).
struct CallArguments {
    let call: HostCall
    /// The options table when the call used the table form (or passed options last).
    let table: LuaValue?

    init(_ call: HostCall, tableAt index: Int32 = 1) throws(LuaHostError) {
        self.call = call
        table = call.type(at: index) == .table ? try call.value(at: index) : nil
    }

    /// A string given positionally at `index` or as `table[name]`.
    /// A string the call must give (positionally at `index`, or as the table form's `name`).
    func requiredString(_ name: String, at index: Int32) throws(LuaHostError) -> String {
        guard let text = try string(name, at: index, required: true) else {
            throw call.argumentError(table == nil ? index : 1, "\(name) expected")
        }
        return text
    }

    func string(_ name: String, at index: Int32, required: Bool = true) throws(LuaHostError) -> String? {
        let text: String?
        if let table {
            switch table[name] {
            case .string(let given): text = given
            case .nil where !required: return nil
            case .nil: throw call.argumentError(1, "field '\(name)' is required")
            case let other: throw call.argumentError(1, "field '\(name)' must be a string, got \(other.typeName)")
            }
        } else {
            text = required ? try call.string(at: index) : try call.optionalString(at: index)
        }
        if name == "flag", text?.isEmpty == true {
            throw call.argumentError(table == nil ? index : 1, "flag key must not be empty")
        }
        return text
    }

    /// The `project` field of the table form: `nil` when absent, a bad argument when it is
    /// not a string (never silently the default project).
    func project() throws(LuaHostError) -> String? {
        guard let table else { return nil }
        return try Self.project(in: table, call: call, argument: 1)
    }

    static func project(in table: LuaValue, call: HostCall, argument: Int32) throws(LuaHostError) -> String? {
        switch table["project"] {
        case .nil: return nil
        case .string(let project): return project
        case let other: throw call.argumentError(argument, "field 'project' must be a string, got \(other.typeName)")
        }
    }
}

/// Where a call points: a project and flag, from a flag key, a table form, or a release
/// table returned by an earlier call (which carries `_project` and `_flag`).
struct ReleaseTarget {
    var project: String
    var flag: String
    var release: Release?

    init(_ call: HostCall, at index: Int32, context: RunContext) throws(LuaHostError) {
        switch call.type(at: index) {
        case .string:
            flag = try call.string(at: index)
            project = try context.project(nil, call: call)
        case .table:
            let table = try call.value(at: index)
            if table["phases"] != .nil {
                guard let flag = table["_flag"].stringValue else {
                    throw call.argumentError(
                        index, "release table has no '_flag'; pass the flag key or a release returned by release.get")
                }
                self.flag = flag
                project = try context.project(table["_project"].stringValue, call: call)
                release = try ReleaseTables.release(from: table, call: call, argument: index)
            } else {
                switch table["flag"] {
                case .string(let flag): self.flag = flag
                case .nil: throw call.argumentError(index, "field 'flag' is required")
                case let other: throw call.argumentError(index, "field 'flag' must be a string, got \(other.typeName)")
                }
                project = try context.project(CallArguments.project(in: table, call: call, argument: index), call: call)
            }
        default:
            throw call.typeError(index, expected: "release or flag key")
        }
        guard !flag.isEmpty else { throw call.argumentError(index, "flag key must not be empty") }
    }
}

/// Release values as runbooks see them: the API's JSON as a plain table, plus `_project`
/// and `_flag` so the table can be passed back to `phase.start` and friends, and, when a
/// wait read the flag, `_flagOn` (environment key → whether the flag is on) for the
/// rolled-out rule.
enum ReleaseTables {
    static func lua(_ release: Release, project: String, flag: String) -> LuaValue {
        guard case .table(var entries) = LuaJSON.lua(release.raw) else { return .nil }
        entries["_project"] = .string(project)
        entries["_flag"] = .string(flag)
        if let flagOn = release.flagOn {
            entries["_flagOn"] = .table(
                Dictionary(uniqueKeysWithValues: flagOn.map { (LuaValue.string($0.key), LuaValue.boolean($0.value)) }))
        }
        return .table(entries)
    }

    static func release(from table: LuaValue, call: HostCall, argument: Int32) throws(LuaHostError) -> Release {
        guard case .table(var entries) = table else { throw call.typeError(argument, expected: "release") }
        entries["_project"] = nil
        entries["_flag"] = nil
        let flagOn = entries.removeValue(forKey: "_flagOn")
        let json = try LuaJSON.json(.table(entries))
        do {
            var release = try Release(json: json)
            if case .table(let environments)? = flagOn {
                var on: [String: Bool] = [:]
                for (key, value) in environments {
                    if case .string(let environment) = key, case .boolean(let isOn) = value { on[environment] = isOn }
                }
                release.flagOn = on
            }
            return release
        } catch {
            throw call.argumentError(argument, "not a release: \(error.message)")
        }
    }
}
