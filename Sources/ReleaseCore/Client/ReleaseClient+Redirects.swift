import Foundation
import NIOHTTP1

extension ReleaseClient {
    /// The most same-origin redirects followed for one attempt.
    static let maximumRedirects = 5

    /// Sends one attempt with the standard headers, following redirects only within the
    /// configured origin: the token is never sent to another host.
    func sendFollowingRedirects(_ request: APIRequest) async throws -> TransportResponse {
        var url = configuration.baseURL.url(path: request.path)
        var redirects = 0
        while true {
            let outgoing = TransportRequest(
                method: request.method, url: url, headers: headers(for: request),
                body: request.body?.serializedBytes())
            let response = try await transport.send(outgoing, timeout: configuration.timeouts.request)
            guard [301, 302, 303, 307, 308].contains(response.status),
                let location = response.headers.first(name: "Location")
            else { return response }
            guard let target = sameOriginURL(location, relativeTo: url) else {
                throw ReleaseError(
                    .transport,
                    message: "refused to follow a redirect (HTTP \(response.status)) away from "
                        + "\(configuration.baseURL.origin): the access token is only sent there",
                    operation: request.operation, status: response.status, isRetryable: false,
                    context: request.context)
            }
            redirects += 1
            guard redirects <= Self.maximumRedirects else {
                throw ReleaseError(
                    .transport, message: "too many redirects", operation: request.operation,
                    status: response.status, isRetryable: false, context: request.context)
            }
            url = target
        }
    }

    /// `location` resolved against `base` when it stays on the configured origin, else `nil`.
    func sameOriginURL(_ location: String, relativeTo base: String) -> String? {
        guard let baseURL = URL(string: base), let resolved = URL(string: location, relativeTo: baseURL)?.absoluteURL,
            let target = try? BaseURL(resolved.absoluteString)
        else { return nil }
        guard target.origin == configuration.baseURL.origin else { return nil }
        return resolved.absoluteString
    }

    func headers(for request: APIRequest) -> HTTPHeaders {
        var headers = HTTPHeaders()
        headers.add(name: "Authorization", value: configuration.accessToken)
        headers.add(name: "User-Agent", value: configuration.userAgent)
        headers.add(name: "Accept", value: "application/json")
        if request.isBeta { headers.add(name: "LD-API-Version", value: "beta") }
        if request.body != nil { headers.add(name: "Content-Type", value: "application/json") }
        return headers
    }
}
