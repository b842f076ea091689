import ReleaseCore
import Synchronization

/// The HTTP status of the latest write request per operation (`phase.start web/checkout`),
/// as the client reports its requests, so the journal can record what LaunchDarkly answered.
final class WriteStatusLog: Sendable {
    private let statuses = Mutex<[String: Int]>([:])

    /// Notes a request the client made; reads are ignored.
    func observe(_ record: RequestRecord) {
        guard record.method != "GET", let status = record.status else { return }
        statuses.withLock { $0[record.operation] = status }
    }

    /// Forgets what is known of `operation`, before a new write of it.
    func clear(_ operation: String) {
        _ = statuses.withLock { $0.removeValue(forKey: operation) }
    }

    /// The status of the latest write request of `operation`, if one was answered.
    func status(of operation: String) -> Int? {
        statuses.withLock { $0[operation] }
    }
}
