import Foundation
import Testing

/// `ldrun test` as CI runs it: a line per test, the summary, the exit status, JUnit XML,
/// `--filter`, usage errors; and the shipped library's own tests, which must pass.
@Suite(.timeLimit(.minutes(3))) struct TestCommandTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static let files = [
        "tests/promote_test.lua": """
        local promote = require "ldrun.promote"
        test("a fresh flag goes through every phase", {dialect = "both",
            approvals = {flag = "new-checkout", phase = "Production", after = "30m"}}, function(t)
          local result = promote.run{flag = "new-checkout", pipeline = "standard", timeouts = {Production = "2h"}}
          t.expect(result.status).equals("complete")
          t.expect(t.started_phases("new-checkout")).equals({"Testing", "Staging", "Production"})
        end)
        test("the runbook stops when the operator declines", {answers = {confirm = {false}}}, function(t)
          local run = t.run("ship.lua", {flag = "dark-mode"})
          t.expect(run.status).equals(0)
        end)
        test.skip("later", function(t) end)
        """,
        "ship.lua": """
        print("shipping " .. args.flag)
        if not confirm("Ship " .. args.flag .. "?") then error({code = "declined", message = "not shipped"}) end
        """,
    ]

    @Test func aLinePerTestTheSummaryAndTheExitStatus() async throws {
        let dir = try LdrunProcess.scratch(Self.files)
        let result = try await LdrunProcess.run(["test", "--junit", "results.xml"], in: dir)
        #expect(result.status == 1, "one test fails: \(result.stdout)\(result.stderr)")
        let out = result.stdout
        #expect(out.contains("tests/promote_test.lua\n"))
        #expect(out.contains("  ✓ a fresh flag goes through every phase [observed] ("))
        #expect(out.contains("  ✓ a fresh flag goes through every phase [spec] ("))
        #expect(out.contains("  ✗ the runbook stops when the operator declines ("))
        #expect(out.contains("tests/promote_test.lua:10: expected 0, got 1"), "\(out)")
        #expect(out.contains("t.run(\"ship.lua\") failed: not shipped\n      stack traceback:"), "\(out)")
        #expect(out.contains("output:\n        shipping dark-mode"), "what the runbook printed is kept: \(out)")
        #expect(out.contains("  - later (skipped)"))
        #expect(out.hasSuffix("s)\n") && out.contains("2 passed, 1 failed, 1 skipped ("), "\(out)")
        let xml = try String(contentsOf: dir.appendingPathComponent("results.xml"), encoding: .utf8)
        #expect(
            xml.contains(#"<testsuite name="tests/promote_test.lua" tests="4" failures="1" errors="0" skipped="1""#))
    }

    @Test func theFilterPicksTestsAndMatchingNoneFails() async throws {
        let dir = try LdrunProcess.scratch(Self.files)
        let picked = try await LdrunProcess.run(["test", "--filter", "EVERY PHASE [SPEC]", "tests"], in: dir)
        #expect(picked.status == 0, "\(picked.stdout)\(picked.stderr)")
        #expect(picked.stdout.contains("1 passed, 0 failed ("), "\(picked.stdout)")
        let none = try await LdrunProcess.run(["test", "--filter", "nothing like it"], in: dir)
        #expect(none.status == 1)
        #expect(none.stdout.contains("no test matches --filter nothing like it"))
    }

    @Test func usageErrorsExitTwo() async throws {
        let dir = try LdrunProcess.scratch(["empty/readme.txt": "no tests here"])
        let missing = try await LdrunProcess.run(["test", "nowhere"], in: dir)
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("ldrun test: nowhere: no such file or folder"))
        let empty = try await LdrunProcess.run(["test", "empty"], in: dir)
        #expect(empty.status == 2)
        #expect(empty.stderr.contains("ldrun test: no *_test.lua files in empty"))
        let neither = try await LdrunProcess.run(["test"], in: dir.appendingPathComponent("empty"))
        #expect(neither.status == 2)
        #expect(neither.stderr.contains("./tests or ./runbooks (neither exists)"))
    }

    /// The shipped library's tests, as `./scripts/test` runs them.
    @Test func theShippedLibraryPassesItsOwnTests() async throws {
        let result = try await LdrunProcess.run(
            ["test", "--quiet", "--lib", "runbooks/lib", "runbooks/lib"], in: Self.repository)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains(" passed, 0 failed"), "\(result.stdout)")
    }
}
