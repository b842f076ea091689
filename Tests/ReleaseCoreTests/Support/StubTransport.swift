import Foundation
import NIOHTTP1
import ReleaseCore

/// A transport that answers from a script and remembers every request, for tests of what the
/// client sends (headers, redirects) without a server.
final class StubTransport: HTTPTransport, @unchecked Sendable {
    typealias Responder = @Sendable (TransportRequest) throws -> TransportResponse

    private let lock = NSLockWrapper()
    private var sent: [TransportRequest] = []
    private let responder: Responder

    init(_ responder: @escaping Responder) {
        self.responder = responder
    }

    /// Every request sent so far.
    var requests: [TransportRequest] { lock.withLock { sent } }

    func send(_ request: TransportRequest, timeout: Duration) async throws -> TransportResponse {
        lock.withLock { sent.append(request) }
        return try responder(request)
    }

    func shutdown() async throws {}

    /// A JSON response.
    static func json(_ status: Int, _ text: String, headers: HTTPHeaders = [:]) -> TransportResponse {
        TransportResponse(status: status, headers: headers, body: Array(text.utf8))
    }
}

/// Collects `RequestRecord`s from `onRequest`.
final class RecordCollector: @unchecked Sendable {
    private let lock = NSLockWrapper()
    private var collected: [RequestRecord] = []

    var records: [RequestRecord] { lock.withLock { collected } }

    func add(_ record: RequestRecord) { lock.withLock { collected.append(record) } }
}

/// `NSLock` under a name that reads well at call sites.
struct NSLockWrapper: @unchecked Sendable {
    private let lock = NSLock()

    func withLock<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }
}
