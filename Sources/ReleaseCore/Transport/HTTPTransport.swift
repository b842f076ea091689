import NIOHTTP1

/// Sends one HTTP request and returns the whole response: the seam where tests substitute
/// the network. Implementations must not follow redirects (the client decides).
public protocol HTTPTransport: Sendable {
    /// Sends `request`, giving up after `timeout`.
    ///
    /// - Throws: `TransportError` when no response arrived; `CancellationError` when cancelled.
    func send(_ request: TransportRequest, timeout: Duration) async throws -> TransportResponse

    /// Closes connections; no request may be sent afterwards.
    func shutdown() async throws
}

/// An HTTP request to send.
public struct TransportRequest: Sendable {
    public var method: HTTPMethod
    /// The absolute URL.
    public var url: String
    public var headers: HTTPHeaders
    public var body: [UInt8]?

    public init(method: HTTPMethod, url: String, headers: HTTPHeaders = [:], body: [UInt8]? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }
}

/// A complete HTTP response.
public struct TransportResponse: Sendable {
    public var status: Int
    public var headers: HTTPHeaders
    public var body: [UInt8]

    public init(status: Int, headers: HTTPHeaders = [:], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}

/// Why no response arrived; decides whether a retry is safe.
public struct TransportError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What failed.
    public enum Kind: String, Sendable, Hashable {
        /// No connection was made: the request was certainly not sent, so any method may retry.
        case connectFailed
        /// The attempt ran out of time: the server may or may not have acted.
        case timeout
        /// The connection broke after the request may have been sent.
        case connectionLost
        /// The server answered with a body larger than the transport accepts. Asking again
        /// would download it again, so it is not retried.
        case responseTooLarge
        /// Anything else (the request may have been sent).
        case other
    }

    public var kind: Kind
    /// Details for logs (never containing the token).
    public var detail: String

    public init(_ kind: Kind, detail: String) {
        self.kind = kind
        self.detail = detail
    }

    /// Whether the request may have reached the server.
    public var mayHaveBeenSent: Bool { kind != .connectFailed }

    public var description: String { "\(kind.rawValue): \(detail)" }
}
