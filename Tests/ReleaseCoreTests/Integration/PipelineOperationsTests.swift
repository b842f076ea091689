import ReleaseCore
import ReleaseSimulator
import Testing

/// Pipelines, progressions and flags against the simulator, including pagination.
@Suite(.timeLimit(.minutes(1))) struct PipelineOperationsTests {
    static func definition(key: String, name: String) -> JSONValue {
        [
            "key": .string(key), "name": .string(name), "description": "made by a test", "tags": ["t"],
            "phases": [["name": "Only", "audiences": [["name": "Test", "environmentKey": "test"]]]],
        ]
    }

    @Test func listFetchesEveryPageAndFilters() async throws {
        var options = SimulatorHarness.Options()
        options.pageSize = 2
        try await SimulatorHarness.run(options) { server, client in
            for index in 1...3 {
                _ = try await client.createPipeline(
                    definition: Self.definition(key: "extra-\(index)", name: "Extra \(index)"))
            }
            let all = try await client.pipelines()
            #expect(Set(all.map(\.key)) == ["standard", "fast-track", "extra-1", "extra-2", "extra-3"])
            #expect(await server.requestLog().on(.pipelineList).count == 3)

            let matching = try await client.pipelines(query: "EXTRA")
            #expect(matching.count == 3)
            let withProduction = try await client.pipelines(environment: "production")
            #expect(Set(withProduction.map(\.key)) == ["standard", "fast-track"])
            let queries = await server.requestLog().on(.pipelineList).compactMap(\.query)
            #expect(queries.contains { $0.contains("filter=query:EXTRA") && $0.contains("limit=2") })
        }
    }

    @Test func getCreateReplaceDelete() async throws {
        try await SimulatorHarness.run { _, client in
            let standard = try await client.pipeline(key: "standard")
            #expect(standard.phases.map(\.name) == ["Testing", "Staging", "Production"])
            #expect(standard.phases[1].audiences[0].configuration?.releaseGuardianConfiguration != nil)
            #expect(standard.phases[2].audiences[0].configuration?.requireApproval == true)

            let created = try await client.createPipeline(definition: Self.definition(key: "temp", name: "Temp"))
            #expect(created.key == "temp" && created.tags == ["t"])
            var replacement = Self.definition(key: "temp", name: "Renamed")
            replacement["key"] = nil
            let replaced = try await client.replacePipeline(key: "temp", definition: replacement)
            #expect(replaced.name == "Renamed")
            try await client.deletePipeline(key: "temp")
            await #expect {
                try await client.pipeline(key: "temp")
            } throws: { error in
                (error as? ReleaseError)?.kind == .notFound && (error as? ReleaseError)?.status == 404
            }
            await #expect {
                try await client.createPipeline(definition: ["key": "bad"])
            } throws: { error in
                (error as? ReleaseError)?.kind == .invalidRequest
            }
        }
    }

    @Test func progressionsFetchEveryPageBeyondAHundred() async throws {
        var options = SimulatorHarness.Options()
        options.seed = try SimulatorHarness.seed(extraFlags: 120)
        options.phaseDuration = .seconds(3600)
        try await SimulatorHarness.run(options) { server, client in
            let flags = (0..<120).map { "flag-" + String(repeating: "0", count: 3 - String($0).count) + String($0) }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (index, flag) in flags.enumerated() {
                    group.addTask {
                        _ = try await client.createRelease(flag: flag, pipelineKey: "fast-track")
                        if index < 30 {
                            _ = try await client.startPhase(flag: flag)
                            try await server.complete(project: "demo", flag: flag)
                        }
                    }
                }
                try await group.waitForAll()
            }
            let all = try await client.releaseProgressions(pipelineKey: "fast-track")
            #expect(all.items.count == 120)
            #expect(all.totalCount == 120)
            #expect(Set(all.items.map(\.flagKey)) == Set(flags))
            let offsets = await server.requestLog().on(.pipelineReleases).compactMap(\.query)
            #expect(offsets.contains { $0.contains("offset=100") })

            let onProduction = try await client.releaseProgressions(
                pipelineKey: "fast-track", activePhaseId: "65a1f0c2e4b0a1b2c3d40012")
            #expect(onProduction.items.count == 30)
            #expect(onProduction.items.allSatisfy { $0.activePhaseId == "65a1f0c2e4b0a1b2c3d40012" })
            #expect(Set(onProduction.items.map(\.flagKey)) == Set(flags.prefix(30)))
            let active = try await client.releaseProgressions(pipelineKey: "fast-track", status: "active")
            #expect(active.items.count == active.totalCount)
        }
    }

    @Test func flagsAndTheirVariations() async throws {
        try await SimulatorHarness.run { server, client in
            let flag = try await client.flag(key: "new-checkout")
            #expect(flag.variation("Old checkout")?.id == "65a1f0c2e4b0a1b2c3d4v002")
            #expect(flag.variation(servingValue: true)?.id == "65a1f0c2e4b0a1b2c3d4v001")
            await #expect {
                try await client.flag(key: "missing-flag")
            } throws: { error in
                (error as? ReleaseError)?.kind == .notFound
                    && (error as? ReleaseError)?.operation == "flag.get demo/missing-flag"
            }
            _ = try? await client.flag(project: "other-project", key: "new-checkout")
            #expect(await server.requestLog().on(.flagGet).last?.path == "/api/v2/flags/other-project/new-checkout")
        }
    }
}
