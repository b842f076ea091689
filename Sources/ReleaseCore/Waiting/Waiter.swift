/// Polls a condition until it yields a value, following a `WaitPolicy`, on an injectable
/// clock (tests pass a manual clock; nothing really sleeps).
public struct Waiter: Sendable {
    /// The clock that measures the timeout and performs the sleeps.
    public let clock: any Clock<Duration>
    /// Random values in 0..<1 for jitter.
    public let random: @Sendable () -> Double
    /// The policy of waits that do not pass their own.
    public var policy: WaitPolicy

    public init(
        policy: WaitPolicy = WaitPolicy(), clock: any Clock<Duration> = ContinuousClock(),
        random: @escaping @Sendable () -> Double = { .random(in: 0..<1) }
    ) {
        self.policy = policy
        self.clock = clock
        self.random = random
    }

    /// Calls `condition` until it returns a non-nil value, and returns that value.
    ///
    /// - Parameters:
    ///   - what: what is being waited for, for the timeout message.
    ///   - policy: overrides the waiter's `policy` for this wait.
    /// - Throws: `ReleaseError` code `timeout` when `policy.timeout` passes, `interrupted` when the
    ///   task is cancelled, or whatever `condition` throws.
    public func wait<T>(
        for what: String = "condition", policy: WaitPolicy? = nil, until condition: () async throws -> T?
    ) async throws -> T {
        try await wait(on: clock, for: what, policy: policy ?? self.policy, until: condition)
    }

    private func wait<C: Clock<Duration>, T>(
        on clock: C, for what: String, policy: WaitPolicy, until condition: () async throws -> T?
    ) async throws -> T {
        let start = clock.now
        let deadline = start.advanced(by: policy.timeout)
        var check = 0
        while true {
            check += 1
            if Task.isCancelled { throw Self.interrupted(what) }
            do {
                if let value = try await condition() { return value }
            } catch is CancellationError {
                throw Self.interrupted(what)
            }
            let now = clock.now
            let remaining = now.duration(to: deadline)
            guard remaining > .zero else {
                throw ReleaseError(
                    .timeout, message: "timed out after \(Self.format(policy.timeout)) waiting for \(what)",
                    isRetryable: false)
            }
            let fraction = 1 - min(max(policy.jitter, 0), 1) * min(max(random(), 0), 1)
            let pause = min(policy.interval(afterCheck: check) * fraction, remaining)
            do {
                try await clock.sleep(until: now.advanced(by: pause), tolerance: nil)
            } catch {
                throw Self.interrupted(what)
            }
        }
    }

    static func interrupted(_ what: String) -> ReleaseError {
        ReleaseError(.interrupted, message: "interrupted while waiting for \(what)", isRetryable: false)
    }

    /// `90s`, `1.5s`, `250ms`.
    static func format(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        if attoseconds == 0 { return "\(seconds)s" }
        if seconds == 0 { return "\(attoseconds / 1_000_000_000_000_000)ms" }
        return "\(duration.seconds)s"
    }
}
