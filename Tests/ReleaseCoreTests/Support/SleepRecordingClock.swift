import Foundation
import ReleaseCore

/// A clock whose time only moves when something sleeps on it: each sleep jumps straight to its
/// deadline and is recorded, so waits run instantly and their schedule can be asserted.
final class SleepRecordingClock: Clock, @unchecked Sendable {
    struct Instant: InstantProtocol {
        var offset: Duration

        func advanced(by duration: Duration) -> Instant { Instant(offset: offset + duration) }
        func duration(to other: Instant) -> Duration { other.offset - offset }
        static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.offset < rhs.offset }
    }

    private let lock = NSLockWrapper()
    private var current = Instant(offset: .zero)
    private var recordedSleeps: [Duration] = []

    var now: Instant { lock.withLock { current } }
    var minimumResolution: Duration { .zero }

    /// The length of every sleep so far, in order.
    var sleeps: [Duration] { lock.withLock { recordedSleeps } }

    /// Moves time forward without sleeping (as if work took that long).
    func advance(by duration: Duration) {
        lock.withLock { current = current.advanced(by: duration) }
    }

    func sleep(until deadline: Instant, tolerance: Duration?) async throws {
        try Task.checkCancellation()
        lock.withLock {
            recordedSleeps.append(current.duration(to: deadline))
            if current < deadline { current = deadline }
        }
        await Task.yield()
    }
}
