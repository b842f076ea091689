import Foundation
import Testing

/// `ldrun check` and `ldrun stubs` as CI and editors use them: problems as
/// `file:line:col: message` on stdout, exit 1 when there are any, the shipped runbooks clean,
/// and luacheck (when installed) run with the standard `ldrun stubs` writes.
@Suite(.timeLimit(.minutes(2))) struct CheckCommandTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static let luacheck = ["/usr/bin/luacheck", "/usr/local/bin/luacheck"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    static let badRunbook = """
        local flag = args.flag
        local rel = release.get(flag)
        phase.strat(rel)
        phase.wait(rel, nil, {timout = "5m"})
        sleep("5mins")
        local unused = 1
        """

    @Test func theShippedRunbooksAreClean() async throws {
        var variants: [[String]] = [["--no-luacheck"]]
        if let luacheck = Self.luacheck { variants.append(["--luacheck", luacheck]) }
        for options in variants {
            let result = try await LdrunProcess.run(["check"] + options + ["runbooks"], in: Self.repository)
            #expect(result.status == 0, "\(options): \(result.stdout)\(result.stderr)")
            #expect(result.stdout.isEmpty && result.stderr.isEmpty, "\(result.stdout)\(result.stderr)")
        }
    }

    @Test func problemsAreReportedAsFileLineColumnLines() async throws {
        let dir = try LdrunProcess.scratch([
            "bad.lua": Self.badRunbook, "syntax.lua": "local x = \n", "ok.lua": "print(1)\n",
        ])
        let result = try await LdrunProcess.run(["check", "--no-luacheck", "ok.lua", "bad.lua", "syntax.lua"], in: dir)
        #expect(result.status == 1, "\(result.stderr)")
        #expect(
            result.stdout == """
                bad.lua:3:7: unknown field 'strat' in 'phase' (did you mean 'start'?)
                bad.lua:4:23: unknown key 'timout' in argument #3 to 'phase.wait' (did you mean 'timeout'?)
                bad.lua:5:7: bad argument #1 to 'sleep' (invalid duration "5mins" (use seconds or "500ms", "90s", "5m", "1h"))
                syntax.lua:2:1: unexpected symbol near <eof>

                """)
        #expect(result.stderr.isEmpty)
    }

    @Test func aBytecodeFileIsASyntaxProblemNotACrash() async throws {
        let dir = try LdrunProcess.scratch([:])
        try Data([0x1B, 0x4C, 0x75, 0x61, 0x54, 0x00, 0x19, 0x93]).write(to: dir.appendingPathComponent("compiled.lua"))
        let result = try await LdrunProcess.run(["check", "--no-luacheck", "compiled.lua"], in: dir)
        #expect(result.status == 1)
        #expect(result.stdout == "compiled.lua:1:1: attempt to load a binary chunk (mode is 't')\n")
    }

    @Test(.enabled(if: luacheck != nil)) func luacheckAddsItsLintAndLdrunKeepsItsOwnReports() async throws {
        let dir = try LdrunProcess.scratch(["bad.lua": Self.badRunbook])
        let result = try await LdrunProcess.run(["check", "--luacheck", Self.luacheck ?? "", "bad.lua"], in: dir)
        #expect(result.status == 1, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains("bad.lua:6:7: (W211) unused variable 'unused'"), "\(result.stdout)")
        #expect(lines.contains("bad.lua:3:7: unknown field 'strat' in 'phase' (did you mean 'start'?)"))
        #expect(!lines.contains { $0.contains("(W143)") }, "luacheck's report of phase.strat is ldrun's: \(lines)")
        #expect(lines.count == 4, "\(lines)")
    }

    @Test func stubsWritesDefinitionsAndSettingsThatLuacheckAccepts() async throws {
        let dir = try LdrunProcess.scratch([:])
        let result = try await LdrunProcess.run(["stubs"], in: dir)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(
            result.stdout
                == "wrote .ldrun/stubs/ldrun.lua\nwrote .ldrun/stubs/luarc.json\nwrote .ldrun/stubs/luacheckrc\n"
                + "wrote .ldrun/stubs/ldrun-test.lua\n")
        let stubs = try String(contentsOf: dir.appendingPathComponent(".ldrun/stubs/ldrun.lua"), encoding: .utf8)
        #expect(stubs.hasPrefix("---@meta ldrun\n"))
        #expect(stubs.contains("function phase.start(target, phase, options) end"))
        let luarc = try String(contentsOf: dir.appendingPathComponent(".ldrun/stubs/luarc.json"), encoding: .utf8)
        #expect(luarc.contains(#""workspace.library": [".ldrun/stubs"]"#))

        guard let luacheck = Self.luacheck else { return }
        let config = dir.appendingPathComponent(".ldrun/stubs/luacheckrc").path
        let lint = try LdrunProcess.start(
            ["--config", config, "--formatter", "plain", "runbooks"], in: Self.repository,
            program: URL(fileURLWithPath: luacheck))
        let outcome = await lint.finish()
        #expect(outcome.status == 0, "\(outcome.stdout)\(outcome.stderr)")
        // The standard knows ldrun's fields and the sandbox's, so a misspelt or removed one is caught.
        try "phase.strat()\ndebug.sethook()\nprint(ldrun.runbook:match('x'), io.stdout:write(''))\n".write(
            to: dir.appendingPathComponent("typo.lua"), atomically: true, encoding: .utf8)
        let typo = await
            (try LdrunProcess.start(
                ["--config", config, "--formatter", "plain", "typo.lua"], in: dir,
                program: URL(fileURLWithPath: luacheck)))
            .finish()
        #expect(
            typo.stdout == """
                typo.lua:1:1: accessing undefined field 'strat' of global 'phase'
                typo.lua:2:1: accessing undefined field 'sethook' of global 'debug'

                """, "\(typo.stdout)")
        #expect(typo.status == 1)
    }

    @Test func stubsWritesIntoTheFolderGiven() async throws {
        let dir = try LdrunProcess.scratch([:])
        let result = try await LdrunProcess.run(["stubs", "types/ldrun"], in: dir)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("types/ldrun/luacheckrc").path))
        let luarc = try String(contentsOf: dir.appendingPathComponent("types/ldrun/luarc.json"), encoding: .utf8)
        #expect(luarc.contains(#""workspace.library": ["types/ldrun"]"#))
    }
}
