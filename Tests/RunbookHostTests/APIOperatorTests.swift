import Foundation
import LuaBridge
import ReleaseCore
import RunbookHost
import Testing

@Suite("confirm, log.*, args, ldrun.*") struct APIOperatorTests {
    @Test func confirmWithAssumeYesAnswersYesAndLogsIt() async throws {
        let harness = try await HostHarness.start()
        defer { Task { await harness.stop() } }
        let result = await harness.evaluate("capture(confirm('Promote new-checkout to Production?'))") {
            $0.confirmation = .assumeYes
        }
        expectSucceeded(result.report)
        #expect(result.value == true)
        let event = try #require(harness.recorder.events(named: "confirm").first)
        #expect(event.message == "Promote new-checkout to Production? yes (--yes)")
        #expect(event.fields["question"] == .string("Promote new-checkout to Production?"))
    }

    @Test func confirmWithRefuseRaisesConfirmRequiredNamingTheQuestion() async throws {
        let harness = try await HostHarness.start()
        defer { Task { await harness.stop() } }
        let result = await harness.evaluate(
            """
            local ok, err = pcall(function() return confirm("Delete the release?") end)
            capture(ok, err.code, err.question, err.message, err.where)
            """
        ) { $0.confirmation = .refuse }
        expectSucceeded(result.report)
        #expect(
            result.values == [
                false, "confirm_required", "Delete the release?",
                "confirm(\"Delete the release?\") needs an answer: run on a terminal, or pass --yes", "test.lua:1",
            ])
    }

    @Test func anUncaughtConfirmRequiredFailsTheRun() async throws {
        let harness = try await HostHarness.start()
        defer { Task { await harness.stop() } }
        let report = await harness.run("confirm('Go?')\nrelease.create('dark-mode', 'standard')") {
            $0.confirmation = .refuse
        }
        let error = try #require(failure(of: report))
        #expect(error.code == "confirm_required")
        #expect(await harness.writes().isEmpty)
    }

    @Test func confirmWithAskPutsTheQuestionToTheEmbedder() async throws {
        let harness = try await HostHarness.start()
        defer { Task { await harness.stop() } }
        let asked = CapturedValues()
        let result = await harness.evaluate(
            """
            capture(confirm("Start Staging?"), confirm("Start Production?"))
            """
        ) {
            $0.confirmation = .ask { question in
                asked.append([.string(question)])
                return question.contains("Staging")
            }
        }
        expectSucceeded(result.report)
        #expect(result.values == [true, false])
        #expect(asked.all == [["Start Staging?"], ["Start Production?"]])
        #expect(harness.recorder.messages(named: "confirm") == ["Start Staging? yes", "Start Production? no"])
    }

    @Test(arguments: [("debug", RunEvent.Level.debug), ("info", .info), ("warn", .warn), ("error", .error)])
    func logEmitsAnEventAtItsLevelWithFields(_ example: (name: String, level: RunEvent.Level)) async throws {
        let harness = try await HostHarness.start()
        defer { Task { await harness.stop() } }
        let result = await harness.evaluate(
            """
            log.\(example.name)("promoting", {flag = "new-checkout", count = 3, ratio = 0.5, ok = true,
              phases = {"Testing", "Staging"}, nested = {a = 1}, [1] = "ignored"})
            """)
        expectSucceeded(result.report)
        let event = try #require(harness.recorder.events(named: "log").first)
        #expect(event.level == example.level)
        #expect(event.message == "promoting")
        #expect(
            event.fields == [
                "flag": .string("new-checkout"), "count": .integer(3), "ratio": .number(0.5), "ok": .bool(true),
                "phases": .array([.string("Testing"), .string("Staging")]), "nested": .object(["a": .integer(1)]),
            ])
    }

    @Test func logAcceptsAnyValueAsTheMessage() async throws {
        let harness = try await HostHarness.start()
        defer { Task { await harness.stop() } }
        let result = await harness.evaluate("log.info(42)\nlog.info(nil)\nlog.warn(true)")
        expectSucceeded(result.report)
        #expect(harness.recorder.messages(named: "log") == ["42", "nil", "true"])
    }

    @Test func argsHoldsNamedAndPositionalArguments() async throws {
        let harness = try await HostHarness.start()
        defer { Task { await harness.stop() } }
        let result = await harness.evaluate(
            """
            capture(args.flag, args.pipeline, args.missing, args[1], args[2], #args, select("#", ...), ...)
            """
        ) {
            $0.arguments = ["flag": "new-checkout", "pipeline": "fast-track"]
            $0.positionalArguments = ["one", "two"]
        }
        expectSucceeded(result.report)
        #expect(result.values == ["new-checkout", "fast-track", .nil, "one", "two", 2, 2, "one", "two"])
    }

    @Test func ldrunHoldsTheRunsContext() async throws {
        let harness = try await HostHarness.start()
        defer { Task { await harness.stop() } }
        let result = await harness.evaluate(
            """
            local t0 = ldrun.clock()
            sleep("5ms")
            capture(ldrun.dry_run, ldrun.version, ldrun.project, ldrun.runbook, math.type(t0), ldrun.clock() > t0)
            """)
        expectSucceeded(result.report)
        #expect(result.values == [false, .string(LdrunVersion.current), "demo", "test.lua", "float", true])
        let dry = await harness.evaluate("capture(ldrun.dry_run)") { $0.dryRun = true }
        #expect(dry.value == true)
    }

    @Test func ldrunErrorBuildsAnErrorTableLikeTheHostsOwn() async throws {
        let harness = try await HostHarness.start()
        defer { Task { await harness.stop() } }
        let result = await harness.evaluate(
            """
            local function check(flag)
              error(ldrun.error("not_ready", flag .. " is not ready", {flag = flag}, 2))
            end
            local ok, err = pcall(function()
              check("dark-mode")
            end)
            capture(err.code, err.message, err.flag, err.where, tostring(err))
            capture(tostring(ldrun.error("no_where", "just a message", nil, 0)))
            """)
        expectSucceeded(result.report)
        #expect(
            result.captured.first == [
                "not_ready", "dark-mode is not ready", "dark-mode", "test.lua:5", "test.lua:5: dark-mode is not ready",
            ])
        #expect(result.captured.last == ["just a message"])
    }
}
