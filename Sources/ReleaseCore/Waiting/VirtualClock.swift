import Foundation
import Synchronization

/// Time that passes only when everything waits on it: a runbook test's two-hour guarded
/// rollout takes milliseconds. Sleeping registers a deadline; whoever runs the work (the
/// runbook scheduler) calls ``advanceIfIdle(operations:)`` when nothing else can happen,
/// and the clock jumps to the earliest deadline and wakes what waits for it.
///
/// A sleep inside an operation a scheduler waits for (``operationScope``, set to that
/// scheduler's scope) counts toward its idleness; any other sleep (a run's time limit, a
/// progress note) is a timer: time may jump to it, but it never holds time still. Each
/// scheduler has its own scope, so a run nested in another's operation (a runbook test's
/// `t.run`) moves time when its own operations all sleep, and the outer one, whose
/// operation waits for the nested run, never does meanwhile.
public final class VirtualClock: Clock, Sendable {
    public struct Instant: InstantProtocol {
        /// Time since the clock started.
        public var offset: Duration

        public func advanced(by duration: Duration) -> Instant { Instant(offset: offset + duration) }
        public func duration(to other: Instant) -> Duration { other.offset - offset }
        public static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.offset < rhs.offset }
    }

    /// The scope of the scheduler whose operation the current task runs; nil outside one.
    @TaskLocal public static var operationScope: Int?

    private static let scopes = Atomic(0)

    /// A new scope, for a scheduler.
    public static func makeScope() -> Int { scopes.add(1, ordering: .relaxed).newValue }

    private struct Sleeper {
        var deadline: Duration
        var scope: Int?
        var continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var now: Duration = .zero
        var sleepers: [Int: Sleeper] = [:]
        var cancelled: Set<Int> = []
        /// Alarms not cancelled, by id: their deadlines count as sleepers', waited for or not.
        var alarms: [Int: Duration] = [:]
        /// Alarms whose time has come: until they are cancelled, time stands still, so
        /// what an alarm sets off (a run's time limit interrupting it) happens at its time.
        var rung: Set<Int> = []
        var nextID = 0
    }

    private let state = Mutex(State())
    private let startEpochMillis: Int64
    private let sleeperAdded = Mutex<[Int: @Sendable () -> Void]>([:])

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
    /// Each scheduler (by its scope) has its own observer; nil removes it. A run nested in
    /// another's operation has one of its own, and the outer run's stays.
    public func onSleep(scope: Int = 0, _ body: (@Sendable () -> Void)?) {
        sleeperAdded.withLock { $0[scope] = body }
    }

    public func sleep(until deadline: Instant, tolerance: Duration? = nil) async throws {
        let id = state.withLock { state -> Int in
            state.nextID += 1
            return state.nextID
        }
        try await wait(id: id, until: deadline, scope: Self.operationScope)
    }

    /// A timer set now, for `duration` from now: time may jump to its deadline, never past
    /// it, even before anyone waits for it (``Alarm/wait()``); once it has rung, time stands
    /// still until it is cancelled. A run's time limit is one, so a run whose first act is a
    /// long sleep still stops at its limit, and nothing happens after it.
    public func alarm(after duration: Duration) -> Alarm {
        let id = state.withLock { state -> Int in
            state.nextID += 1
            state.alarms[state.nextID] = state.now + duration
            return state.nextID
        }
        return Alarm(clock: self, id: id)
    }

    /// A timer of a ``VirtualClock``, set by ``VirtualClock/alarm(after:)``.
    public struct Alarm: Sendable {
        let clock: VirtualClock
        let id: Int

        /// Returns when the alarm's time has come (at once if it has already).
        public func wait() async throws {
            let deadline = clock.state.withLock { state -> Duration? in
                if state.rung.contains(id) { return nil }
                return state.alarms[id]
            }
            guard let deadline else { return }
            try await clock.wait(id: id, until: Instant(offset: deadline), scope: nil)
        }

        /// Takes the alarm off the clock, and lets time move on if it had rung.
        public func cancel() {
            clock.state.withLock { state in
                state.alarms[id] = nil
                state.rung.remove(id)
            }
        }
    }

    private func wait(id: Int, until deadline: Instant, scope: Int?) async throws {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let immediate = state.withLock { state -> (any Error)?? in
                    if state.cancelled.remove(id) != nil { return .some(CancellationError()) }
                    if deadline.offset <= state.now { return .some(nil) }
                    state.sleepers[id] = Sleeper(
                        deadline: deadline.offset, scope: scope, continuation: continuation)
                    return nil
                }
                switch immediate {
                case .some(.some(let error)): continuation.resume(throwing: error)
                case .some(.none): continuation.resume()
                case .none: for observer in sleeperAdded.withLock({ Array($0.values) }) { observer() }
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

    /// When every one of `operations` (the operations a scheduler of `scope` waits for, at
    /// least one) sleeps, jumps to the earliest deadline and wakes the sleepers due then.
    /// Returns whether time moved.
    @discardableResult
    public func advanceIfIdle(operations: Int, scope: Int = 0) -> Bool {
        let due = state.withLock { state -> [Sleeper]? in
            let sleeping = state.sleepers.values.filter { $0.scope == scope }.count
            guard operations > 0, sleeping >= operations, state.rung.isEmpty,
                let next = (state.sleepers.values.map(\.deadline) + state.alarms.values).min()
            else { return nil }
            state.now = max(state.now, next)
            let now = state.now
            for (id, deadline) in state.alarms where deadline <= now { state.rung.insert(id) }
            let ids = state.sleepers.filter { $0.value.deadline <= now }.map(\.key)
            for id in ids where state.alarms[id] != nil { state.rung.insert(id) }
            return ids.compactMap { state.sleepers.removeValue(forKey: $0) }
        }
        guard let due else { return false }
        for sleeper in due { sleeper.continuation.resume() }
        return true
    }
}
