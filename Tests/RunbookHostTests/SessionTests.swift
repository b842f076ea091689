import LuaBridge
import RunbookHost
import Testing

@Suite(.timeLimit(.minutes(1))) struct SessionTests {
    @Test func globalsPersistAcrossChunksAndResultsAreFormatted() async throws {
        let harness = try await HostHarness.start()
        defer { Task { await harness.stop() } }
        let host = RunbookHost(configuration: harness.configuration)
        let session = try host.makeSession(name: "bot")
        let first = await session.execute("picked = 'dark-mode'", chunkName: "=bot")
        #expect(first.outcome.exitCode == 0)
        #expect(first.results.isEmpty)
        let second = await session.execute(
            "return release.status(release.get(picked) or release.create{flag = picked, pipeline = 'standard'})",
            chunkName: "=bot")
        #expect(second.outcome.exitCode == 0)
        #expect(second.results == ["not_started"])
        let table = await session.execute("return {n = 1, list = {1, 2}}, 7", chunkName: "=bot")
        #expect(table.results == ["{list = {1, 2}, n = 1}", "7"])
        let failed = await session.execute("error('boom')", chunkName: "=bot")
        #expect(failed.outcome.exitCode == 1)
        let after = await session.execute("return picked", chunkName: "=bot")
        #expect(after.results == ["dark-mode"])
        #expect(session.isIncomplete(entry: "for i = 1, 2 do"))
        #expect(!session.isIncomplete(entry: "x = 1"))
        #expect(await session.evaluate(entry: "=picked").results == ["dark-mode"])
        #expect(await session.evaluate(entry: "#picked + 1").results == ["10"])
        #expect(await session.evaluate(entry: "picked = 'x'").results.isEmpty)
        await session.close()
    }

    @Test func aCancelledChunkDoesNotPoisonTheNextOne() async throws {
        let harness = try await HostHarness.start()
        defer { Task { await harness.stop() } }
        let host = RunbookHost(configuration: harness.configuration)
        let session = try host.makeSession()
        Task {
            try await Task.sleep(for: .milliseconds(100))
            host.cancel()
        }
        let waited = await session.execute("sleep('1m')", chunkName: "=repl")
        #expect(waited.outcome.exitCode == 130)
        let next = await session.execute("sleep('10ms'); return 'still works'", chunkName: "=repl")
        #expect(next.results == ["still works"])
        await session.close()
    }
}
