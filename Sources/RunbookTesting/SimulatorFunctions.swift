import LuaBridge
import ReleaseSimulator
import RunbookHost

/// `sim.approve`, `sim.regress`, `sim.complete`: the in-process simulator's admin calls,
/// offered to runbooks run with `--simulate` (a demo answers approvals this way) and to
/// runbook tests.
public enum SimulatorFunctions {
    public static func register(_ server: SimulatorServer, on host: RunbookHost, project: String) {
        host.register("sim.approve") { arguments in
            let (flag, phase) = try target(arguments, function: "sim.approve")
            return try await admin { try await server.approve(project: project, flag: flag, phaseId: phase) }
        }
        host.register("sim.regress") { arguments in
            let (flag, phase) = try target(arguments, function: "sim.regress")
            return try await admin { try await server.regress(project: project, flag: flag, phaseId: phase) }
        }
        host.register("sim.complete") { arguments in
            let (flag, phase) = try target(arguments, function: "sim.complete")
            return try await admin { try await server.complete(project: project, flag: flag, phaseId: phase) }
        }
    }

    /// Runs an admin call, giving the simulator's errors their Lua form.
    private static func admin(_ body: () async throws -> Void) async throws -> [LuaValue] {
        do {
            try await body()
            return [.boolean(true)]
        } catch let error as SimulatorError {
            throw LuaHostError(
                code: error.code, message: error.message, fields: ["status": .integer(Int64(error.status))])
        }
    }

    private static func target(_ arguments: [LuaValue], function: String) throws -> (String, String?) {
        guard let flag = arguments.first?.stringValue else {
            throw LuaHostError(code: "bad_argument", message: "bad argument #1 to '\(function)' (flag key expected)")
        }
        let phase = arguments.count > 1 ? (arguments[1].stringValue ?? arguments[1]["_id"].stringValue) : nil
        return (flag, phase)
    }
}
