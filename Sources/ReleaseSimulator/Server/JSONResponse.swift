import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Builds the simulator's responses: JSON bodies, error bodies and the rate-limit headers.
enum JSONResponse {
    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(date.epochMilliseconds)
        }
        return encoder
    }()

    static let rateLimitRemaining = HTTPField.Name("X-Ratelimit-Global-Remaining")!
    static let rateLimitReset = HTTPField.Name("X-Ratelimit-Reset")!
    static let retryAfter = HTTPField.Name("Retry-After")!

    /// `value` as a response body encodes it.
    static func encode(_ value: some Encodable) throws -> Data { try encoder.encode(value) }

    /// A JSON response with `value` as its body.
    static func make(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let data = try encoder.encode(value)
        return Response(
            status: status,
            headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data))
        )
    }

    /// An empty response, e.g. 204 after a delete.
    static func empty(status: HTTPResponse.Status = .noContent) -> Response {
        Response(status: status)
    }

    /// The `{code, message}` response of an error.
    static func error(_ error: SimulatorError) -> Response {
        let body = ErrorRepresentation(code: error.code, message: error.message)
        let status = HTTPResponse.Status(code: error.status)
        return (try? make(body, status: status)) ?? Response(status: status)
    }

    /// Adds the global rate-limit headers LaunchDarkly sends on every response (none when
    /// the simulator's limit is off).
    static func addRateLimitHeaders(_ status: RateLimiter.Status, to response: inout Response) {
        guard status.isReported else { return }
        response.headers[rateLimitRemaining] = String(status.remaining)
        response.headers[rateLimitReset] = String(status.resetMilliseconds)
    }
}
