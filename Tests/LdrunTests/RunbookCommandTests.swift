import Foundation
import ReleaseSimulator
import Testing

/// `ldrun run` end to end: the spawned binary against a simulator.
@Suite(.serialized, .timeLimit(.minutes(1))) struct RunbookCommandTests {
    static let promote = """
        local flag = args.flag
        local rel = release.get(flag) or release.create{flag = flag, pipeline = "fast-track"}
        while phase.next(rel) do
          local p = phase.next(rel)
          rel = phase.wait(phase.start(rel, p), p, {timeout = "10s", every = "20ms"})
        end
        print(flag, release.status(rel))
        """

    @Test func simulateRunsARunbookToTheEnd() async throws {
        let dir = try LdrunProcess.scratch(["promote.lua": Self.promote])
        let result = try await LdrunProcess.run(
            [
                "run", "--simulate", "--sim-phase-duration", "0", "promote.lua", "-a", "flag=dark-mode",
                "--journal", "journal.jsonl",
            ], in: dir)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "dark-mode\tcomplete\n")
        #expect(result.stderr.contains("phase Test of dark-mode started"))
        #expect(result.stderr.contains("done: 3 writes"))
        let journal = try String(contentsOf: dir.appendingPathComponent("journal.jsonl"), encoding: .utf8)
        let operations = journal.split(separator: "\n").compactMap { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["operation"] as? String
        }
        #expect(operations == ["release.create", "phase.start", "phase.start", "run"])
    }

    @Test func dryRunSendsNoWriteAndPrintsThePlan() async throws {
        let dir = try LdrunProcess.scratch(["promote.lua": Self.promote])
        let result = try await LdrunProcess.run(
            ["run", "--simulate", "--dry-run", "promote.lua", "-a", "flag=search-v2", "--journal", "j.jsonl"],
            in: dir)
        #expect(result.status == 0, "\(result.stderr)")
        let plan = result.stderr.split(separator: "\n").filter { $0.contains("would:") }
        #expect(plan.count == 3)
        #expect(plan.first?.contains("would: release created for search-v2 on pipeline fast-track") == true)
        #expect(result.stderr.contains("3 writes planned (dry run)"))
    }

    @Test func noTokenWithoutSimulateIsAConfigurationErrorAtTheFirstCall() async throws {
        let dir = try LdrunProcess.scratch(["x.lua": "print(1)\nrelease.get('dark-mode')"])
        let result = try await LdrunProcess.run(
            ["run", "--project", "web", "x.lua"], environment: ["LD_ACCESS_TOKEN": "", "LD_BASE_URI": ""], in: dir)
        #expect(result.status == 2)
        #expect(result.stdout == "1\n")
        #expect(
            result.stderr.contains("no access token. Set an API access token with LD_ACCESS_TOKEN or --access-token"))
    }

    @Test func plainHTTPToARemoteHostIsRefused() async throws {
        let dir = try LdrunProcess.scratch(["x.lua": "print(1)"])
        let result = try await LdrunProcess.run(
            ["run", "x.lua", "--base-uri", "http://example.com", "--access-token", "api-123"], in: dir)
        #expect(result.status == 2)
        #expect(result.stderr.contains("plain http"))
        #expect(!result.stderr.contains("api-123"))
    }

    @Test func exitCodesForFailureAndSyntax() async throws {
        let dir = try LdrunProcess.scratch([
            "fail.lua": "release.get(nil)", "syntax.lua": "release.get(",
        ])
        let failed = try await LdrunProcess.run(["run", "--simulate", "fail.lua"], in: dir)
        #expect(failed.status == 1)
        #expect(
            failed.stderr.contains(
                "fail.lua:1: bad argument #1 to 'release.get' (release or flag key expected, got nil)"))
        let syntax = try await LdrunProcess.run(["run", "--simulate", "syntax.lua"], in: dir)
        #expect(syntax.status == 2)
        #expect(syntax.stderr.contains("syntax.lua:1:"))
    }

    @Test func sigintDuringAWaitEndsWithinASecondWith130AndAJournalRecord() async throws {
        let dir = try LdrunProcess.scratch([
            "wait.lua": """
            print("waiting")
            io.stdout:flush()
            wait_until(function() return false end, {timeout = "5m", every = "50ms"})
            """
        ])
        let running = try LdrunProcess.start(["run", "--simulate", "wait.lua", "--journal", "j.jsonl"], in: dir)
        #expect(await running.firstOutput() == "waiting\n")  // the runbook is in wait_until
        try await Task.sleep(for: .milliseconds(200))
        let signalled = ContinuousClock.now
        kill(running.process.processIdentifier, SIGINT)
        let result = await running.finish()
        #expect(ContinuousClock.now - signalled < .seconds(1))
        #expect(result.status == 130)
        #expect(result.stderr.contains("interrupted"))
        let journal = try String(contentsOf: dir.appendingPathComponent("j.jsonl"), encoding: .utf8)
        #expect(journal.contains(#""outcome":"interrupted""#))
    }

    @Test func theTokenNeverAppearsInOutputOrJournal() async throws {
        let token = "api-secret-\(UUID().uuidString)"
        let simulator = try await SimulatorServer.start(
            SimulatorConfiguration(phaseDuration: .zero, accessToken: token))
        defer { Task { await simulator.stop() } }
        let dir = try LdrunProcess.scratch([
            "promote.lua": Self.promote + "\nrelease.create{flag = args.flag, pipeline = 'nope'}\n"
        ])
        for format in ["human", "json"] {
            let result = try await LdrunProcess.run(
                [
                    "run", "promote.lua", "-v", "--log-format", format, "--project", "demo", "-a",
                    "flag=recommendations",
                    "--journal", "j.jsonl",
                ],
                environment: ["LD_ACCESS_TOKEN": token, "LD_BASE_URI": simulator.baseURL], in: dir)
            #expect(result.stderr.contains("GET /api/v2/flags/demo/recommendations/release"))
            #expect(!result.stdout.contains(token))
            #expect(!result.stderr.contains(token))
        }
        let journal = try String(contentsOf: dir.appendingPathComponent("j.jsonl"), encoding: .utf8)
        #expect(journal.contains("release.create"))
        #expect(!journal.contains(token))
    }
}

/// `ldrun simulate` serves until interrupted, and `ldrun run` works against it.
@Suite(.serialized, .timeLimit(.minutes(1))) struct SimulateCommandTests {
    @Test func aRunbookRunsAgainstTheServedSimulator() async throws {
        let server = try LdrunProcess.start(["simulate", "--port", "0", "--phase-duration", "0"])
        let exports = await server.firstOutput()
        let fields = exports.split(separator: "\n").first?.split(separator: " ").dropFirst() ?? []
        var environment: [String: String] = [:]
        for field in fields {
            let parts = field.split(separator: "=", maxSplits: 1).map(String.init)
            if parts.count == 2 { environment[parts[0]] = parts[1] }
        }
        #expect(environment["LD_BASE_URI"]?.hasPrefix("http://127.0.0.1:") == true)
        #expect(environment["LD_ACCESS_TOKEN"]?.isEmpty == false)
        environment["LD_PROJECT"] = "demo"
        let dir = try LdrunProcess.scratch(["promote.lua": RunbookCommandTests.promote])
        let run = try await LdrunProcess.run(
            ["run", "promote.lua", "-a", "flag=fast-shipping", "--journal", "j.jsonl"], environment: environment,
            in: dir)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout == "fast-shipping\tcomplete\n")
        kill(server.process.processIdentifier, SIGINT)
        let stopped = await server.finish()
        #expect(stopped.status == 0)
    }
}
