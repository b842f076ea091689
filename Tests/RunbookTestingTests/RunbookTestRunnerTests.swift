import Foundation
import Testing

@testable import RunbookTesting

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// The runner end to end: test files written to a temporary folder, each test run against
/// its own simulator over loopback on a virtual clock.
@Suite struct RunbookTestRunnerTests {
    /// A folder with the given files, removed when the test ends.
    final class Folder {
        let path: String
        init(_ files: [String: String]) throws {
            path =
                FileManager.default.temporaryDirectory.appendingPathComponent("ldrun-runner-\(UUID().uuidString)").path
            for (name, text) in files {
                let file = path + "/" + name
                try FileManager.default.createDirectory(
                    atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                try text.write(toFile: file, atomically: true, encoding: .utf8)
            }
        }
        deinit { try? FileManager.default.removeItem(atPath: path) }
        func file(_ name: String) -> String { path + "/" + name }
    }

    func run(_ folder: Folder, _ name: String = "a_test.lua", settings: RunbookTestRunner.Settings = .init()) async
        -> [TestResult]
    {
        await RunbookTestRunner(settings: settings).run(files: [folder.file(name)])
    }

    func result(_ results: [TestResult], _ name: String) throws -> TestResult {
        try #require(results.first { $0.name == name }, "no result named \(name): \(results.map(\.name))")
    }

    @Test func aTwoHourRolloutRunsInBothDialectsOnTheVirtualClock() async throws {
        let folder = try Folder([
            "a_test.lua": """
            test("through every phase", {dialect = "both", phase_duration = "2h",
                approvals = {flag = "new-checkout", phase = "Production", after = "30m"}}, function(t)
              local promote = require "ldrun.promote"
              local result = promote.run{flag = "new-checkout", pipeline = "standard", timeout = "3h", every = "1m"}
              t.expect(result.status).equals("complete")
              t.expect(t.started_phases("new-checkout")).equals({"Testing", "Staging", "Production"})
              t.expect(t.elapsed()).at_least(2 * 3600)
            end)
            """
        ])
        let results = await run(folder)
        #expect(results.map(\.name) == ["through every phase [observed]", "through every phase [spec]"])
        for result in results {
            #expect(result.status == .passed, "\(result.failure?.message ?? "") \(result.failure?.log ?? [])")
            #expect(result.simulated >= .seconds(2 * 3600), "the guarded phase took two virtual hours")
        }
    }

    @Test func aFailedExpectationNamesItsLineAndBothValues() async throws {
        let folder = try Folder([
            "a_test.lua": """
            test("compares", function(t)
              t.expect({1, 2}).equals({1, 2})
              t.expect({1, 2}).equals({1, 3})
            end)
            test("errors", function(t)
              local x = nil
              return x.field
            end)
            """
        ])
        let results = await run(folder)
        let compares = try result(results, "compares")
        #expect(compares.status == .failed)
        #expect(compares.failure?.location == folder.file("a_test.lua") + ":3")
        #expect(compares.failure?.expected == "{1, 3}")
        #expect(compares.failure?.actual == "{1, 2}")
        let errors = try result(results, "errors")
        #expect(errors.status == .failed)
        #expect(errors.failure?.message.contains("a_test.lua:7: attempt to index a nil value") == true)
        #expect(errors.failure?.traceback?.contains("a_test.lua:7") == true)
    }

    @Test func skippedTestsAndTheFilter() async throws {
        let folder = try Folder([
            "a_test.lua": """
            test.skip("not yet", function(t) t.fail("must not run") end)
            test("skips itself", function(t) t.skip("needs a seed") ; t.fail("after skip") end)
            test("other", function(t) t.fail("filtered out") end)
            """
        ])
        var settings = RunbookTestRunner.Settings()
        settings.filter = "SKIP"
        let results = await run(folder, settings: settings)
        #expect(results.map(\.name) == ["skips itself"])
        #expect(results.first?.status == .skipped)
        #expect(results.first?.skipReason == "needs a seed")
        let all = await run(folder)
        #expect(all.map(\.status) == [.skipped, .skipped, .failed])
    }

    @Test func aRunbookRunReportsItsStatusErrorValueAndJournal() async throws {
        let folder = try Folder([
            "a_test.lua": """
            test("runs", {args = {flag = "new-checkout"}}, function(t)
              local ok = t.run("ship.lua")
              t.expect(ok.status).equals(0)
              t.expect(ok.value).equals({flag = "new-checkout", status = release.status(t.release("new-checkout"))})
              t.expect(#ok.journal).at_least(2)
              t.expect(ok.journal[1].operation).exists()
              local failed = t.run("ship.lua", {flag = "no-such-flag"})
              t.expect(failed.status).equals(1)
              t.expect(failed.error.code).equals("not_found")
              t.expect(t.started_phases("new-checkout")).equals({"Testing"})
            end)
            """,
            "ship.lua": """
            local rel = release.create{flag = args.flag, pipeline = "standard"}
            rel = phase.start(rel, phase.next(rel))
            return {flag = args.flag, status = release.status(rel)}
            """,
        ])
        let results = await run(folder)
        let runs = try result(results, "runs")
        #expect(runs.status == .passed, "\(runs.failure?.message ?? "") \(runs.failure?.run ?? "")")
    }

    @Test func scenariosPrepareReleasesFaultsRegressionsAndAnswers() async throws {
        let folder = try Folder([
            "a_test.lua": """
            local promote = require "ldrun.promote"
            test("resumes", {releases = {["new-checkout"] = {started = "Staging"}}, approvals = {
                flag = "new-checkout", phase = "Production", after = "5m"}}, function(t)
              t.expect(t.requests()).has_length(0)
              promote.run{flag = "new-checkout"}
              t.expect(t.started_phases("new-checkout")).equals({"Production"})
            end)
            test("retries", {faults = "release-get:count=3:status=503"}, function(t)
              t.expect(release.get("new-checkout")).is_nil()
              t.expect(t.requests{status = 503}).has_length(3)
            end)
            test("waits out 429s on the virtual clock", {faults = "release-get:count=2:retry-after=30"}, function(t)
              t.expect(release.get("new-checkout")).is_nil()
              t.expect(t.requests{status = 429}).has_length(2)
              t.expect(t.elapsed()).at_least(60)
            end)
            test("regresses", {dialect = "both", phase_duration = "1h",
                regress = {flag = "new-checkout", phase = "Staging", after = "10m"}}, function(t)
              local err = t.expect_error(promote.run, {flag = "new-checkout", pipeline = "standard", timeout = "3h"})
              t.expect(err.code).equals("paused")
              t.expect(t.started_phases("new-checkout")).equals({"Testing", "Staging"})
            end)
            test("declines", function(t)
              t.scenario{answers = {confirm = {false}}}
              local err = t.expect_error(promote.run, {flag = "new-checkout", pipeline = "standard", gate = "confirm"})
              t.expect(err.code).equals("gate_declined")
              t.expect(t.questions()).has_length(1)
            end)
            test("too late for a scenario", function(t)
              release.get("new-checkout")
              t.scenario{dialect = "spec"}
            end)
            test("a misspelt key", function(t) t.scenario{phase_duraton = "1m"} end)
            test("bad run args", function(t) t.run("a_test.lua", {flag = print}) end)
            """
        ])
        let results = await run(folder)
        for name in [
            "resumes", "retries", "waits out 429s on the virtual clock", "regresses [observed]",
            "regresses [spec]", "declines",
        ] {
            let passed = try result(results, name)
            #expect(passed.status == .passed, "\(name): \(passed.failure?.message ?? "") \(passed.failure?.log ?? [])")
        }
        let limited = try result(results, "waits out 429s on the virtual clock")
        // Both waits (the retry's and the rate limiter's) on the virtual clock: a real one would
        // not move it.
        #expect(limited.simulated >= .seconds(60))
        let late = try result(results, "too late for a scenario")
        #expect(late.failure?.message.contains("t.scenario must come before the test's first API call") == true)
        let badArgs = try result(results, "bad run args")
        #expect(
            badArgs.failure?.message.contains("a_test.lua:34: bad argument #2 to 't.run' (args: values must be strings")
                == true,
            "\(badArgs.failure?.message ?? "")")
        let misspelt = try result(results, "a misspelt key")
        #expect(
            misspelt.failure?.message.contains("unknown key 'phase_duraton'; did you mean 'phase_duration'?") == true)
    }

    @Test func aTestThatWouldWaitForeverFailsAtTheVirtualTimeLimit() async throws {
        let folder = try Folder(["a_test.lua": #"test("waits", function(t) sleep(30 * 86400) end)"#])
        var settings = RunbookTestRunner.Settings()
        settings.virtualTimeLimit = .seconds(3600)
        let results = await run(folder, settings: settings)
        #expect(results.first?.status == .failed)
        #expect(results.first?.failure?.message.contains("time limit") == true, "\(results)")
        #expect(results.first?.simulated == .seconds(3600))
    }

    @Test func aFileThatDoesNotLoadIsOneFailure() async throws {
        let folder = try Folder(["a_test.lua": "test('x', function(t) end\n"])
        let results = await run(folder)
        #expect(results.count == 1)
        #expect(results.first?.status == .failed)
        #expect(results.first?.failure?.message.contains("a_test.lua:2: ')' expected") == true, "\(results)")
    }

    /// A library keeps its tests in `tests/` beside its modules: they find them without `--lib`.
    @Test func testsInATestsFolderRequireTheModulesBesideIt() async throws {
        let folder = try Folder([
            "team/policy.lua": "return {limit = 3}",
            "tests/policy_test.lua": """
            local policy = require "team.policy"
            test("reads the module beside tests/", function(t) t.expect(policy.limit).equals(3) end)
            """,
        ])
        let results = await run(folder, "tests/policy_test.lua")
        #expect(results.map(\.status) == [.passed], "\(results.first?.failure?.message ?? "")")
    }

    @Test func discoveryFindsTestFilesRecursivelyAndSkipsHiddenFolders() throws {
        let folder = try Folder([
            "lib/team/promote_test.lua": "", "lib/team/promote.lua": "", "b_test.lua": "",
            ".git/x_test.lua": "",
        ])
        let (files, missing) = TestFiles.discover([folder.path, folder.path + "/nowhere"])
        #expect(files == [folder.file("b_test.lua"), folder.file("lib/team/promote_test.lua")])
        #expect(missing == [folder.path + "/nowhere"])
    }

    @Test func junitCountsFailuresAndSkipsPerFile() async throws {
        let folder = try Folder([
            "a_test.lua": """
            test("passes", function(t) end)
            test("fails <here>", function(t) t.expect(1).equals(2) end)
            test.skip("later", function(t) end)
            """
        ])
        let xml = TestReport.junit(await run(folder))
        #expect(xml.contains(#"<testsuites name="ldrun test" tests="3" failures="1" skipped="1""#))
        #expect(xml.contains(#"name="fails &lt;here&gt;""#))
        #expect(xml.contains(#"<failure message="expected 2, got 1""#))
        #expect(xml.contains("<skipped/>"))
        let parsed = XMLParser(data: Data(xml.utf8))
        #expect(parsed.parse(), "well-formed XML")
    }
}
