import Foundation
import Hummingbird

/// The `/_sim/` endpoints tests and demos use to drive and inspect the simulator.
struct AdminHandlers: Sendable {
    /// The body of approve, regress and complete.
    struct PhaseTarget: Decodable {
        var project: String
        var flag: String
        var phaseId: String?
    }

    /// The body and answer of the faults endpoint.
    struct FaultsBody: Codable {
        var spec: String
    }

    /// The answer of the dialect endpoint.
    struct DialectBody: Encodable {
        var dialect: SimulatorDialect
    }

    /// The answer of the request log endpoint.
    struct RequestLogBody: Encodable {
        var items: [SimulatorRequestRecord]
    }

    let state: SimulatorState

    func register(on router: Router<SimulatorRequestContext>) {
        let actions: [(String, PhaseAction)] = [("approve", .approve), ("regress", .regress), ("complete", .complete)]
        for (path, action) in actions {
            router.post("/_sim/\(path)") { _, context in
                let target = try context.decodeBody(PhaseTarget.self)
                let release = try await state.store.apply(
                    action, project: target.project, flag: target.flag, phaseId: target.phaseId
                )
                return try JSONResponse.make(release)
            }
        }
        router.get("/_sim/faults") { _, _ in
            try JSONResponse.make(FaultsBody(spec: await state.faults.currentPlan.description))
        }
        router.put("/_sim/faults") { _, context in
            let plan = try FaultPlan(spec: try context.decodeBody(FaultsBody.self).spec)
            await state.faults.setPlan(plan)
            return try JSONResponse.make(FaultsBody(spec: plan.description))
        }
        router.delete("/_sim/faults") { _, _ in
            await state.faults.setPlan(.none)
            return JSONResponse.empty()
        }
        router.get("/_sim/dialect") { _, _ in
            try JSONResponse.make(DialectBody(dialect: state.dialect))
        }
        router.get("/_sim/requests") { _, _ in
            try JSONResponse.make(RequestLogBody(items: await state.log.records))
        }
        router.delete("/_sim/requests") { _, _ in
            await state.log.clear()
            return JSONResponse.empty()
        }
        router.post("/_sim/reset") { _, context in
            let seed =
                context.body.readableBytes > 0 ? try SimulatorSeed(json: Data(context.body.readableBytesView)) : nil
            await state.reset(to: seed)
            return JSONResponse.empty()
        }
    }
}
