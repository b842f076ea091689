import ReleaseCore
import Testing

/// The virtual clock's rules: time jumps only when every operation sleeps, to the earliest
/// deadline (a timer's too); cancelling a sleep ends it at once.
struct VirtualClockTests {
    /// Waits until the clock reports a sleeper, without depending on real time.
    private func sleeping(_ clock: VirtualClock) -> AsyncStream<Void> {
        let (stream, sink) = AsyncStream.makeStream(of: Void.self)
        clock.onSleep { sink.yield() }
        return stream
    }

    @Test func timeJumpsOnlyWhenEveryOperationSleeps() async throws {
        let clock = VirtualClock(epochMillis: 1_000)
        var started = sleeping(clock).makeAsyncIterator()
        let sleeper = Task {
            try await VirtualClock.$operationScope.withValue(0) { try await clock.sleep(for: .seconds(90)) }
        }
        await started.next()
        #expect(!clock.advanceIfIdle(operations: 2), "one of two operations is busy")
        #expect(clock.elapsed == .zero)
        #expect(clock.advanceIfIdle(operations: 1))
        try await sleeper.value
        #expect(clock.elapsed == .seconds(90))
        #expect(clock.epochMillis() == 91_000)
    }

    @Test func aTimerIsAJumpTargetButNeverHoldsTimeStill() async throws {
        let clock = VirtualClock()
        var started = sleeping(clock).makeAsyncIterator()
        let timer = Task { try await clock.sleep(for: .seconds(10)) }
        await started.next()
        #expect(!clock.advanceIfIdle(operations: 1), "the one operation is not sleeping")
        let operation = Task {
            try await VirtualClock.$operationScope.withValue(0) { try await clock.sleep(for: .seconds(60)) }
        }
        await started.next()
        #expect(clock.advanceIfIdle(operations: 1))
        try await timer.value
        #expect(clock.elapsed == .seconds(10), "the timer came first")
        #expect(clock.advanceIfIdle(operations: 1))
        try await operation.value
        #expect(clock.elapsed == .seconds(60))
    }

    @Test func cancellingASleepEndsItAndTimeStaysPut() async throws {
        let clock = VirtualClock()
        var started = sleeping(clock).makeAsyncIterator()
        let sleeper = Task { try await clock.sleep(for: .seconds(3600)) }
        await started.next()
        sleeper.cancel()
        await #expect(throws: CancellationError.self) { try await sleeper.value }
        #expect(!clock.advanceIfIdle(operations: 1))
        #expect(clock.elapsed == .zero)
        try await clock.sleep(for: .zero)  // a deadline already passed returns at once
    }

    /// A run's time limit: set before anything sleeps, it stops time at its deadline even
    /// when an operation sleeps far longer, and time stands still after it rang until it is
    /// cancelled.
    @Test func anAlarmIsNeverJumpedPastAndHoldsTimeOnceItRang() async throws {
        let clock = VirtualClock()
        let alarm = clock.alarm(after: .seconds(3600))
        var started = sleeping(clock).makeAsyncIterator()
        let operation = Task {
            try await VirtualClock.$operationScope.withValue(0) { try await clock.sleep(for: .seconds(86_400)) }
        }
        await started.next()
        #expect(clock.advanceIfIdle(operations: 1))
        #expect(clock.elapsed == .seconds(3600), "the alarm's deadline came first, though no one waited for it")
        try await alarm.wait()  // rang already: returns at once
        #expect(!clock.advanceIfIdle(operations: 1), "time stands still after the alarm rang")
        alarm.cancel()
        #expect(clock.advanceIfIdle(operations: 1))
        try await operation.value
        #expect(clock.elapsed == .seconds(86_400))
    }
}
