import Logging
import NIOHTTP1

extension ReleaseClient {
    /// Sends `request` through the rate limiter, retrying as `RetryDecision` allows.
    func send(_ request: APIRequest) async throws(ReleaseError) -> APIResponse {
        let clock = ContinuousClock()
        let start = clock.now
        var attempt = 0
        var sentAmbiguously = false
        while true {
            attempt += 1
            if Task.isCancelled { throw interrupted(request) }
            let ticket: RateLimiter.Ticket
            do {
                ticket = try await rateLimiter.acquire(route: request.route)
            } catch {
                throw interrupted(request)
            }
            let attemptStart = clock.now
            let outcome: RetryDecision.Outcome
            var failure: ReleaseError
            do {
                let response = try await sendFollowingRedirects(request)
                let rateLimit = RateLimitHeaders(headers: response.headers, nowMillis: nowMillis())
                await rateLimiter.complete(ticket, headers: rateLimit, status: response.status)
                if let answer = try answer(for: response, to: request, afterAmbiguousAttempt: sentAmbiguously) {
                    report(request, status: response.status, error: nil, since: attemptStart, attempt, retry: false)
                    return answer
                }
                outcome = .response(status: response.status, rateLimit: rateLimit)
                failure = ReleaseError.fromResponse(
                    status: response.status, body: response.body, operation: request.operation,
                    isBetaRoute: request.isBeta, context: request.context
                ).redacting(configuration.accessToken)
            } catch let error as TransportError {
                await rateLimiter.complete(ticket, headers: nil, status: nil)
                outcome = .transport(error)
                failure = transportFailure(error, request)
            } catch let error as ReleaseError {
                await rateLimiter.complete(ticket, headers: nil, status: nil)
                report(request, status: nil, error: error.message, since: attemptStart, attempt, retry: false)
                throw error
            } catch {
                await rateLimiter.complete(ticket, headers: nil, status: nil)
                throw interrupted(request)
            }
            failure.attempts = attempt
            failure.followsAmbiguousAttempt = sentAmbiguously
            let delay = RetryDecision.delay(
                after: outcome, retriesAmbiguousFailures: request.retriesAmbiguousFailures, attempt: attempt,
                elapsed: clock.now - start, policy: configuration.retry, nowMillis: nowMillis(),
                random: Double.random(in: 0..<1))
            let status: Int? = if case .response(let status, _) = outcome { status } else { nil }
            let transportDetail: String? = if case .transport(let error) = outcome { error.description } else { nil }
            report(request, status: status, error: transportDetail, since: attemptStart, attempt, retry: delay != nil)
            guard let delay else { throw failure }
            sentAmbiguously = sentAmbiguously || Self.mayHaveTakenEffect(outcome)
            if status == 429 { await rateLimiter.block(for: delay) }
            logger.debug(
                "retrying \(request.operation)",
                metadata: [
                    "attempt": "\(attempt)", "reason": "\(status.map { "HTTP \($0)" } ?? transportDetail ?? "")",
                    "delay": "\(delay)",
                ])
            do {
                try await Task.sleep(for: delay)
            } catch {
                throw interrupted(request)
            }
        }
    }

    /// Whether the server may have acted on a failed attempt (5xx, timeout, dropped connection).
    static func mayHaveTakenEffect(_ outcome: RetryDecision.Outcome) -> Bool {
        switch outcome {
        case .response(let status, _): RetryDecision.isRetryableServerStatus(status)
        case .transport(let error): error.mayHaveBeenSent
        }
    }

    /// The result for a response that answers the call, `nil` for an error response. A 404 to a
    /// DELETE retried after an ambiguous failure means the earlier attempt deleted it: success.
    private func answer(
        for response: TransportResponse, to request: APIRequest, afterAmbiguousAttempt: Bool
    ) throws(ReleaseError) -> APIResponse? {
        if response.status == 404 && request.notFoundIsAnswer { return APIResponse(status: 404, json: nil) }
        if response.status == 404 && request.method == .DELETE && afterAmbiguousAttempt {
            return APIResponse(status: 204, json: nil)
        }
        guard (200...299).contains(response.status) else { return nil }
        if response.body.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            return APIResponse(status: response.status, json: nil)
        }
        do {
            return APIResponse(status: response.status, json: try JSONValue(parsing: response.body))
        } catch {
            throw ReleaseError(
                .decoding, message: "response is not JSON: \(error)", operation: request.operation,
                status: response.status, context: request.context)
        }
    }

    private func transportFailure(_ error: TransportError, _ request: APIRequest) -> ReleaseError {
        let isTimeout = error.kind == .timeout
        return ReleaseError(
            isTimeout ? .timeout : .transport,
            message: isTimeout
                ? "no response within \(configuration.timeouts.request)" : "request failed: \(error.detail)",
            operation: request.operation, isRetryable: true, context: request.context)
    }

    func interrupted(_ request: APIRequest) -> ReleaseError {
        ReleaseError(.interrupted, message: "interrupted", operation: request.operation, context: request.context)
    }

    private func report(
        _ request: APIRequest, status: Int?, error: String?, since start: ContinuousClock.Instant, _ attempt: Int,
        retry: Bool
    ) {
        guard let onRequest = configuration.onRequest else { return }
        onRequest(
            RequestRecord(
                operation: request.operation, method: request.method.rawValue, path: request.path, status: status,
                transportError: error, duration: ContinuousClock.now - start, attempt: attempt, willRetry: retry))
    }
}
