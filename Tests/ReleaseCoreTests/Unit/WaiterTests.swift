import ReleaseCore
import Testing

@Suite struct WaiterTests {
    @Test func returnsTheFirstNonNilValueWithoutSleepingWhenReady() async throws {
        let clock = SleepRecordingClock()
        let value = try await Waiter(clock: clock).wait { 42 }
        #expect(value == 42)
        #expect(clock.sleeps.isEmpty)
    }

    @Test func pollsAtTheIntervalWithBackoffUpToTheMaximum() async throws {
        let clock = SleepRecordingClock()
        let checks = Counter()
        let policy = WaitPolicy(timeout: .seconds(100), interval: .seconds(1), backoff: 2, maxInterval: .seconds(5))
        let value = try await Waiter(clock: clock).wait(policy: policy) { () -> String? in
            return checks.increment() == 5 ? "done" : nil
        }
        #expect(value == "done")
        #expect(clock.sleeps == [.seconds(1), .seconds(2), .seconds(4), .seconds(5), .seconds(5)])
    }

    @Test func timesOutAtTheDeadlineAfterOneLastCheck() async throws {
        let clock = SleepRecordingClock()
        let checks = Counter()
        let policy = WaitPolicy(timeout: .seconds(10), interval: .seconds(4))
        await #expect {
            try await Waiter(clock: clock).wait(for: "the answer", policy: policy) { () -> Int? in
                checks.increment()
                return nil
            }
        } throws: { error in
            guard let error = error as? ReleaseError else { return false }
            return error.kind == .timeout && error.message == "timed out after 10s waiting for the answer"
        }
        #expect(clock.sleeps == [.seconds(4), .seconds(4), .seconds(2)])
        #expect(checks.value == 4)
        #expect(clock.now.offset == .seconds(10))
    }

    @Test func slowChecksCountAgainstTheTimeout() async throws {
        let clock = SleepRecordingClock()
        await #expect {
            try await Waiter(clock: clock).wait(policy: WaitPolicy(timeout: .seconds(5), interval: .seconds(1))) {
                () -> Int? in
                clock.advance(by: .seconds(3))
                return nil
            }
        } throws: { error in
            (error as? ReleaseError)?.kind == .timeout
        }
        #expect(clock.sleeps == [.seconds(1)])
    }

    @Test func theWaitersOwnPolicyAppliesWhenNoneIsPassed() async throws {
        let clock = SleepRecordingClock()
        let waiter = Waiter(policy: WaitPolicy(timeout: .seconds(3), interval: .seconds(1)), clock: clock)
        await #expect(throws: ReleaseError.self) { try await waiter.wait(until: { () -> Int? in nil }) }
        #expect(clock.sleeps == [.seconds(1), .seconds(1), .seconds(1)])
    }

    @Test func jitterShortensPauses() async throws {
        let clock = SleepRecordingClock()
        let checks = Counter()
        let policy = WaitPolicy(timeout: .seconds(60), interval: .seconds(10), jitter: 0.5)
        _ = try await Waiter(clock: clock, random: { 1 }).wait(policy: policy) { () -> Bool? in
            return checks.increment() == 1 ? true : nil
        }
        #expect(clock.sleeps == [.seconds(5)])
    }

    @Test func cancellationRaisesInterrupted() async throws {
        let clock = SleepRecordingClock()
        let task = Task {
            try await Waiter(clock: clock).wait(policy: WaitPolicy(timeout: .seconds(3600), interval: .seconds(1))) {
                () -> Int? in
                withUnsafeCurrentTask { $0?.cancel() }
                return nil
            }
        }
        await #expect {
            try await task.value
        } throws: { error in
            (error as? ReleaseError)?.kind == .interrupted
        }
    }

    @Test func errorsOfTheConditionPropagate() async throws {
        await #expect {
            try await Waiter(clock: SleepRecordingClock()).wait(policy: WaitPolicy()) { () -> Int? in
                throw ReleaseError(.notFound, message: "gone")
            }
        } throws: { error in
            (error as? ReleaseError)?.kind == .notFound
        }
    }

    @Test(arguments: [(1, 1), (2, 3), (3, 9), (4, 10), (9, 10)])
    func policyIntervals(check: Int, seconds: Int) {
        let policy = WaitPolicy(interval: .seconds(1), backoff: 3, maxInterval: .seconds(10))
        #expect(policy.interval(afterCheck: check) == .seconds(seconds))
    }
}
