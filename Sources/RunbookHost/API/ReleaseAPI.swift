import LuaBridge
import ReleaseCore

/// `release.get`, `release.create`, `release.delete`, `release.patch`, `release.status`,
/// `release.summary`.
enum ReleaseAPI {
    static func register(_ context: RunContext) {
        context.bindAsync("release.get") { context, call in
            let target = try ReleaseTarget(call, at: 1, context: context)
            let operations = context.operations
            return {
                guard let release = try await operations.release(project: target.project, flag: target.flag) else {
                    return [.nil]
                }
                return [ReleaseTables.lua(release, project: target.project, flag: target.flag)]
            }
        }

        context.bindAsync("release.create") { context, call in
            let form = try CallArguments(call)
            let flag = try form.requiredString("flag", at: 1)
            let pipeline = try form.requiredString("pipeline", at: 2)
            let variation = try form.string("variation", at: 3, required: false)
            let project = try context.project(form.project(), call: call)
            let operations = context.operations
            return {
                let release = try await operations.createRelease(
                    project: project, flag: flag, pipeline: pipeline, variation: variation)
                return [ReleaseTables.lua(release, project: project, flag: flag)]
            }
        }

        context.bindAsync("release.delete") { context, call in
            let target = try ReleaseTarget(call, at: 1, context: context)
            let operations = context.operations
            return {
                try await operations.deleteRelease(project: target.project, flag: target.flag)
                return [.boolean(true)]
            }
        }

        context.bindAsync("release.patch") { context, call in
            let form = try CallArguments(call)
            guard let table = form.table else { throw call.typeError(1, expected: "table") }
            let target = try ReleaseTarget(call, at: 1, context: context)
            let operations = try patchOperations(table["ops"], call: call)
            let client = context.operations
            return {
                let release = try await client.patchRelease(
                    project: target.project, flag: target.flag, operations: operations)
                return [ReleaseTables.lua(release, project: target.project, flag: target.flag)]
            }
        }

        context.bind("release.status") { _, call in
            guard call.type(at: 1) == .table else { throw call.typeError(1, expected: "table") }
            if let table = try ReleaseSelectionTable.read(call, at: 1) {
                let status = PhaseSelector.status(of: table.release)
                call.stack.settop(table.gathered.base)
                return .values([.string(status.rawValue)])
            }
            let release = try ReleaseTables.release(from: try call.table(at: 1), call: call, argument: 1)
            return .values([.string(PhaseSelector.status(of: release).rawValue)])
        }

        context.bind("release.summary") { _, call in
            let release = try ReleaseTables.release(from: try call.table(at: 1), call: call, argument: 1)
            return .values([.string(ReleaseSummary.line(of: release))])
        }
    }

    private static func patchOperations(_ value: LuaValue, call: HostCall) throws(LuaHostError)
        -> [JSONPatchOperation]
    {
        guard case .array(let items) = value, !items.isEmpty else {
            throw call.argumentError(1, "field 'ops' must be a non-empty list of {op=, path=, value=}")
        }
        var operations: [JSONPatchOperation] = []
        for (offset, item) in items.enumerated() {
            guard let op = item["op"].stringValue, let path = item["path"].stringValue else {
                throw call.argumentError(1, "ops[\(offset + 1)] needs 'op' and 'path' strings")
            }
            let value = item["value"] == .nil ? nil : try LuaJSON.json(item["value"])
            operations.append(JSONPatchOperation(op: op, path: path, value: value))
        }
        return operations
    }
}
