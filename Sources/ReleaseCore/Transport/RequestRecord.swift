import NIOHTTP1

/// One HTTP attempt, as reported to `ReleaseClientConfiguration.onRequest` for journals and
/// logs. Holds the path only (no host, no headers), so it never carries the token.
public struct RequestRecord: Sendable {
    /// The operation, e.g. `release.get web/checkout`.
    public var operation: String
    public var method: String
    /// The path and query, e.g. `/api/v2/flags/web/checkout/release`.
    public var path: String
    /// The response status, or `nil` when no response arrived.
    public var status: Int?
    /// Why no response arrived (`TransportError` description), when none did.
    public var transportError: String?
    /// How long the attempt took.
    public var duration: Duration
    /// 1 for the first attempt of a call.
    public var attempt: Int
    /// Whether the client will try again after this attempt.
    public var willRetry: Bool

    public init(
        operation: String, method: String, path: String, status: Int?, transportError: String?,
        duration: Duration, attempt: Int, willRetry: Bool
    ) {
        self.operation = operation
        self.method = method
        self.path = path
        self.status = status
        self.transportError = transportError
        self.duration = duration
        self.attempt = attempt
        self.willRetry = willRetry
    }
}
