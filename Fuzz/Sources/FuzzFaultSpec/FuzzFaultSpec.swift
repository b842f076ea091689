// Fuzzes the simulator's --faults syntax (FaultPlan(spec:)): it never traps, and a plan it
// accepts, written back with `description`, reads back as the same plan (for flag keys
// that the syntax can carry: no ':' or ';').

import Foundation
import FuzzSupport
import ReleaseSimulator

func fuzzFaultSpec(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let spec = String(decoding: FuzzInput(data, size).all, as: UTF8.self)
    guard let plan = try? FaultPlan(spec: spec) else { return 0 }
    let writable = plan.rules.allSatisfy { rule in
        guard let key = rule.flagKey else { return true }
        return !key.contains(":") && !key.contains(";") && key.trimmingCharacters(in: .whitespaces) == key
    }
    if writable {
        require(
            (try? FaultPlan(spec: plan.description)) == plan, "\(plan) does not read back from \(spec.debugDescription)"
        )
    }
    return 0
}
