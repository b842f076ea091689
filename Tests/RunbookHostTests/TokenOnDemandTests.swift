import LuaBridge
import ReleaseSimulator
import RunbookHost
import Testing

/// The release client is built by the first call that needs it: plain Lua runs without a
/// token, and the first API call without one raises a `config` error.
@Suite(.timeLimit(.minutes(1))) struct TokenOnDemandTests {
    @Test func plainLuaRunsWithoutAToken() async throws {
        let harness = try await HostHarness.start()
        defer { Task { await harness.stop() } }
        let report = await harness.run("local t = {} for i = 1, 3 do t[i] = i * i end sim.result(tostring(t[3]))") {
            $0.client.accessToken = ""
        }
        #expect(report.outcome.exitCode == 0, "\(report.failureMessage ?? "")")
        #expect(harness.results.values == ["9"])
        #expect(await harness.simulator.requestLog().isEmpty)
    }

    @Test func theFirstCallWithoutATokenIsAConfigErrorExitingTwo() async throws {
        let harness = try await HostHarness.start()
        defer { Task { await harness.stop() } }
        let report = await harness.run(
            """
            sim.result("before")
            local ok, err = pcall(release.get, "dark-mode")
            sim.result(err.code)
            pipeline.list()
            """
        ) { $0.client.accessToken = "" }
        guard case .failed(let error) = report.outcome else {
            Issue.record("expected a failed run, got \(report.outcome)")
            return
        }
        #expect(error.code == "config")
        #expect(error.message.contains("LD_ACCESS_TOKEN"))
        #expect(error.message.contains("--access-token"))
        #expect(report.outcome.exitCode == 2)
        #expect(harness.results.values == ["before", "config"])
        #expect(await harness.simulator.requestLog().isEmpty)
    }
}
