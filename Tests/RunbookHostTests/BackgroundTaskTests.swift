import Foundation
import LuaBridge
import RunbookHost
import Synchronization
import Testing

/// A REPL's background tasks: an entry ends when its own task does; what it spawned goes
/// on between prompts and during later entries, says when it ends, and is interrupted
/// only by what is meant for it.
@Suite(.timeLimit(.minutes(1))) struct BackgroundTaskTests {
    /// A session that keeps spawned tasks running, with the lines it announces.
    private struct Background {
        let host: RunbookHost
        let session: RunbookSession
        let announced: AsyncStream<String>

        init(_ configuration: RunbookHostConfiguration, register: (RunbookHost) -> Void = { _ in }) throws {
            host = RunbookHost(configuration: configuration)
            register(host)
            session = try host.makeSession()
            session.keepsSpawnedTasksRunning = true
            let (stream, sink) = AsyncStream.makeStream(of: String.self)
            announced = stream
            session.announceBackgroundTaskEnd = { sink.yield($0) }
        }

        /// Runs the background tasks, as a REPL does while its prompt waits, until the next
        /// announcement.
        func nextAnnouncement() async -> String? {
            let announced = announced
            return await session.runningBackgroundTasks {
                var lines = announced.makeAsyncIterator()
                return await lines.next()
            } ?? nil
        }
    }

    @Test func anEntryReturnsWhileItsTaskGoesOnAndSaysWhenItEnds() async throws {
        let harness = try await HostHarness.start()
        defer { Task { await harness.stop() } }
        let background = try Background(harness.configuration)
        let session = background.session
        let entry = await session.evaluate(entry: "t = spawn(function() sleep(0.2) return 6 * 7, 'x' end)")
        #expect(entry.outcome.exitCode == 0, "\(entry.outcome)")
        let running = session.describeRunningTasks()
        #expect(running.count == 1)
        #expect(running.first?.hasPrefix("#2  waiting in sleep  ") == true, "\(running)")
        #expect(await background.nextAnnouncement() == "task #2 finished: 42\tx")
        #expect(session.describeRunningTasks().isEmpty)
        #expect(await session.evaluate(entry: "t:wait()").results == ["42", "x"])

        _ = await session.evaluate(entry: "spawn(function() sleep(0) error('boom') end)")
        #expect(await background.nextAnnouncement() == "task #5 failed: repl:1: boom")
        _ = await session.evaluate(entry: "spawn(function() sleep(0) return {flag = 'a', n = 1} end)")
        #expect(await background.nextAnnouncement() == "task #7 finished: {flag = \"a\", n = 1}")
        _ = await session.evaluate(
            entry: "spawn(function() sleep(0) return release.create('dark-mode', 'standard') end)")
        let release = await background.nextAnnouncement() ?? ""
        #expect(release.hasPrefix("task #9 finished: Testing "), "a release shows as its summary: \(release)")
        #expect(!release.contains("\n"))
        await session.close()
    }

    /// Ctrl-C while an entry runs (``RunbookHost/cancel(reason:)``) interrupts that entry:
    /// the task an earlier entry left running goes on and finishes.
    @Test func anInterruptOfAnEntryLeavesEarlierTasksRunning() async throws {
        let harness = try await HostHarness.start()
        defer { Task { await harness.stop() } }
        let background = try Background(harness.configuration) { host in
            host.register("test.cancel") { [weak host] _ in
                host?.cancel()
                return []
            }
        }
        let session = background.session
        _ = await session.evaluate(entry: "t = spawn(function() sleep(0.3) return 'still ran' end)")
        let interrupted = await session.evaluate(entry: "test.cancel() sleep(3600)")
        #expect(interrupted.outcome.exitCode == 130, "\(interrupted.outcome)")
        #expect(await background.nextAnnouncement() == "task #2 finished: still ran")
        await session.close()
    }

    /// Ctrl-C at the prompt stops a background task that keeps Lua busy (it would hold the
    /// REPL), even one that catches errors in its loop.
    @Test func busyBackgroundCodeCanBeInterrupted() async throws {
        let harness = try await HostHarness.start()
        defer { Task { await harness.stop() } }
        let background = try Background(harness.configuration)
        let session = background.session
        _ = await session.evaluate(entry: "spawn(function() sleep(0) while true do pcall(function() end) end end)")
        let interrupt = session.interruptRunningCode
        let announced = background.announced
        // Pressed on a thread of its own, as a signal handler's queue is: the busy task
        // holds a thread of the concurrency pool, which other tests' busy tasks may share.
        let stop = Atomic(false)
        let presser = Thread {
            while !stop.load(ordering: .relaxed) {
                interrupt()
                usleep(10_000)
            }
        }
        presser.start()
        let line = await session.runningBackgroundTasks {
            var lines = announced.makeAsyncIterator()
            return await lines.next()
        }
        stop.store(true, ordering: .relaxed)
        #expect(line == "task #2 failed: interrupted")
        #expect(await session.evaluate(entry: "1 + 1").results == ["2"])
        await session.close()
    }

    /// When the session ends, tasks still running are interrupted and their `<close>`
    /// handlers run.
    @Test func stoppingRunsTheTasksCleanup() async throws {
        let harness = try await HostHarness.start()
        defer { Task { await harness.stop() } }
        let background = try Background(harness.configuration)
        let session = background.session
        _ = await session.evaluate(
            entry: "spawn(function() local c <close> = setmetatable({}, {__close = function() closed = true end}) "
                + "sleep(3600) end)")
        #expect(await session.stopBackgroundTasks(reason: "the REPL ended") == 1)
        #expect(session.describeRunningTasks().isEmpty)
        #expect(await session.evaluate(entry: "closed").results == ["true"])
        var lines = background.announced.makeAsyncIterator()
        let line = await lines.next()
        #expect(line == "task #2 failed: repl:1: the REPL ended", "\(line ?? "nil")")
        await session.close()
    }

    /// `confirm` cannot ask while the prompt has the terminal; an entry whose task waits
    /// for an answer keeps the terminal until it has one.
    @Test func confirmNeedsTheTerminal() async throws {
        let harness = try await HostHarness.start()
        defer { Task { await harness.stop() } }
        let asked = Mutex<[String]>([])
        var configuration = harness.configuration
        configuration.confirmation = .ask { question in
            asked.withLock { $0.append(question) }
            return true
        }
        let background = try Background(configuration)
        let session = background.session
        let entry = await session.evaluate(entry: "t = spawn(confirm, 'first?')")
        #expect(entry.outcome.exitCode == 0, "\(entry.outcome)")
        #expect(session.describeRunningTasks().isEmpty, "the entry waited for the answer")
        #expect(asked.withLock { $0 } == ["first?"])

        _ = await session.evaluate(entry: "spawn(function() sleep(0) return confirm('later?') end)")
        let line = await background.nextAnnouncement() ?? ""
        #expect(line.contains("cannot ask while the REPL's prompt has the terminal"), "\(line)")
        #expect(asked.withLock { $0 } == ["first?"])
        await session.close()
    }
}
