import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// The checks every request passes before its handler runs, in LaunchDarkly's order:
/// token (401), rate limit (429), route (404), beta header (403), then injected faults.
/// It also records API requests in the request log and adds the rate-limit headers to
/// every response. Admin routes (`/_sim/`) only need the token.
struct RequestPipeline: RouterMiddleware {
    typealias Context = SimulatorRequestContext

    /// Thrown after a fault closed the connection, so that no response is written.
    struct ConnectionDropped: Error {}

    let state: SimulatorState
    /// The route of each endpoint, keyed by `"METHOD endpoint-path"`.
    let routes: [String: SimulatorRoute]

    static let maximumBodySize = 1 << 20

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var context = context
        var request = request
        context.body = try await request.collectBody(upTo: Self.maximumBodySize)
        if request.uri.path.hasPrefix("/_sim/") {
            return await respondToAdmin(request, context: context, next: next)
        }
        let route = context.endpointPath.flatMap { routes["\(request.method) \($0)"] }
        let logId = await state.log.append(
            SimulatorRequestRecord(
                method: request.method.rawValue,
                path: request.uri.path,
                query: request.uri.query,
                route: route,
                flagKey: context.parameters.get("flagKey"),
                body: context.body.readableBytes > 0 ? String(buffer: context.body) : nil,
                time: Date()
            )
        )
        let outcome = await respondToAPI(request, context: context, route: route, next: next)
        await state.log.update(logId) { record in
            record.status = outcome.response.map { Int($0.status.code) }
            record.fault = outcome.fault
            record.processed = outcome.processed
        }
        guard let response = outcome.response, !outcome.dropConnection else {
            try? await context.channel.close()
            throw ConnectionDropped()
        }
        return response
    }

    /// What happened to an API request.
    private struct Outcome {
        var response: Response?
        var action: FaultAction?
        var fault: String?
        var processed = false
        var dropConnection: Bool {
            action == .dropBeforeProcessing || action == .dropAfterProcessing
        }
    }

    private func respondToAPI(
        _ request: Request,
        context: Context,
        route: SimulatorRoute?,
        next: (Request, Context) async throws -> Response
    ) async -> Outcome {
        let now = SimulatorState.nowMilliseconds()
        guard isAuthorized(request) else {
            return Outcome(response: await withPeekedLimit(JSONResponse.error(Self.unauthorized), now: now))
        }
        let limit = await state.rateLimiter.consume(now: now)
        var outcome = Outcome()
        let response: Response?
        if !limit.allowed {
            var limited = JSONResponse.error(Self.rateLimited)
            limited.headers[JSONResponse.retryAfter] = String(max(1, (limit.resetMilliseconds - now + 999) / 1_000))
            response = limited
        } else if let route {
            response = await respond(request, context: context, route: route, outcome: &outcome, next: next)
        } else {
            response = await Self.run(request, context: context, next: next)
        }
        outcome.response = response.map { response in
            var response = response
            JSONResponse.addRateLimitHeaders(limit, to: &response)
            if outcome.action == .rateLimitedResetInPast {
                response.headers[JSONResponse.rateLimitRemaining] = "0"
                response.headers[JSONResponse.rateLimitReset] = String(now - 5_000)
            }
            return response
        }
        return outcome
    }

    /// Beta check, faults and the handler of a known API route; `nil` when a fault
    /// drops the connection before processing.
    private func respond(
        _ request: Request,
        context: Context,
        route: SimulatorRoute,
        outcome: inout Outcome,
        next: (Request, Context) async throws -> Response
    ) async -> Response? {
        if route.isBeta, request.headers[Self.apiVersion]?.lowercased() != "beta" {
            return JSONResponse.error(
                .forbidden("this is a beta resource; send the header 'LD-API-Version: beta' to use it")
            )
        }
        let decision = await state.faults.decide(route: route, flagKey: context.parameters.get("flagKey"))
        outcome.fault = decision.summary
        outcome.action = decision.action
        if decision.latency > .zero {
            try? await Task.sleep(for: decision.latency)
        }
        switch decision.action {
        case .status(let status):
            return JSONResponse.error(Self.injectedError(status: status))
        case .rateLimited(let seconds):
            var response = JSONResponse.error(Self.rateLimited)
            response.headers[JSONResponse.retryAfter] = String(seconds)
            return response
        case .rateLimitedResetInPast:
            return JSONResponse.error(Self.rateLimited)
        case .dropBeforeProcessing:
            return nil
        case .dropAfterProcessing:
            outcome.processed = true
            return await Self.run(request, context: context, next: next)
        case .latency, nil:
            outcome.processed = true
            return await Self.run(request, context: context, next: next)
        }
    }

    private func respondToAdmin(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async -> Response {
        let now = SimulatorState.nowMilliseconds()
        let response =
            isAuthorized(request)
            ? await Self.run(request, context: context, next: next)
            : JSONResponse.error(Self.unauthorized)
        return await withPeekedLimit(response, now: now)
    }

    private func withPeekedLimit(_ response: Response, now: Int64) async -> Response {
        var response = response
        JSONResponse.addRateLimitHeaders(await state.rateLimiter.peek(now: now), to: &response)
        return response
    }

    private func isAuthorized(_ request: Request) -> Bool {
        guard let value = request.headers[.authorization] else { return false }
        return value == state.accessToken || value == "Bearer \(state.accessToken)"
    }

    /// Runs the handler, turning every error into its `{code, message}` response.
    private static func run(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async -> Response {
        do {
            return try await next(request, context)
        } catch let error as SimulatorError {
            return JSONResponse.error(error)
        } catch let error as HTTPError where error.status == .notFound {
            return JSONResponse.error(.notFound("no route \(request.method) \(request.uri.path)"))
        } catch let error as HTTPError {
            return JSONResponse.error(
                SimulatorError(
                    status: Int(error.status.code), code: "invalid_request", message: error.body ?? "\(error)")
            )
        } catch {
            return JSONResponse.error(SimulatorError(status: 500, code: "internal_server_error", message: "\(error)"))
        }
    }

    private static let apiVersion = HTTPField.Name("LD-API-Version")!
    private static let unauthorized = SimulatorError.unauthorized("invalid or missing access token")
    private static let rateLimited = SimulatorError.rateLimited("you've exceeded the API rate limit; try again later")

    private static func injectedError(status: Int) -> SimulatorError {
        switch status {
        case 429: rateLimited
        case 500..<600: SimulatorError(status: status, code: "internal_server_error", message: "injected fault")
        default: SimulatorError(status: status, code: "invalid_request", message: "injected fault")
        }
    }
}
