extension ReleaseClient {
    /// Polls the release until `phase` (an `_id` or name; `nil`: the active phase, else the
    /// next one) is complete, and returns the release then.
    ///
    /// - Throws: `ReleaseError` code `paused` when the phase is paused (a guarded rollout
    ///   regressed), `canceled` when the release is canceled, `not_found` when the release or
    ///   phase disappears, `timeout` when `policy.timeout` passes; each with the phase and the
    ///   last release seen in `context`.
    public func waitForPhase(
        project: String? = nil, flag: String, phase: String? = nil, policy: WaitPolicy = WaitPolicy(),
        waiter: Waiter = Waiter()
    ) async throws -> Release {
        let project = try resolveProject(project, operation: "phase.wait \(flag)")
        let operation = "phase.wait \(project)/\(flag)"
        var context = ReleaseError.Context(project: project, flag: flag, phaseId: phase)
        var phaseId: String?
        do {
            return try await waiter.wait(for: "phase \(phase ?? "(active)") of \(flag) to complete", policy: policy) {
                let release = try await existingRelease(project: project, flag: flag, operation: operation)
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
                return try check(release, phaseId: phaseId!, operation: operation, context: context)
            }
        } catch var error as ReleaseError {
            if error.kind == .timeout || error.kind == .interrupted {
                error.operation = operation
                error.context = context
            }
            throw error
        }
    }

    /// The release when the phase is complete; `nil` to keep waiting; throws when it never will.
    private func check(
        _ release: Release, phaseId: String, operation: String, context: ReleaseError.Context
    ) throws(ReleaseError) -> Release? {
        guard let phase = release.phases.first(where: { $0.id == phaseId }) else {
            throw ReleaseError(
                .notFound, message: "phase \(phaseId) is no longer part of the release", operation: operation,
                context: context)
        }
        if phase.isComplete { return release }
        if release.isCanceled {
            throw ReleaseError(
                .canceled, message: "the release was canceled", operation: operation, isRetryable: false,
                context: context)
        }
        if phase.isPaused {
            throw ReleaseError(
                .paused, message: "phase '\(phase.name)' is paused (the rollout regressed)", operation: operation,
                isRetryable: false, context: context)
        }
        return nil
    }
}
