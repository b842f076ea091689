/// Phase changes: the API's "update phase status" and JSON patch, and the admin actions.
extension ReleaseStore {
    func updatePhaseStatus(project: String, flag: String, phaseId: String, input: UpdatePhaseStatusInput)
        throws(SimulatorError) -> ReleaseRepresentation
    {
        try Self.checkStartStatus(input.status, dialect: dialect)
        let now = nowMilliseconds
        return try withRelease(project: project, flag: flag) { release throws(SimulatorError) in
            let index = try Self.phaseIndex(phaseId, in: release)
            let settings = try Self.audienceSettings(input.audiences ?? [], for: release.phases[index].definition)
            try release.startPhase(at: index, now: now)
            release.phases[index].definition = settings
            return ReleaseRepresentation(release, projectKey: project)
        }
    }

    func patchRelease(project: String, flag: String, operations: [PatchOperation])
        throws(SimulatorError) -> ReleaseRepresentation
    {
        let now = nowMilliseconds
        return try withRelease(project: project, flag: flag) { release throws(SimulatorError) in
            guard release.isLegacy else {
                throw .invalidRequest(
                    "release of '\(flag)' is on pipeline '\(release.pipelineKey)', which is not a legacy pipeline; "
                        + "use the update phase status endpoint"
                )
            }
            var patched = release
            for (number, operation) in operations.enumerated() {
                let (index, complete) = try Self.completeOperation(operation, number: number, in: patched)
                patched.setPhaseComplete(at: index, complete, now: now)
            }
            release = patched
            return ReleaseRepresentation(release, projectKey: project)
        }
    }

    /// Refuses every `status` but the one the dialect starts a phase with: `Started` in
    /// the spec, `active` (any case) observed, with the dialect's error message.
    private static func checkStartStatus(_ status: String?, dialect: SimulatorDialect) throws(SimulatorError) {
        guard let status else { throw .invalidRequest("status: required field missing") }
        switch dialect {
        case .observed:
            guard status.lowercased() == "active" else {
                throw .invalidRequest("Phase status can only be manually updated to `Active`.")
            }
        case .spec:
            guard status != PhaseStatus.started.rawValue else { return }
            guard PhaseStatus(rawValue: status) != nil else {
                let allowed = PhaseStatus.allCases.map(\.rawValue).joined(separator: ", ")
                throw .invalidRequest("status: '\(status)' is not one of \(allowed)")
            }
            throw .invalidRequest("status: only 'Started' can be requested; '\(status)' is set by LaunchDarkly")
        }
    }

    /// Applies an admin action to a phase (`nil` = the active phase).
    func changePhase(
        project: String,
        flag: String,
        phaseId: String?,
        _ change: (inout ReleaseState, Int, Int64) throws(SimulatorError) -> Void
    ) throws(SimulatorError) -> ReleaseRepresentation {
        let now = nowMilliseconds
        return try withRelease(project: project, flag: flag) { release throws(SimulatorError) in
            let index: Int
            if let phaseId {
                // An admin action names a phase by id or by name ("Staging").
                guard let found = release.phaseIndex(idOrName: phaseId) else {
                    let names = release.phases.map(\.definition.name).joined(separator: ", ")
                    throw .notFound(
                        "phase '\(phaseId)' not found in the release of '\(release.flagKey)' (its phases: \(names))")
                }
                index = found
            } else if let active = release.activePhaseIndex {
                index = active
            } else {
                throw .invalidRequest("the release of '\(flag)' has no started phase")
            }
            try change(&release, index, now)
            return ReleaseRepresentation(release, projectKey: project)
        }
    }

    private static func phaseIndex(_ phaseId: String, in release: ReleaseState) throws(SimulatorError) -> Int {
        guard let index = release.phaseIndex(id: phaseId) else {
            throw .notFound("phase '\(phaseId)' not found in the release of '\(release.flagKey)'")
        }
        return index
    }

    /// Reads `replace /phases/N/complete` (also `/phase/N/complete`, as the API docs spell it).
    private static func completeOperation(_ operation: PatchOperation, number: Int, in release: ReleaseState)
        throws(SimulatorError) -> (index: Int, complete: Bool)
    {
        let parts = operation.path.split(separator: "/", omittingEmptySubsequences: false)
        guard operation.op == "replace", parts.count == 4, parts[0].isEmpty,
            parts[1] == "phases" || parts[1] == "phase", parts[3] == "complete", let index = Int(parts[2])
        else {
            throw .invalidRequest(
                "[\(number)]: unsupported operation '\(operation.op) \(operation.path)'; "
                    + "only 'replace /phases/N/complete' is allowed"
            )
        }
        guard release.phases.indices.contains(index) else {
            throw .invalidRequest("[\(number)].path: the release has no phase \(index)")
        }
        guard case .bool(let complete) = operation.value else {
            throw .invalidRequest("[\(number)].value: expected a boolean")
        }
        return (index, complete)
    }

    /// The phase with the audience settings given when it starts applied.
    private static func audienceSettings(
        _ settings: [UpdatePhaseStatusInput.AudienceSettings],
        for phase: PhaseDefinition
    ) throws(SimulatorError) -> PhaseDefinition {
        var phase = phase
        for (number, setting) in settings.enumerated() {
            guard let audienceId = setting.audienceId else { continue }
            guard let index = phase.audiences.firstIndex(where: { $0.id == audienceId }) else {
                throw .invalidRequest(
                    "audiences[\(number)].audienceId: phase '\(phase.name)' has no audience '\(audienceId)'")
            }
            guard var configuration = phase.audiences[index].configuration else { continue }
            if let members = setting.notifyMemberIds { configuration.notifyMemberIds = members }
            if let teams = setting.notifyTeamKeys { configuration.notifyTeamKeys = teams }
            if let guardian = setting.releaseGuardianConfiguration,
                var current = configuration.releaseGuardianConfiguration
            {
                current.monitoringWindowMilliseconds =
                    guardian.monitoringWindowMilliseconds ?? current.monitoringWindowMilliseconds
                current.rolloutWeight = guardian.rolloutWeight ?? current.rolloutWeight
                current.rollbackOnRegression = guardian.rollbackOnRegression ?? current.rollbackOnRegression
                current.randomizationUnit = guardian.randomizationUnit ?? current.randomizationUnit
                configuration.releaseGuardianConfiguration = current
            }
            phase.audiences[index].configuration = configuration
        }
        return phase
    }
}
