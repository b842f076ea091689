import Logging

/// The outcome of `ReleaseClient.startPhase`.
public enum PhaseStartResult: Sendable, Hashable {
    /// This call started the phase.
    case started(Release)
    /// The phase was already started (or complete) before this call; nothing was sent.
    case alreadyStarted(Release)

    /// The release after the call.
    public var release: Release {
        switch self {
        case .started(let release), .alreadyStarted(let release): release
        }
    }
}

extension ReleaseClient {
    /// Starts a phase exactly once: sends `{"status": "Started", "audiences": [...]}` unless the
    /// phase is already started, and never sends it twice for one start.
    ///
    /// `phase` is a phase `_id` or name; `nil` starts `PhaseSelector.next`. After an
    /// ambiguous failure (5xx, timeout, dropped connection) or a refusal that an earlier
    /// attempt could explain, the release is read again: a phase that is now started counts
    /// as success; one that is not is tried again within the retry policy.
    public func startPhase(
        project: String? = nil, flag: String, phaseId phase: String? = nil, audiences: [PhaseAudienceInput]? = nil
    ) async throws -> PhaseStartResult {
        let project = try resolveProject(project, operation: "phase.start \(flag)")
        let operation = "phase.start \(project)/\(flag)"
        var release = try await existingRelease(project: project, flag: flag, operation: operation)
        let target = try phaseToStart(phase, in: release, operation: operation, project: project, flag: flag)
        if target.isStarted || target.isComplete { return .alreadyStarted(release) }
        let request = phaseStatusRequest(
            project: project, flag: flag, phaseId: target.id, status: .started, audiences: audiences,
            operation: "phase.start")
        let clock = ContinuousClock()
        let start = clock.now
        var round = 0
        var sentAmbiguously = false
        while true {
            round += 1
            let failure: ReleaseError
            do {
                let response = try await send(request)
                return .started(
                    try decode(response, as: request) { json throws(ReleaseError) in try Release(json: json) })
            } catch {
                failure = error
            }
            let ambiguous = Self.isAmbiguous(failure)
            guard ambiguous || (failure.status == 400 || failure.status == 409) else { throw failure }
            sentAmbiguously = sentAmbiguously || ambiguous
            release = try await existingRelease(project: project, flag: flag, operation: operation)
            if let now = release.phases.first(where: { $0.id == target.id }), now.isStarted || now.isComplete {
                logger.debug("phase start confirmed by re-reading the release", metadata: ["operation": "\(operation)"])
                return sentAmbiguously ? .started(release) : .alreadyStarted(release)
            }
            let delay = configuration.retry.backoffDelay(afterAttempt: round, random: .random(in: 0..<1))
            guard ambiguous, round < configuration.retry.maxAttempts,
                clock.now - start + delay <= configuration.retry.maxTotalTime
            else { throw failure }
            logger.debug(
                "phase not started after an ambiguous failure; trying again",
                metadata: ["operation": "\(operation)", "error": "\(failure.code)"])
            do {
                try await Task.sleep(for: delay)
            } catch {
                throw interrupted(request)
            }
        }
    }

    /// Failures after which the server may or may not have acted.
    static func isAmbiguous(_ error: ReleaseError) -> Bool {
        if let status = error.status { return RetryDecision.isRetryableServerStatus(status) }
        return error.kind == .timeout || error.kind == .transport
    }

    func existingRelease(project: String, flag: String, operation: String) async throws -> Release {
        guard let release = try await release(project: project, flag: flag) else {
            throw ReleaseError(
                .notFound, message: "flag \(flag) has no release", operation: operation, status: 404,
                context: .init(project: project, flag: flag))
        }
        return release
    }

    func phaseToStart(
        _ phase: String?, in release: Release, operation: String, project: String, flag: String
    ) throws(ReleaseError) -> ReleasePhase {
        if let phase {
            guard let found = PhaseSelector.find(phase, in: release) else {
                throw ReleaseError(
                    .notFound, message: "the release has no phase '\(phase)'", operation: operation,
                    context: .init(project: project, flag: flag, phaseId: phase, release: release.raw))
            }
            return found
        }
        guard let next = PhaseSelector.next(in: release) else {
            throw ReleaseError(
                .invalidRequest,
                message: "no phase left to start (status \(PhaseSelector.status(of: release).rawValue))",
                operation: operation, context: .init(project: project, flag: flag, release: release.raw))
        }
        return next
    }
}
