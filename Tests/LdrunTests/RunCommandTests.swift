import Foundation
import Testing

@Suite(.serialized, .timeLimit(.minutes(1))) struct RunCommandTests {
    @Test func aGoodScriptExitsZeroAndSeesItsArguments() async throws {
        let dir = try LdrunProcess.scratch(["ok.lua": "print(arg[0], ...)\nprint(#arg)"])
        let result = try await LdrunProcess.run(["run", "--simulate", "ok.lua", "--", "a", "--b"], in: dir)
        #expect(result.status == 0)
        #expect(result.stdout == "ok.lua\ta\t--b\n2\n")
        #expect(result.stderr.contains("done: 0 writes"))
    }

    @Test func anUncaughtErrorExitsOneWithLocationAndTraceback() async throws {
        let dir = try LdrunProcess.scratch(["fail.lua": "local function go()\n  error('no flag given')\nend\ngo()\n"])
        let result = try await LdrunProcess.run(["run", "--simulate", "fail.lua"], in: dir)
        #expect(result.status == 1)
        #expect(result.stderr.contains("ldrun: fail.lua:2: no flag given\nstack traceback:"))
        #expect(result.stderr.contains("fail.lua:4: in main chunk"))
    }

    /// With `--log-format json` every line on stderr is JSON, the final error too: its
    /// message, traceback and exit status are fields, and invalid UTF-8 is escaped.
    @Test func withJSONLogsTheFinalErrorIsAJSONLine() async throws {
        let dir = try LdrunProcess.scratch([
            "fail.lua": "local function go()\n  error('no flag \\255 given')\nend\ngo()\n",
            "bad.lua": "if then\n",
        ])
        for (runbook, status) in [("fail.lua", Int32(1)), ("bad.lua", 2), ("missing.lua", 2)] {
            let result = try await LdrunProcess.run(
                ["run", "--simulate", "--journal", "journal.jsonl", "--log-format", "json", runbook], in: dir)
            #expect(result.status == status, "\(result.stderr)")
            let lines = result.stderr.split(separator: "\n")
            let objects = lines.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
            #expect(objects.count == lines.count, "every line is JSON: \(result.stderr)")
            let last = try #require(objects.last)
            #expect(last["event"] as? String == "error")
            #expect(last["level"] as? String == "error")
            #expect(last["exit_status"] as? Int == Int(status))
            #expect((last["message"] as? String)?.hasPrefix(runbook) == true || runbook == "missing.lua", "\(last)")
            if runbook == "fail.lua" {
                #expect((last["traceback"] as? String)?.contains("fail.lua:4: in main chunk") == true, "\(last)")
            }
        }
    }

    @Test func aSyntaxErrorExitsTwo() async throws {
        let dir = try LdrunProcess.scratch(["bad.lua": "local x = 1\nif x then\n"])
        let result = try await LdrunProcess.run(["run", "--simulate", "bad.lua"], in: dir)
        #expect(result.status == 2)
        #expect(result.stderr.contains("ldrun: bad.lua:3:"))
        #expect(result.stderr.contains("'end' expected"))
    }

    @Test func aMissingFileExitsTwo() async throws {
        let result = try await LdrunProcess.run(["run", "--simulate", "/nonexistent/runbook.lua"])
        #expect(result.status == 2)
        #expect(result.stderr.hasSuffix("ldrun: cannot open /nonexistent/runbook.lua: No such file or directory\n"))
    }

    @Test func usageErrorsExitTwo() async throws {
        let missing = try await LdrunProcess.run(["run"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("Missing expected argument '<file>'"))
        let unknown = try await LdrunProcess.run(["frobnicate"])
        #expect(unknown.status == 2)
    }

    @Test func help() async throws {
        let help = try await LdrunProcess.run(["--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("run"))
    }
}

/// `require` order from the command line: `--lib`, then `LDRUN_PATH`, then the runbook's
/// folder, then the library compiled into ldrun.
@Suite(.serialized, .timeLimit(.minutes(1))) struct ModuleSearchCommandTests {
    @Test func libFoldersWinOverLdrunPathWhichWinsOverTheRunbooksFolder() async throws {
        let dir = try LdrunProcess.scratch([
            "main.lua": """
            print(require("team.where"), require("local_only"), require("ldrun.util") ~= nil)
            """,
            "local_only.lua": "return 'runbook folder'",
        ])
        for (folder, label) in [("lib", "--lib"), ("path", "LDRUN_PATH"), ("team", "runbook folder")] {
            let base = folder == "team" ? dir : dir.appendingPathComponent(folder)
            let team = base.appendingPathComponent("team")
            try FileManager.default.createDirectory(at: team, withIntermediateDirectories: true)
            try "return '\(label)'".write(
                to: team.appendingPathComponent("where.lua"), atomically: true, encoding: .utf8)
        }
        let all = try await LdrunProcess.run(
            ["run", "--simulate", "--lib", "lib", "main.lua"], environment: ["LDRUN_PATH": "path"], in: dir)
        #expect(all.stdout == "--lib\trunbook folder\ttrue\n", "\(all.stderr)")
        let withoutLib = try await LdrunProcess.run(
            ["run", "--simulate", "main.lua"], environment: ["LDRUN_PATH": "path"], in: dir)
        #expect(withoutLib.stdout == "LDRUN_PATH\trunbook folder\ttrue\n", "\(withoutLib.stderr)")
        let elsewhere = try LdrunProcess.scratch(["missing.lua": "require 'nope.mod'"])
        try FileManager.default.createDirectory(
            at: elsewhere.appendingPathComponent("lib"), withIntermediateDirectories: true)
        let missing = try await LdrunProcess.run(["run", "--simulate", "--lib", "lib", "missing.lua"], in: elsewhere)
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("module 'nope.mod' not found"))
        #expect(missing.stderr.contains("no file 'lib/nope/mod.lua'"))
        #expect(missing.stderr.contains("(ldrun's built-in library)"))
    }
}
