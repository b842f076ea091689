import Logging

/// What `waitForPhase` waits for.
public enum PhaseWaitGoal: String, Sendable, Hashable, CaseIterable {
    /// The phase is rolled out (`RolloutRule`): complete, or started with nothing left to do.
    case rolledOut = "rolled_out"
    /// The phase is complete. In the observed dialect that happens only when the next phase
    /// starts, so the last phase never gets there.
    case complete

    /// What the wait waits for the phase to do: `roll out` or `complete`.
    public var verb: String { self == .complete ? "complete" : "roll out" }

    /// What the phase did once the wait is over: `rolled out` or `complete`.
    public var outcome: String { self == .complete ? "complete" : "rolled out" }
}

extension ReleaseClient {
    /// Polls the release until `phase` (an `_id` or name; `nil`: the active phase, else the
    /// next one) reaches `goal`, and returns the release then.
    ///
    /// When the rule needs to know whether an approval was applied (observed dialect, an
    /// audience that requires approval), each poll also reads the flag and sets
    /// `Release.flagOn` on the release it returns.
    ///
    /// - Throws: `ReleaseError` code `paused` when the phase is paused (a guarded rollout
    ///   regressed), `canceled` when the release is canceled, `not_found` when the release or
    ///   phase disappears, `timeout` when `policy.timeout` passes (its message says what was
    ///   still pending); each with the phase and the last release seen in `context`.
    public func waitForPhase(
        project: String? = nil, flag: String, phase: String? = nil, until goal: PhaseWaitGoal = .rolledOut,
        policy: WaitPolicy = WaitPolicy(), waiter: Waiter = Waiter()
    ) async throws -> Release {
        let project = try resolveProject(project, operation: "phase.wait \(flag)")
        let operation = "phase.wait \(project)/\(flag)"
        var context = ReleaseError.Context(project: project, flag: flag, phaseId: phase)
        var phaseId: String?
        var lastPending: [RolloutPending] = []
        var warnedUnknown = false
        do {
            return try await waiter.wait(for: "phase \(phase ?? "(active)") of \(flag) to \(goal.verb)", policy: policy)
            {
                var release = try await existingRelease(project: project, flag: flag, operation: operation)
                context.release = release.raw
                if phaseId == nil {
                    let target =
                        try phase.map { name throws(ReleaseError) in
                            guard let found = PhaseSelector.find(name, in: release) else {
                                throw ReleaseError(
                                    .notFound, message: "the release has no phase '\(name)'", operation: operation,
                                    context: context)
                            }
                            return found
                        } ?? PhaseSelector.active(in: release) ?? PhaseSelector.next(in: release)
                    guard let target else { return release }  // every phase is complete
                    phaseId = target.id
                    context.phaseId = target.id
                    context.phaseName = target.name
                }
                guard let current = release.phases.first(where: { $0.id == phaseId }) else {
                    throw ReleaseError(
                        .notFound, message: "phase \(phaseId!) is no longer part of the release",
                        operation: operation, context: context)
                }
                if !warnedUnknown, let raw = current.rawStatus, current.reportedStatus?.isUnknown == true {
                    warnedUnknown = true
                    logger.warning(
                        "phase '\(current.name)' has a status ldrun does not know: '\(raw)'; reading its booleans",
                        metadata: ["operation": "\(operation)"])
                }
                if goal == .rolledOut, RolloutRule.needsFlag(current, in: release) {
                    release.flagOn = try await flagEnvironments(project: project, flag: flag)
                }
                lastPending = RolloutRule.pending(for: current, in: release)
                return try check(release, phase: current, goal: goal, operation: operation, context: context)
            }
        } catch var error as ReleaseError {
            if error.kind == .timeout || error.kind == .interrupted {
                error.operation = operation
                error.context = context
                if error.kind == .timeout, !lastPending.isEmpty, goal == .rolledOut {
                    error.message += "; still pending: " + lastPending.map(\.description).joined(separator: "; ")
                }
            }
            throw error
        }
    }

    /// The flag's release, with `Release.flagOn` filled in when the rolled-out rule needs it
    /// for the active phase (observed dialect, an audience requiring approval): one more
    /// request then, none otherwise. `nil` when the flag has no release.
    public func releaseResolvingApprovals(project: String? = nil, flag: String) async throws -> Release? {
        guard var release = try await release(project: project, flag: flag) else { return nil }
        if let active = PhaseSelector.active(in: release), RolloutRule.needsFlag(active, in: release) {
            let project = try resolveProject(project, operation: "release.get \(flag)")
            release.flagOn = try await flagEnvironments(project: project, flag: flag)
        }
        return release
    }

    /// Whether the flag is on, per environment key.
    public func flagEnvironments(project: String, flag: String) async throws -> [String: Bool] {
        let flag = try await self.flag(project: project, key: flag)
        var on: [String: Bool] = [:]
        for (key, environment) in flag.raw["environments"]?.objectValue ?? [:] {
            if let value = environment["on"]?.boolValue { on[key] = value }
        }
        return on
    }

    /// The release when the phase has reached the goal; `nil` to keep waiting; throws when it
    /// never will.
    private func check(
        _ release: Release, phase: ReleasePhase, goal: PhaseWaitGoal, operation: String,
        context: ReleaseError.Context
    ) throws(ReleaseError) -> Release? {
        if phase.isComplete { return release }
        if release.isCanceled {
            throw ReleaseError(
                .canceled, message: "the release was canceled", operation: operation, isRetryable: false,
                context: context)
        }
        if phase.isPaused || RolloutRule.pending(for: phase, in: release).contains(.paused) {
            throw ReleaseError(
                .paused, message: "phase '\(phase.name)' is paused (the rollout regressed)", operation: operation,
                isRetryable: false, context: context)
        }
        if goal == .rolledOut, RolloutRule.isRolledOut(phase, in: release) { return release }
        return nil
    }
}
