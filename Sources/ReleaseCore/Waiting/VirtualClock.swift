import Foundation
import Synchronization

/// Time that passes only when everything waits on it: a runbook test's two-hour guarded
/// rollout takes milliseconds. Sleeping registers a deadline; whoever runs the work (the
/// runbook scheduler) calls ``advanceIfIdle(operations:)`` when nothing else can happen,
/// and the clock jumps to the earliest deadline and wakes what waits for it.
///
/// A sleep inside an operation the scheduler waits for (``inOperation``, set for it) counts
/// toward idleness; any other sleep (a run's time limit, a progress note) is a timer: time
/// may jump to it, but it never holds time still.
public final class VirtualClock: Clock, Sendable {
    public struct Instant: InstantProtocol {
        /// Time since the clock started.
        public var offset: Duration

        public func advanced(by duration: Duration) -> Instant { Instant(offset: offset + duration) }
        public func duration(to other: Instant) -> Duration { other.offset - offset }
        public static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.offset < rhs.offset }
    }

    /// Whether the current task runs an operation a scheduler waits for.
    @TaskLocal public static var inOperation = false

    private struct Sleeper {
        var deadline: Duration
        var inOperation: Bool
        var continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var now: Duration = .zero
        var sleepers: [Int: Sleeper] = [:]
        var cancelled: Set<Int> = []
        var nextID = 0
    }

    private let state = Mutex(State())
    private let startEpochMillis: Int64
    private let sleeperAdded = Mutex<(@Sendable () -> Void)?>(nil)

    /// - Parameter epochMillis: the wall-clock time at the start, in milliseconds since 1970.
    public init(epochMillis: Int64 = Int64((Date().timeIntervalSince1970 * 1000).rounded())) {
        startEpochMillis = epochMillis
    }

    public var now: Instant { Instant(offset: state.withLock { $0.now }) }
    public var minimumResolution: Duration { .nanoseconds(1) }

    /// Virtual time since the start.
    public var elapsed: Duration { state.withLock { $0.now } }

    /// The virtual wall clock, in milliseconds since 1970.
    public func epochMillis() -> Int64 {
        let (seconds, attoseconds) = elapsed.components
        return startEpochMillis &+ seconds &* 1000 &+ attoseconds / 1_000_000_000_000_000
    }

    /// Called (from any thread) whenever something starts to sleep, so the scheduler can
    /// check whether time may jump.
    public func onSleep(_ body: (@Sendable () -> Void)?) { sleeperAdded.withLock { $0 = body } }

    public func sleep(until deadline: Instant, tolerance: Duration? = nil) async throws {
        let inOperation = Self.inOperation
        let id = state.withLock { state -> Int in
            state.nextID += 1
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let immediate = state.withLock { state -> (any Error)?? in
                    if state.cancelled.remove(id) != nil { return .some(CancellationError()) }
                    if deadline.offset <= state.now { return .some(nil) }
                    state.sleepers[id] = Sleeper(
                        deadline: deadline.offset, inOperation: inOperation, continuation: continuation)
                    return nil
                }
                switch immediate {
                case .some(.some(let error)): continuation.resume(throwing: error)
                case .some(.none): continuation.resume()
                case .none: sleeperAdded.withLock { $0 }?()
                }
            }
        } onCancel: {
            let sleeper = state.withLock { state -> Sleeper? in
                if let sleeper = state.sleepers.removeValue(forKey: id) { return sleeper }
                state.cancelled.insert(id)
                return nil
            }
            sleeper?.continuation.resume(throwing: CancellationError())
        }
    }

    /// When every one of `operations` (the operations a scheduler waits for, at least one)
    /// sleeps, jumps to the earliest deadline and wakes the sleepers due then. Returns whether
    /// time moved.
    @discardableResult
    public func advanceIfIdle(operations: Int) -> Bool {
        let due = state.withLock { state -> [Sleeper]? in
            let sleeping = state.sleepers.values.filter(\.inOperation).count
            guard operations > 0, sleeping >= operations,
                let next = state.sleepers.values.map(\.deadline).min()
            else { return nil }
            state.now = max(state.now, next)
            let now = state.now
            let ids = state.sleepers.filter { $0.value.deadline <= now }.map(\.key)
            return ids.compactMap { state.sleepers.removeValue(forKey: $0) }
        }
        guard let due else { return false }
        for sleeper in due { sleeper.continuation.resume() }
        return true
    }
}
