import Foundation
import LuaBridge
import ReleaseSimulator
import RunbookHost
import Testing

/// `phase.start` given a release table trusts it instead of reading the release again; a
/// stale table cannot start a phase twice, because the server refuses the second start.
@Suite("phase.start with a release table", .serialized) struct PhaseStartKnownReleaseTests {
    static let testing = "65a1f0c2e4b0a1b2c3d40001"

    @Test(arguments: [SimulatorDialect.observed, .spec])
    func aReleaseTableSavesTheRead(dialect: SimulatorDialect) async throws {
        let harness = try await HostHarness.start(dialect: dialect)
        defer { Task { await harness.stop() } }
        expectSucceeded(await harness.evaluate("release.create('new-checkout', 'standard')").report)
        await harness.simulator.clearRequestLog()
        let result = await harness.evaluate(
            """
            local rel = release.get("new-checkout")
            local started_rel, started = phase.start(rel)
            capture(started, started_rel.phases[1].status ~= rel.phases[1].status)
            """)
        expectSucceeded(result.report)
        #expect(result.captured == [[true, true]])
        // One read (release.get), then the start, sent once with the dialect's value.
        let requests = await harness.simulator.requestLog().map { "\($0.method) \($0.status ?? 0)" }
        #expect(requests == ["GET 200", "PUT 200"])
    }

    @Test(arguments: [SimulatorDialect.observed, .spec])
    func aStaleReleaseTableDoesNotStartAPhaseTwice(dialect: SimulatorDialect) async throws {
        let harness = try await HostHarness.start(dialect: dialect)
        defer { Task { await harness.stop() } }
        let result = await harness.evaluate(
            """
            release.create("new-checkout", "standard")
            local stale = release.get("new-checkout")
            local _, started = phase.start("new-checkout", "Testing")
            local after, started_again = phase.start(stale, "Testing")
            capture(started, started_again, phase.state(after, "Testing") ~= "ready")
            """)
        expectSucceeded(result.report)
        #expect(result.captured == [[true, false, true]])
        #expect(await harness.phaseStarts(flag: "new-checkout") == [Self.testing])
        let refused = await harness.simulator.requestLog().filter {
            $0.method == "PUT" && $0.path.hasSuffix("/phases/\(Self.testing)") && $0.status == 400
        }
        // Only the stale start is refused.
        #expect(refused.count == 1)
    }
}
