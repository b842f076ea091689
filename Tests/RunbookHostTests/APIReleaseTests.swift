import Foundation
import LuaBridge
import ReleaseSimulator
import RunbookHost
import Testing

@Suite("release.*") struct APIReleaseTests {
    @Test func getReturnsNilForAFlagWithoutAReleaseAndForAnUnknownFlag() async throws {
        let harness = try await HostHarness.start()
        defer { Task { await harness.stop() } }
        let result = await harness.evaluate(
            """
            capture(release.get("dark-mode"), release.get("no-such-flag"), release.get{flag = "dark-mode"})
            """)
        expectSucceeded(result.report)
        #expect(result.captured == [[.nil, .nil, .nil]])
        #expect(await harness.requestLines().count == 3)
    }

    @Test(arguments: SimulatorDialect.allCases)
    func createReturnsTheReleaseAsAPlainTableWithProjectAndFlag(dialect: SimulatorDialect) async throws {
        let harness = try await HostHarness.start(dialect: dialect)
        defer { Task { await harness.stop() } }
        let result = await harness.evaluate(
            """
            local rel = release.create("new-checkout", "standard")
            assert(math.type(rel._version) == "integer", "integers stay integers")
            local names, statuses = {}, {}
            for i, p in ipairs(rel.phases) do names[i], statuses[i] = p._name, p.status end
            capture(rel._project, rel._flag, rel.releasePipelineKey, rel._version,
              table.concat(names, ","), table.concat(statuses, ","))
            local again = release.get(rel)  -- a release table stands for its flag
            capture(again._flag, again._version, #again.phases)
            """)
        expectSucceeded(result.report)
        // The table mirrors the API's JSON, in whichever dialect the server speaks.
        let version: LuaValue = dialect == .spec ? 1 : 0
        let statuses: LuaValue =
            dialect == .spec ? "ReadyToStart,NotStarted,NotStarted" : "ready-to-start,not-started,not-started"
        #expect(
            result.captured.first == [
                "demo", "new-checkout", "standard", version, "Testing,Staging,Production", statuses,
            ])
        #expect(result.captured.last == ["new-checkout", version, 3])
        let writes = await harness.writes()
        #expect(writes.map { "\($0.method) \($0.path)" } == ["PUT /api/v2/projects/demo/flags/new-checkout/release"])
        #expect(writes.first?.body?.contains(#""releasePipelineKey":"standard""#) == true)
        #expect(
            harness.recorder.messages(named: "release.create") == [
                "release created for new-checkout on pipeline standard"
            ])
    }

    @Test func createTakesATableWithVariationAndProject() async throws {
        let harness = try await HostHarness.start()
        defer { Task { await harness.stop() } }
        let result = await harness.evaluate(
            """
            local rel = release.create{flag = "new-checkout", pipeline = "fast-track",
              variation = "65a1f0c2e4b0a1b2c3d4v001", project = "demo"}
            capture(rel.releasePipelineKey, rel._releaseVariationId, #rel.phases)
            """
        ) { $0.client.defaultProject = nil }
        expectSucceeded(result.report)
        #expect(result.value == "fast-track")
        #expect(result.values == ["fast-track", "65a1f0c2e4b0a1b2c3d4v001", 2])
        let body = await harness.writes().first?.body ?? ""
        #expect(body.contains(#""releaseVariationId":"65a1f0c2e4b0a1b2c3d4v001""#))
    }

    @Test func createForAnUnknownPipelineRaisesNotFoundNamingTheOperation() async throws {
        let harness = try await HostHarness.start()
        defer { Task { await harness.stop() } }
        let result = await harness.evaluate(
            """
            local ok, err = pcall(function()
              return release.create{flag = "new-checkout", pipeline = "nope"}
            end)
            capture(ok, err, tostring(err))
            """)
        expectSucceeded(result.report)
        let error = result.values[1]
        #expect(result.values.first == false)
        #expect(error["code"] == "not_found")
        #expect(error["status"] == 404)
        #expect(error["operation"] == "release.create demo/new-checkout")
        #expect(error["retryable"] == false)
        #expect(error["project"] == "demo")
        #expect(error["flag"] == "new-checkout")
        #expect(error["where"] == "test.lua:2")
        #expect(error["message"].stringValue?.contains("release pipeline 'nope' not found") == true)
        #expect(
            result.values[2].stringValue?.hasPrefix(
                "test.lua:2: release.create demo/new-checkout: not_found (HTTP 404)")
                == true)
    }

    @Test func createTwiceRaisesInvalidRequest() async throws {
        let harness = try await HostHarness.start()
        defer { Task { await harness.stop() } }
        let result = await harness.evaluate(
            """
            release.create("dark-mode", "standard")
            local ok, err = pcall(release.create, "dark-mode", "fast-track")
            capture(err.code, err.status, err.retryable)
            """)
        expectSucceeded(result.report)
        #expect(result.values == ["invalid_request", 400, false])
    }

    @Test func deleteRemovesTheReleaseAndRaisesNotFoundWhenThereIsNone() async throws {
        let harness = try await HostHarness.start()
        defer { Task { await harness.stop() } }
        let result = await harness.evaluate(
            """
            local rel = release.create("search-v2", "standard")
            capture(release.delete(rel), release.get("search-v2"))
            local ok, err = pcall(function() return release.delete{flag = "search-v2"} end)
            capture(ok, err.code, err.status, err.operation, err.where)
            """)
        expectSucceeded(result.report)
        #expect(result.captured.first == [true, .nil])
        #expect(result.captured.last == [false, "not_found", 404, "release.delete demo/search-v2", "test.lua:3"])
        #expect(
            await harness.writes().map(\.method) == ["PUT", "DELETE", "DELETE"])
        #expect(harness.recorder.messages(named: "release.delete") == ["release of search-v2 deleted"])
    }

    @Test func patchMarksALegacyPhaseCompleteAndIncomplete() async throws {
        let harness = try await HostHarness.start(seed: try seedWithLegacyPipeline())
        defer { Task { await harness.stop() } }
        let result = await harness.evaluate(
            """
            local rel = release.create("old", "legacy")
            rel = release.patch{flag = "old", ops = {{op = "replace", path = "/phases/0/complete", value = true}}}
            capture(rel.phases[1].complete, phase.state(rel, rel.phases[2]), rel._flag, release.status(rel))
            rel = release.patch{flag = "old", ops = {{op = "replace", path = "/phases/0/complete", value = false}}}
            capture(rel.phases[1].complete, release.status(rel))
            """)
        expectSucceeded(result.report)
        #expect(result.captured.first == [true, "ready", "old", "ready"])
        #expect(result.captured.last == [false, "not_started"])
        let patches = await harness.writes().filter { $0.method == "PATCH" }
        #expect(patches.count == 2)
        #expect(patches.first?.body?.contains(#""path":"/phases/0/complete""#) == true)
        #expect(
            harness.recorder.messages(named: "release.patch").first
                == "release of old patched (replace /phases/0/complete)")
    }

    @Test func patchOfAReleaseOnAModernPipelineRaisesInvalidRequest() async throws {
        let harness = try await HostHarness.start()
        defer { Task { await harness.stop() } }
        let result = await harness.evaluate(
            """
            release.create("dark-mode", "standard")
            local ok, err = pcall(release.patch,
              {flag = "dark-mode", ops = {{op = "replace", path = "/phases/0/complete", value = true}}})
            capture(err.code, err.status, err.operation)
            """)
        expectSucceeded(result.report)
        #expect(result.values == ["invalid_request", 400, "release.patch demo/dark-mode"])
    }

    static let statusCases: [(phases: String, extra: String, status: String)] = [
        (#"{"ReadyToStart", "NotStarted"}"#, "", "not_started"),
        (#"{"Started", "NotStarted"}"#, "", "in_progress"),
        (#"{"Complete", "ReadyToStart"}"#, "", "ready"),
        (#"{"Complete", "Paused"}"#, "", "paused"),
        (#"{"Complete", "Complete"}"#, "", "complete"),
        (#"{"Complete", "ReadyToStart"}"#, "_canceledAt = 1700000000000,", "canceled"),
    ]

    @Test(arguments: statusCases)
    func statusSummarisesTheRelease(_ example: (phases: String, extra: String, status: String)) async throws {
        let harness = try await HostHarness.start()
        defer { Task { await harness.stop() } }
        let result = await harness.evaluate(
            """
            local phases = {}
            for i, status in ipairs(\(example.phases)) do phases[i] = {_id = "p" .. i, status = status} end
            capture(release.status{\(example.extra) phases = phases})
            """)
        expectSucceeded(result.report)
        #expect(result.value == .string(example.status))
        #expect(await harness.simulator.requestLog().isEmpty, "release.status makes no request")
    }

    @Test(arguments: SimulatorDialect.allCases)
    func statusFollowsARealReleaseThroughItsPhases(dialect: SimulatorDialect) async throws {
        let harness = try await HostHarness.start(phaseDuration: .seconds(60), dialect: dialect)
        defer { Task { await harness.stop() } }
        let result = await harness.evaluate(
            """
            local rel = release.create("recommendations", "fast-track")
            local seen = {release.status(rel)}
            rel = phase.start(rel)
            seen[#seen + 1] = release.status(rel)
            sim.complete("recommendations")
            seen[#seen + 1] = release.status(release.get("recommendations"))
            phase.start(rel, "Production")
            sim.complete("recommendations")
            seen[#seen + 1] = release.status(release.get("recommendations"))
            capture(table.concat(seen, " "))
            """)
        expectSucceeded(result.report)
        // A real account has nothing left to do for an immediate phase once it started.
        let afterStart = dialect == .spec ? "in_progress" : "ready"
        #expect(result.value == .string("not_started \(afterStart) ready complete"))
    }
}
