import Foundation
import LuaBridge
import ReleaseCore

/// `phase.next`, `phase.active`, `phase.find`, `phase.state`, `phase.start`, `phase.wait`.
enum PhaseAPI {
    static func register(_ context: RunContext) {
        context.bind("phase.next") { _, call in
            try selectedPhase(call, PhaseSelector.nextIndex(of:), PhaseSelector.nextIndex(in:))
        }
        context.bind("phase.active") { _, call in
            try selectedPhase(call, PhaseSelector.activeIndex(of:), PhaseSelector.activeIndex(in:))
        }
        context.bind("phase.find") { _, call in
            let release = try ReleaseTables.release(from: try call.table(at: 1), call: call, argument: 1)
            let name = try call.string(at: 2)
            return .values([phaseTable(PhaseSelector.find(name, in: release))])
        }

        context.bind("phase.state") { _, call in
            let release = try ReleaseTables.release(from: try call.table(at: 1), call: call, argument: 1)
            guard let id = try phaseArgument(call, at: 2) else {
                throw call.typeError(2, expected: "phase name, id or table")
            }
            guard let phase = PhaseSelector.find(id, in: release) else {
                throw call.argumentError(2, "the release has no phase '\(id)'")
            }
            return .values([.string(PhaseSelector.state(of: phase, in: release).rawValue)])
        }

        context.bindAsync("phase.start") { context, call in
            let target = try ReleaseTarget(call, at: 1, context: context)
            let phase = try phaseArgument(call, at: 2)
            let options = try call.optionalTable(at: 3) ?? .nil
            try call.checkOptionKeys(options, at: 3, known: ["audiences"])
            let audiences = try audienceInputs(options["audiences"], release: target.release, call: call)
            let operations = context.operations
            return {
                // A release table passed in was read within this step: trusted, not read again.
                let result = try await operations.startPhase(
                    project: target.project, flag: target.flag, phase: phase, audiences: audiences,
                    known: target.release)
                let startedNow: Bool = if case .started = result { true } else { false }
                return [
                    ReleaseTables.lua(result.release, project: target.project, flag: target.flag), .boolean(startedNow),
                ]
            }
        }

        context.bindAsync("phase.wait") { context, call in
            let target = try ReleaseTarget(call, at: 1, context: context)
            // Without a phase, wait for the one the given release shows running (or, when the
            // release table shows none running, the last one started): not whatever is active
            // by the time the first poll lands.
            // A boolean second argument is `phase.start`'s second result, as in
            // `phase.wait(phase.start(rel))`: it names no phase.
            let explicit = call.type(at: 2) == .boolean ? nil : try phaseArgument(call, at: 2)
            let phase = explicit ?? target.release.flatMap(lastStartedPhase)?.id
            let options = try call.optionalTable(at: 3) ?? .nil
            try call.checkOptionKeys(options, at: 3, known: ["until", "timeout", "every", "backoff"])
            let goal = try waitGoal(options["until"], call: call)
            var policy = WaitPolicy()
            if let timeout = try RunbookDuration.field(options["timeout"], name: "timeout", call: call, argument: 3) {
                policy.timeout = timeout
            }
            if let every = try RunbookDuration.field(options["every"], name: "every", call: call, argument: 3) {
                policy.interval = every
                policy.maxInterval = max(policy.maxInterval, every)
            }
            switch options["backoff"] {
            case .nil: break
            case let value:
                // A factor from 1 (a fixed interval) to 10; the interval then grows up to a minute
                // (or up to `every`, when that is longer).
                guard let factor = value.doubleValue, factor.isFinite, factor >= 1, factor <= 10 else {
                    throw call.argumentError(
                        3,
                        "field 'backoff' must be a number from 1 to 10, got \(value.doubleValue.map { "\($0)" } ?? value.typeName)"
                    )
                }
                policy.backoff = factor
            }
            let operations = context.operations
            let events = context.events
            let waitPolicy = policy
            let time = context.time
            return {
                if operations.isDryRun {
                    let operation = "phase.wait \(target.project)/\(target.flag)"
                    guard let release = try await operations.release(project: target.project, flag: target.flag) else {
                        throw ReleaseError(
                            .notFound, message: "the flag has no release", operation: operation, status: 404,
                            context: .init(project: target.project, flag: target.flag))
                    }
                    if let phase, PhaseSelector.find(phase, in: release) == nil {
                        throw ReleaseError(
                            .notFound, message: "the release has no phase '\(phase)'", operation: operation,
                            context: .init(project: target.project, flag: target.flag, phaseId: phase))
                    }
                    return [ReleaseTables.lua(release, project: target.project, flag: target.flag)]
                }
                // Name the phase in messages, reading the release when the call passed only a key.
                var known = target.release
                if known == nil, phase != nil {
                    known = try? await operations.release(project: target.project, flag: target.flag)
                }
                let name = phase.flatMap { id in known.flatMap { PhaseSelector.find(id, in: $0)?.name } }
                let what = "phase \(name ?? phase ?? "(active)") of \(target.flag)"
                let fields: [String: JSONValue] = ["flag": .string(target.flag)].merging(
                    (name ?? phase).map { ["phase": JSONValue.string($0)] } ?? [:]
                ) { first, _ in first }
                events.emit(
                    RunEvent(
                        level: .info, name: "waiting", message: "waiting for \(what) to \(goal.verb)", fields: fields))
                let started = time.now
                let progress = Task {
                    while !Task.isCancelled {
                        try await time.timer(for: .seconds(30))
                        let elapsed = RunbookDuration.seconds(time.now - started)
                        var fields = fields
                        fields["elapsed"] = .number((elapsed * 10).rounded() / 10)
                        events.emit(
                            RunEvent(
                                level: .info, name: "waiting", message: "still waiting for \(what)", fields: fields))
                    }
                }
                defer { progress.cancel() }
                do {
                    let release = try await operations.client.waitForPhase(
                        project: target.project, flag: target.flag, phase: phase, until: goal, policy: waitPolicy,
                        waiter: time.waiter)
                    var done = fields
                    done["elapsed"] = .number(
                        (RunbookDuration.seconds(time.now - started) * 10).rounded() / 10)
                    events.emit(
                        RunEvent(
                            level: .info, name: "phase." + goal.rawValue, message: "\(what) \(goal.outcome)",
                            fields: done))
                    return [ReleaseTables.lua(release, project: target.project, flag: target.flag)]
                } catch let error as ReleaseError where error.code == "paused" {
                    events.emit(RunEvent(level: .warn, name: "phase.paused", message: error.message, fields: fields))
                    throw error
                }
            }
        }
    }

    /// The `until` option of `phase.wait`: `"rolled_out"` (the default) or `"complete"`.
    private static func waitGoal(_ value: LuaValue, call: HostCall) throws(LuaHostError) -> PhaseWaitGoal {
        switch value {
        case .nil: return .rolledOut
        case .string(let text):
            guard let goal = PhaseWaitGoal(rawValue: text) else {
                throw call.argumentError(3, "until: expected 'rolled_out' or 'complete', got '\(text)'")
            }
            return goal
        default:
            throw call.argumentError(3, "until: expected 'rolled_out' or 'complete', got \(value.typeName)")
        }
    }

    /// The active phase of a release, else the last one started or complete.
    private static func lastStartedPhase(_ release: Release) -> ReleasePhase? {
        PhaseSelector.active(in: release) ?? release.phases.last { $0.isStarted || $0.isComplete }
    }

    /// The phase a rule picks: from the phases' progress read raw from the table when it can
    /// be (`pickFromProgress`; ``ReleaseSelectionTable/progress(_:at:)``), as the release
    /// table's own phase table, or from the fully converted release otherwise (`pick`), as a
    /// copy.
    private static func selectedPhase(
        _ call: HostCall, _ pickFromProgress: ([PhaseProgress]) -> Int?, _ pick: (Release) -> Int?
    ) throws(LuaHostError) -> HostResult {
        guard call.type(at: 1) == .table else { throw call.typeError(1, expected: "table") }
        if let (phases, gathered) = ReleaseSelectionTable.progress(call, at: 1) {
            guard let offset = pickFromProgress(phases) else {
                call.stack.settop(gathered.base)
                return .value(.nil)
            }
            call.stack.pushCopy(of: gathered.item(offset))
            return .pushed(1)
        }
        let release = try ReleaseTables.release(from: try call.table(at: 1), call: call, argument: 1)
        return .values([phaseTable(pick(release).map { release.phases[$0] })])
    }

    static func phaseTable(_ phase: ReleasePhase?) -> LuaValue {
        guard let phase else { return .nil }
        return LuaJSON.lua(phase.raw)
    }

    /// A phase given as a name, an id, or a phase table (its `_id`).
    private static func phaseArgument(_ call: HostCall, at index: Int32) throws(LuaHostError) -> String? {
        switch call.type(at: index) {
        case .none, .nil: return nil
        case .string: return try call.string(at: index)
        case .table:
            let table = try call.value(at: index)
            if let id = table["_id"].stringValue { return id }
            throw call.argumentError(index, "phase table has no '_id'")
        default: throw call.typeError(index, expected: "phase name, id or table")
        }
    }

    /// The `audiences` option: a list of `{audienceId=, releaseGuardianConfiguration=,
    /// notifyMemberIds=, notifyTeamKeys=}`; `environment=` may stand for `audienceId` when
    /// a release table was passed.
    private static func audienceInputs(_ value: LuaValue, release: Release?, call: HostCall) throws(LuaHostError)
        -> [PhaseAudienceInput]?
    {
        guard value != .nil else { return nil }
        guard case .array(let items) = value else {
            throw call.argumentError(3, "'audiences' must be a list of audience configurations")
        }
        var inputs: [PhaseAudienceInput] = []
        for (offset, item) in items.enumerated() {
            var json = try LuaJSON.json(item)
            if json["audienceId"] == nil, let environment = item["environment"].stringValue {
                let audiences = release?.phases.flatMap(\.audiences) ?? []
                guard let audience = audiences.first(where: { $0.environment?.key == environment }),
                    let audienceId = audience.id
                else {
                    throw call.argumentError(
                        3, "audiences[\(offset + 1)]: no audience for environment '\(environment)' in the release")
                }
                var object = json.objectValue ?? [:]
                object["audienceId"] = .string(audienceId)
                object["environment"] = nil
                json = .object(object)
            }
            do {
                inputs.append(try PhaseAudienceInput(json: json))
            } catch {
                throw call.argumentError(3, "audiences[\(offset + 1)]: \(error.message)")
            }
        }
        return inputs
    }
}
