import Logging
import Synchronization

/// The outcome of `ReleaseClient.startPhase`.
public enum PhaseStartResult: Sendable, Hashable {
    /// This call started the phase, sending `sent` as the `status` value.
    case started(Release, sent: String)
    /// The phase was already started (or complete) before this call; nothing was sent.
    case alreadyStarted(Release)

    /// The release after the call.
    public var release: Release {
        switch self {
        case .started(let release, _), .alreadyStarted(let release): release
        }
    }

    /// The `status` value the accepted start request carried; `nil` when nothing was sent.
    public var sentStatus: String? {
        if case .started(_, let sent) = self { return sent }
        return nil
    }
}

extension ReleaseClient {
    /// Starts a phase exactly once: sends `{"status": "active", "audiences": [...]}` unless the
    /// phase is already started, and never sends it twice for one start.
    ///
    /// `active` is what a real account accepts; the published spec names `Started`. The first
    /// value sent is the one the server last accepted, or, before any, the one of the dialect
    /// the release's statuses are spelt in (`firstStartValue(for:)`), so that starts sent side
    /// by side before the first answer do not each spend a refusal. When a 400 refuses the
    /// value itself (`refusesStartValue`), the other value is sent once, and the one accepted
    /// is kept for this client's later starts (`phaseStartValue`). A refused value changed
    /// nothing, so this keeps the exactly-once guarantee.
    ///
    /// `phase` is a phase `_id` or name; `nil` starts `PhaseSelector.next`. After an
    /// ambiguous failure (5xx, timeout, dropped connection) or a refusal that an earlier
    /// attempt could explain, the release is read again: a phase that is now started counts
    /// as success; one that is not is tried again within the retry policy.
    ///
    /// `known` is the release as the caller read it within the same step (the release a
    /// runbook passes to `phase.start`). It is trusted instead of being read again: when it
    /// is stale and the phase has been started since, the server refuses the second start
    /// (a 400), the release is read again and the call reports `.alreadyStarted`, so a
    /// start is still sent at most once.
    public func startPhase(
        project: String? = nil, flag: String, phaseId phase: String? = nil, audiences: [PhaseAudienceInput]? = nil,
        known: Release? = nil
    ) async throws -> PhaseStartResult {
        let project = try resolveProject(project, operation: "phase.start \(flag)")
        let operation = "phase.start \(project)/\(flag)"
        var release: Release
        if let known {
            release = known
        } else {
            release = try await existingRelease(project: project, flag: flag, operation: operation)
        }
        let target = try phaseToStart(phase, in: release, operation: operation, project: project, flag: flag)
        if target.isStarted || target.isComplete { return .alreadyStarted(release) }
        var value = firstStartValue(for: release)
        var refused: [(value: String, error: ReleaseError)] = []
        let clock = ContinuousClock()
        let start = clock.now
        var round = 0
        var sentAmbiguously = false
        while true {
            round += 1
            let request = phaseStatusRequest(
                project: project, flag: flag, phaseId: target.id, status: value, audiences: audiences,
                operation: "phase.start")
            let failure: ReleaseError
            do {
                let started = try decodeRelease(try await send(request), as: request)
                learned.withLock { $0.startValue = value }
                return .started(started, sent: value)
            } catch {
                failure = error
            }
            if Self.refusesStartValue(failure) {
                refused.append((value, failure))
                guard let other = Self.otherStartValue(value), !refused.contains(where: { $0.value == other }) else {
                    let tried = refused.map { "'\($0.value)' (\($0.error.message))" }.joined(separator: ", ")
                    throw ReleaseError(
                        .invalidRequest, message: "the server refused every phase start value: \(tried)",
                        operation: operation, status: failure.status,
                        context: .init(project: project, flag: flag, phaseId: target.id, phaseName: target.name))
                }
                logger.warning(
                    "the server refused phase status '\(value)'; sending '\(other)' instead",
                    metadata: ["operation": "\(operation)", "message": "\(failure.message)"])
                value = other
                continue
            }
            let ambiguous = Self.isAmbiguous(failure)
            guard ambiguous || (failure.status == 400 || failure.status == 409) else { throw failure }
            sentAmbiguously = sentAmbiguously || ambiguous
            release = try await existingRelease(project: project, flag: flag, operation: operation)
            if let now = release.phases.first(where: { $0.id == target.id }), now.isStarted || now.isComplete {
                logger.debug("phase start confirmed by re-reading the release", metadata: ["operation": "\(operation)"])
                guard sentAmbiguously else { return .alreadyStarted(release) }
                learned.withLock { $0.startValue = value }
                return .started(release, sent: value)
            }
            let delay = configuration.retry.backoffDelay(afterAttempt: round, random: .random(in: 0..<1))
            guard ambiguous, round < configuration.retry.maxAttempts,
                clock.now - start + delay <= configuration.retry.maxTotalTime
            else { throw failure }
            logger.debug(
                "phase not started after an ambiguous failure; trying again",
                metadata: ["operation": "\(operation)", "error": "\(failure.code)"])
            do {
                try await pause(for: delay)
            } catch {
                throw interrupted(request)
            }
        }
    }

    /// Whether a failure refuses the start request's `status` value itself, rather than the
    /// start (a phase already started, or one whose predecessor is not done): a 400 whose
    /// message speaks of the status (`Phase status can only be manually updated to
    /// `Active`.`, `status: 'active' is not one of ...`) and not of the phase's state.
    static func refusesStartValue(_ error: ReleaseError) -> Bool {
        guard error.status == 400 else { return false }
        let message = error.message.lowercased()
        guard message.contains("status") else { return false }
        let stateWords = [
            "already", "cannot start", "previous phase", "not complete", "waiting for", "monitoring", "is paused",
        ]
        return !stateWords.contains { message.contains($0) }
    }

    /// The other dialect's start value.
    static func otherStartValue(_ value: String) -> String? {
        switch value {
        case APIDialect.observed.startValue: APIDialect.spec.startValue
        case APIDialect.spec.startValue: APIDialect.observed.startValue
        default: nil
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
