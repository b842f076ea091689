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

    /// Reads the release table at `index`; `nil` when it needs the full conversion (the
    /// stack is then as it was). With `audiences`, the audiences of started phases are read
    /// too (the rolled-out rule needs them) and the dialect must show in a status.
    static func read(_ call: HostCall, at index: Int32, audiences: Bool) throws(LuaHostError) -> Self? {
        let stack = call.stack
        let gathered: LuaGathered
        do {
            gathered = try stack.gather(index, fields: fields, list: 0, itemFields: phaseFields, maxItems: 1_000)
        } catch {
            return nil
        }
        guard let release = release(gathered, stack: stack, audiences: audiences) else {
            stack.settop(gathered.base)
            return nil
        }
        return Self(release: release, gathered: gathered)
    }

    private static func release(_ gathered: LuaGathered, stack: LuaStack, audiences: Bool) -> Release? {
        guard let count = gathered.count, count > 0 else { return nil }
        var phases: [ReleasePhase] = []
        phases.reserveCapacity(count)
        for offset in 0..<count {
            guard stack.type(at: gathered.item(offset)) == .table,
                stack.type(at: gathered.itemField(offset, 0)) == .string,
                isAbsentOr(.string, gathered.itemField(offset, 1), stack),
                isAbsentOr(.string, gathered.itemField(offset, 2), stack),
                isAbsentOr(.boolean, gathered.itemField(offset, 3), stack),
                isAbsentOr(.boolean, gathered.itemField(offset, 4), stack)
            else { return nil }
            let status = stack.string(at: gathered.itemField(offset, 2))
            let complete = stack.boolean(at: gathered.itemField(offset, 3)) ?? false
            let started = stack.boolean(at: gathered.itemField(offset, 4))
            guard var phase = try? ReleasePhase(selecting: status, complete: complete, started: started, audiences: nil)
            else { return nil }
            if audiences, phase.isStarted {
                guard let json = audiencesJSON(of: gathered.item(offset), stack: stack),
                    let withAudiences = try? ReleasePhase(
                        selecting: status, complete: complete, started: started, audiences: json)
                else { return nil }
                phase = withAudiences
            }
            phases.append(phase)
        }
        if audiences, !phases.contains(where: { $0.dialect != nil }) { return nil }
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
        return Release(selecting: phases, canceledAt: canceledAt, flagOn: flagOn)
    }

    private static func isAbsentOr(_ type: LuaType, _ index: Int32, _ stack: LuaStack) -> Bool {
        let found = stack.type(at: index)
        return found == .nil || found == type
    }

    /// The `_audiences` of the phase table at `index` as JSON (`nil` when absent), or `nil`
    /// when they cannot be read that way.
    private static func audiencesJSON(of index: Int32, stack: LuaStack) -> JSONValue?? {
        guard let field = try? stack.gather(index, fields: audienceField, list: -1, itemFields: none) else {
            return nil
        }
        defer { stack.settop(field.base) }
        switch stack.type(at: field.field(0)) {
        case .nil: return .some(nil)
        case .table:
            guard let value = try? stack.value(at: field.field(0)), let json = try? LuaJSON.json(value) else {
                return nil
            }
            return .some(json)
        default: return nil
        }
    }
}
