import Logging
import NIOHTTP1

extension ReleaseClient {
    /// Sends `request` through the rate limiter, retrying as `RetryDecision` allows.
    func send(_ request: APIRequest) async throws(ReleaseError) -> APIResponse {
        let start = ContinuousClock.now
        var attempt = 0
        var failures = 0
        var rateLimitWaits = 0
        var sentAmbiguously = false
        while true {
            attempt += 1
            let attemptStart = ContinuousClock.now
            let (outcome, response) = try await performAttempt(request)
            if let response,
                let answer = try answer(for: response, to: request, afterAmbiguousAttempt: sentAmbiguously)
            {
                report(request, outcome, since: attemptStart, attempt, retry: false)
                return answer
            }
            var failure = self.failure(outcome, response, request)
            failure.attempts = attempt
            failure.followsAmbiguousAttempt = sentAmbiguously
            let rateLimited = if case .response(429, _) = outcome { true } else { false }
            if !rateLimited { failures += 1 }
            let delay = RetryDecision.delay(
                after: outcome, retriesAmbiguousFailures: request.retriesAmbiguousFailures,
                attempt: max(failures, 1), rateLimitWaits: rateLimitWaits, elapsed: ContinuousClock.now - start,
                policy: configuration.retry, nowMillis: nowMillis(), random: Double.random(in: 0..<1),
                isRead: request.method == .GET)
            if rateLimited { rateLimitWaits += 1 }
            report(request, outcome, since: attemptStart, attempt, retry: delay != nil)
            guard let delay else { throw failure }
            sentAmbiguously = sentAmbiguously || Self.mayHaveTakenEffect(outcome)
            if case .response(429, _) = outcome { await rateLimiter.block(for: delay) }
            logger.debug(
                "retrying \(request.operation)",
                metadata: ["attempt": "\(attempt)", "reason": "\(Self.summary(outcome))", "delay": "\(delay)"])
            do {
                try await pause(for: delay)
            } catch {
                throw interrupted(request)
            }
        }
    }

    /// Waits between two attempts, as the configuration says (real time by default).
    func pause(for delay: Duration) async throws {
        if let sleep = configuration.sleep {
            try await sleep(delay)
        } else {
            try await Task.sleep(for: delay)
        }
    }

    /// One attempt: a rate-limiter reservation, the request, and the reservation returned with
    /// what the response said. Returns the outcome and, when one arrived, the response.
    private func performAttempt(
        _ request: APIRequest
    ) async throws(ReleaseError) -> (RetryDecision.Outcome, TransportResponse?) {
        if Task.isCancelled { throw interrupted(request) }
        let ticket: RateLimiter.Ticket
        do {
            ticket = try await rateLimiter.acquire(route: request.route)
        } catch {
            throw interrupted(request)
        }
        do {
            let response = try await sendFollowingRedirects(request)
            let rateLimit = RateLimitHeaders(headers: response.headers, nowMillis: nowMillis())
            await rateLimiter.complete(ticket, headers: rateLimit, status: response.status)
            return (.response(status: response.status, rateLimit: rateLimit), response)
        } catch let error as TransportError {
            await rateLimiter.complete(ticket, headers: nil, status: nil)
            return (.transport(error), nil)
        } catch let error as ReleaseError {
            await rateLimiter.complete(ticket, headers: nil, status: nil)
            throw error
        } catch {
            await rateLimiter.complete(ticket, headers: nil, status: nil)
            throw interrupted(request)
        }
    }

    /// The error for a failed attempt.
    private func failure(
        _ outcome: RetryDecision.Outcome, _ response: TransportResponse?, _ request: APIRequest
    ) -> ReleaseError {
        switch outcome {
        case .response(let status, _):
            return ReleaseError.fromResponse(
                status: status, body: response?.body ?? [], operation: request.operation, isBetaRoute: request.isBeta,
                context: request.context
            ).redacting(configuration.accessToken)
        case .transport(let error):
            return transportFailure(error, request)
        }
    }

    /// `HTTP 503` or the transport failure, for logs.
    static func summary(_ outcome: RetryDecision.Outcome) -> String {
        switch outcome {
        case .response(let status, _): "HTTP \(status)"
        case .transport(let error): error.description
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
        if response.status == 404 && request.notFoundIsAnswer {
            return APIResponse(status: 404, json: nil, headers: response.headers)
        }
        if response.status == 404 && request.method == .DELETE && afterAmbiguousAttempt {
            return APIResponse(status: 204, json: nil, headers: response.headers)
        }
        guard (200...299).contains(response.status) else { return nil }
        if response.body.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            return APIResponse(status: response.status, json: nil, headers: response.headers)
        }
        do {
            return APIResponse(
                status: response.status, json: try JSONValue(parsing: response.body), headers: response.headers)
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
            operation: request.operation, isRetryable: error.kind != .responseTooLarge, context: request.context)
    }

    func interrupted(_ request: APIRequest) -> ReleaseError {
        ReleaseError(.interrupted, message: "interrupted", operation: request.operation, context: request.context)
    }

    private func report(
        _ request: APIRequest, _ outcome: RetryDecision.Outcome, since start: ContinuousClock.Instant, _ attempt: Int,
        retry: Bool
    ) {
        guard let onRequest = configuration.onRequest else { return }
        var status: Int?
        var transportError: String?
        switch outcome {
        case .response(let code, _): status = code
        case .transport(let error): transportError = error.description
        }
        onRequest(
            RequestRecord(
                operation: request.operation, method: request.method.rawValue, path: request.path, status: status,
                transportError: transportError, duration: ContinuousClock.now - start, attempt: attempt,
                willRetry: retry))
    }
}
