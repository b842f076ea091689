import LuaBridge
import ReleaseCore

/// `pipeline.list`, `pipeline.get`, `pipeline.releases`, `flag.get`.
enum PipelineAPI {
    static func register(_ context: RunContext) {
        context.bindAsync("pipeline.list") { context, call in
            let options = try call.optionalTable(at: 1) ?? .nil
            try call.checkOptionKeys(options, at: 1, known: ["project", "query", "env", "environment"])
            for name in ["project", "query", "env", "environment"] where options[name] != .nil {
                guard options[name].stringValue != nil else {
                    throw call.argumentError(1, "field '\(name)' must be a string, got \(options[name].typeName)")
                }
            }
            let project = try context.project(options["project"].stringValue, call: call)
            let query = options["query"].stringValue
            let environment = options["env"].stringValue ?? options["environment"].stringValue
            let operations = context.operations
            return {
                let pipelines = try await operations.client.pipelines(
                    project: project, query: query, environment: environment)
                return [.array(pipelines.map { LuaJSON.lua($0.raw) })]
            }
        }

        context.bindAsync("pipeline.get") { context, call in
            let form = try CallArguments(call)
            let key = try form.requiredString("key", at: 1)
            guard !key.isEmpty else { throw call.argumentError(1, "pipeline key must not be empty") }
            let project = try context.project(form.project(), call: call)
            let operations = context.operations
            return { [LuaJSON.lua(try await operations.client.pipeline(project: project, key: key).raw)] }
        }

        context.bindAsync("pipeline.releases") { context, call in
            let form = try CallArguments(call)
            let key = try form.requiredString("key", at: 1)
            guard !key.isEmpty else { throw call.argumentError(1, "pipeline key must not be empty") }
            let options = try form.table ?? call.optionalTable(at: 2) ?? .nil
            try call.checkOptionKeys(
                options, at: form.table == nil ? 2 : 1,
                known: ["project", "status", "phase"] + (form.table == nil ? [] : ["key"]))
            let project = try context.project(options["project"].stringValue, call: call)
            let status = options["status"].stringValue
            if let status, !["active", "completed"].contains(status) {
                throw call.argumentError(form.table == nil ? 2 : 1, "'status' must be \"active\" or \"completed\"")
            }
            let phase = options["phase"].stringValue
            let operations = context.operations
            return {
                var phaseId: String?
                if let phase {
                    let pipeline = try await operations.client.pipeline(project: project, key: key)
                    let phases = pipeline.raw["phases"]?.arrayValue ?? []
                    let match = phases.first {
                        $0["id"]?.stringValue == phase
                            || $0["name"]?.stringValue?.lowercased() == phase.lowercased()
                    }
                    guard let id = match?["id"]?.stringValue else {
                        throw LuaHostError(code: "not_found", message: "pipeline \(key) has no phase '\(phase)'")
                    }
                    phaseId = id
                }
                let list = try await operations.client.releaseProgressions(
                    project: project, pipelineKey: key, status: status, activePhaseId: phaseId)
                return [progressionTable(list)]
            }
        }

        context.bindAsync("flag.get") { context, call in
            let form = try CallArguments(call)
            let key = try form.string("key", at: 1) ?? ""
            guard !key.isEmpty else { throw call.argumentError(1, "flag key must not be empty") }
            let project = try context.project(form.project(), call: call)
            let environment = form.table?["env"].stringValue
            let operations = context.operations
            return {
                [
                    LuaJSON.lua(
                        try await operations.client.flag(project: project, key: key, environment: environment).raw)
                ]
            }
        }
    }

    private static func progressionTable(_ list: ReleaseProgressionList) -> LuaValue {
        var table: [LuaValue: LuaValue] = [
            "items": .array(list.items.map { LuaJSON.lua($0.raw) }),
            "phases": .array(list.phases.map { LuaJSON.lua($0.raw) }),
            "totalCount": .integer(Int64(list.totalCount)),
        ]
        if let active = list.activeCount { table["activeCount"] = .integer(Int64(active)) }
        if let completed = list.completedCount { table["completedCount"] = .integer(Int64(completed)) }
        return .table(table)
    }
}
