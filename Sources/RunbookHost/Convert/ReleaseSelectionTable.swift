import LuaBridge
import ReleaseCore

/// A release table read for the selection rules (`phase.next`, `phase.active`,
/// `release.status`): only the fields the rules decide on are read, raw, from the Lua table
/// (each phase's `status`, `complete` and `started`; `_audiences` of a started phase;
/// `_canceledAt` and `_flagOn`), instead of converting the whole table.
///
/// Anything unusual (a field of an unexpected type, no phases, no status that tells the
/// dialect) is left to the full conversion (``ReleaseTables/release(from:call:argument:)``),
/// so the answers and the errors are the same either way; fields the rules never read are
/// not checked here.
struct ReleaseSelectionTable {
    /// The release as the rules see it.
    let release: Release
    /// Where the phases' own tables are on the stack (until the top is reset to its base).
    let gathered: LuaGathered

    private static let fields = LuaFieldNames(["phases", "_canceledAt", "_flagOn"])
    private static let phaseFields = LuaFieldNames(["_id", "_name", "status", "complete", "started"])
    private static let audienceField = LuaFieldNames(["_audiences"])
    private static let none = LuaFieldNames([])

    /// Reads the release table at `index`, the audiences of started phases included (the
    /// rolled-out rule needs them); `nil` when it needs the full conversion (the stack is then
    /// as it was), which includes a release whose statuses do not show the dialect.
    static func read(_ call: HostCall, at index: Int32) throws(LuaHostError) -> Self? {
        let stack = call.stack
        guard let gathered = gather(index, stack) else { return nil }
        guard let release = release(gathered, stack: stack) else {
            stack.settop(gathered.base)
            return nil
        }
        return Self(release: release, gathered: gathered)
    }

    /// The progress of each phase of the release table at `index`, for the rules that need
    /// nothing else (`phase.next`, `phase.active`), and where the phases' own tables are on
    /// the stack; `nil` when the table needs the full conversion (the stack is then as it
    /// was).
    static func progress(_ call: HostCall, at index: Int32) -> (phases: [PhaseProgress], gathered: LuaGathered)? {
        let stack = call.stack
        guard let gathered = gather(index, stack) else { return nil }
        guard let count = gathered.count, count > 0, releaseFields(gathered, stack: stack) != nil else {
            stack.settop(gathered.base)
            return nil
        }
        var phases: [PhaseProgress] = []
        phases.reserveCapacity(count)
        for offset in 0..<count {
            guard let fields = phaseFields(gathered, offset, stack: stack) else {
                stack.settop(gathered.base)
                return nil
            }
            phases.append(
                PhaseProgress(reportedStatus: fields.status, complete: fields.complete, started: fields.started))
        }
        return (phases, gathered)
    }

    private static func gather(_ index: Int32, _ stack: LuaStack) -> LuaGathered? {
        try? stack.gather(index, fields: fields, list: 0, itemFields: phaseFields, maxItems: 1_000)
    }

    private static func release(_ gathered: LuaGathered, stack: LuaStack) -> Release? {
        guard let count = gathered.count, count > 0 else { return nil }
        var phases: [ReleasePhase] = []
        phases.reserveCapacity(count)
        for offset in 0..<count {
            guard let fields = phaseFields(gathered, offset, stack: stack),
                var phase = try? ReleasePhase(
                    selecting: fields.status, complete: fields.complete, started: fields.started, audiences: nil)
            else { return nil }
            if phase.isStarted {
                guard let json = audiencesJSON(of: gathered.item(offset), stack: stack),
                    let withAudiences = try? ReleasePhase(
                        selecting: fields.status, complete: fields.complete, started: fields.started, audiences: json)
                else { return nil }
                phase = withAudiences
            }
            phases.append(phase)
        }
        if !phases.contains(where: { $0.dialect != nil }) { return nil }
        guard let (canceledAt, flagOn) = releaseFields(gathered, stack: stack) else { return nil }
        return Release(selecting: phases, canceledAt: canceledAt, flagOn: flagOn)
    }

    /// The fields of phase `offset` the rules read, each of its type or absent; `nil` when one
    /// is of another type (or the phase has no `_id`).
    private static func phaseFields(_ gathered: LuaGathered, _ offset: Int, stack: LuaStack) -> (
        status: String?, complete: Bool, started: Bool?
    )? {
        // Each field's type is looked at once: absent, or of the type the rules read.
        guard stack.type(at: gathered.item(offset)) == .table,
            stack.type(at: gathered.itemField(offset, 0)) == .string,
            isAbsentOr(.string, gathered.itemField(offset, 1), stack),
            case .some(let status) = optionalString(at: gathered.itemField(offset, 2), stack),
            case .some(let complete) = optionalBoolean(at: gathered.itemField(offset, 3), stack),
            case .some(let started) = optionalBoolean(at: gathered.itemField(offset, 4), stack)
        else { return nil }
        return (status, complete ?? false, started)
    }

    /// The release's `_canceledAt` and `_flagOn`; `nil` when they need the full conversion.
    private static func releaseFields(_ gathered: LuaGathered, stack: LuaStack) -> (
        canceledAt: Int64?, flagOn: [String: Bool]?
    )? {
        let canceledAt: Int64?
        switch stack.type(at: gathered.field(1)) {
        case .nil: canceledAt = nil
        case .number:
            guard let millis = stack.integer(at: gathered.field(1)) else { return nil }
            canceledAt = millis
        default: return nil
        }
        var flagOn: [String: Bool]?
        if stack.type(at: gathered.field(2)) == .table {
            guard let value = try? stack.value(at: gathered.field(2)) else { return nil }
            if case .table(let environments) = value {
                var on: [String: Bool] = [:]
                for (key, value) in environments {
                    if case .string(let environment) = key, case .boolean(let isOn) = value { on[environment] = isOn }
                }
                flagOn = on
            }
        }
        return (canceledAt, flagOn)
    }

    /// The string at `index`: `.some(nil)` when absent, `nil` when it is of another type.
    private static func optionalString(at index: Int32, _ stack: LuaStack) -> String?? {
        switch stack.type(at: index) {
        case .nil: return .some(nil)
        case .string: return stack.string(at: index).map { .some($0) }
        default: return nil
        }
    }

    /// The boolean at `index`: `.some(nil)` when absent, `nil` when it is of another type.
    private static func optionalBoolean(at index: Int32, _ stack: LuaStack) -> Bool?? {
        switch stack.type(at: index) {
        case .nil: return .some(nil)
        case .boolean: return stack.boolean(at: index).map { .some($0) }
        default: return nil
        }
    }

    private static func isAbsentOr(_ type: LuaType, _ index: Int32, _ stack: LuaStack) -> Bool {
        let found = stack.type(at: index)
        return found == .nil || found == type
    }

    private static let audienceFields = LuaFieldNames(["name", "status", "configuration", "environment"])
    private static let configurationFields = LuaFieldNames([
        "requireApproval", "releaseGuardianConfiguration", "releaseStrategy",
    ])
    private static let environmentFields = LuaFieldNames(["key", "name"])

    /// The `_audiences` of the phase table at `index` as JSON, reduced to what the rules read
    /// (each audience's `name` and `status`, its configuration's `requireApproval`,
    /// `releaseGuardianConfiguration` and `releaseStrategy`, its environment's `key` and
    /// `name`); `.some(nil)` when absent, `nil` when they cannot be read that way (the full
    /// conversion then decides).
    private static func audiencesJSON(of index: Int32, stack: LuaStack) -> JSONValue?? {
        guard let list = try? stack.gather(index, fields: audienceField, list: 0, itemFields: audienceFields) else {
            return nil
        }
        defer { stack.settop(list.base) }
        switch stack.type(at: list.field(0)) {
        case .nil: return .some(nil)
        case .table: break
        default: return nil
        }
        // An empty table, or one that is not a list, is left to the full conversion.
        guard let count = list.count, count > 0 else { return nil }
        var audiences: [JSONValue] = []
        audiences.reserveCapacity(count)
        for offset in 0..<count {
            guard stack.type(at: list.item(offset)) == .table,
                let audience = audience(list, offset, stack: stack)
            else { return nil }
            audiences.append(audience)
        }
        return .some(.array(audiences))
    }

    /// One audience, as JSON with only the fields the rules read; nil when a field has a
    /// type the full conversion would refuse or read otherwise.
    private static func audience(_ list: LuaGathered, _ offset: Int, stack: LuaStack) -> JSONValue? {
        var fields: [String: JSONValue] = [:]
        for (position, name) in [(0, "name"), (1, "status")] {
            let at = list.itemField(offset, position)
            switch stack.type(at: at) {
            case .nil: break
            case .string:
                guard let text = stack.string(at: at) else { return nil }
                fields[name] = .string(text)
            default: return nil
            }
        }
        let configuration = list.itemField(offset, 2)
        switch stack.type(at: configuration) {
        case .nil: break
        case .table:
            guard let value = configurationJSON(at: configuration, stack: stack) else { return nil }
            fields["configuration"] = value
        default: return nil
        }
        let environment = list.itemField(offset, 3)
        switch stack.type(at: environment) {
        case .nil: break
        case .table:
            guard let read = try? stack.gather(environment, fields: environmentFields, list: -1, itemFields: none)
            else { return nil }
            defer { stack.settop(read.base) }
            guard stack.type(at: read.field(0)) == .string, let key = stack.string(at: read.field(0)),
                isAbsentOr(.string, read.field(1), stack)
            else { return nil }
            var summary: [String: JSONValue] = ["key": .string(key)]
            if let name = stack.string(at: read.field(1)) { summary["name"] = .string(name) }
            fields["environment"] = .object(summary)
        default: return nil
        }
        return .object(fields)
    }

    private static func configurationJSON(at index: Int32, stack: LuaStack) -> JSONValue? {
        guard let read = try? stack.gather(index, fields: configurationFields, list: -1, itemFields: none) else {
            return nil
        }
        defer { stack.settop(read.base) }
        guard isAbsentOr(.boolean, read.field(0), stack), isAbsentOr(.string, read.field(2), stack) else { return nil }
        var fields: [String: JSONValue] = [:]
        if let approval = stack.boolean(at: read.field(0)) { fields["requireApproval"] = .bool(approval) }
        if let strategy = stack.string(at: read.field(2)) { fields["releaseStrategy"] = .string(strategy) }
        // The guarded-rollout settings are small: converted whole, so "is it an object" reads
        // exactly as the full conversion reads it.
        if stack.type(at: read.field(1)) != .nil {
            guard let value = try? stack.value(at: read.field(1)), let json = try? LuaJSON.json(value) else {
                return nil
            }
            fields["releaseGuardianConfiguration"] = json
        }
        return .object(fields)
    }
}
