import LuaBridge
import ReleaseSimulator
import RunbookHost

/// `sim.approve`, `sim.regress`, `sim.complete`: the in-process simulator's admin calls,
/// offered to runbooks run with `--simulate` (a demo answers approvals this way).
enum SimulatorFunctions {
    static func register(_ server: SimulatorServer, on host: RunbookHost, project: String) {
        host.register("sim.approve") { arguments in
            let (flag, phase) = try target(arguments, function: "sim.approve")
            try await server.approve(project: project, flag: flag, phaseId: phase)
            return [.boolean(true)]
        }
        host.register("sim.regress") { arguments in
            let (flag, phase) = try target(arguments, function: "sim.regress")
            try await server.regress(project: project, flag: flag, phaseId: phase)
            return [.boolean(true)]
        }
        host.register("sim.complete") { arguments in
            let (flag, phase) = try target(arguments, function: "sim.complete")
            try await server.complete(project: project, flag: flag, phaseId: phase)
            return [.boolean(true)]
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
