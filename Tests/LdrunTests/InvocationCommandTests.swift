import Foundation
import Testing

/// How ldrun is invoked: `ldrun FILE`, `#!/usr/bin/env ldrun` scripts, plain `ldrun`, and
/// stdin that is not a terminal.
@Suite(.serialized, .timeLimit(.minutes(1))) struct InvocationCommandTests {
    /// No token and no base URI from the environment of whoever runs the tests.
    static let noToken = ["LD_ACCESS_TOKEN": "", "LD_BASE_URI": "", "LD_PROJECT": ""]

    @Test func aFileAsTheFirstArgumentRunsItWithRunsOptions() async throws {
        let dir = try LdrunProcess.scratch(["ok.lua": "print(arg[0], ...)\nprint(release.get('dark-mode') == nil)"])
        let result = try await LdrunProcess.run(
            ["ok.lua", "--simulate", "--journal", "/dev/null", "--", "a", "--b"], in: dir)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "ok.lua\ta\t--b\ntrue\n")
        #expect(result.stderr.contains("simulator listening"))
    }

    @Test func aShebangScriptRunsByItselfAndAsTheFirstArgument() async throws {
        let dir = try LdrunProcess.scratch(["tool.lua": "#!/usr/bin/env ldrun\nprint('hi', ...)\nerror('on three')\n"])
        let script = dir.appendingPathComponent("tool.lua")
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script.path)
        let path = LdrunProcess.executable.deletingLastPathComponent().path
        let environment = Self.noToken.merging(["PATH": path + ":/usr/bin:/bin"]) { $1 }
        let direct = try await Self.runFreshScript(script, ["--", "x"], environment: environment, in: dir)
        #expect(direct.status == 1, "\(direct.stderr)")
        #expect(direct.stdout == "hi\tx\n")
        #expect(direct.stderr.contains("tool.lua:3: on three"))
        let named = try await LdrunProcess.run(["./tool.lua"], environment: Self.noToken, in: dir)
        #expect(named.status == 1, "\(named.stderr)")
        #expect(named.stdout == "hi\n")
        #expect(named.stderr.contains("./tool.lua:3: on three"))
    }

    /// Runs a script just written, retrying while exec reports "text file busy": another
    /// test's child, forked while the file was open for writing, may still hold it open.
    static func runFreshScript(
        _ script: URL, _ arguments: [String], environment: [String: String], in directory: URL
    ) async throws -> LdrunProcess.Result {
        for _ in 0..<50 {
            do {
                return try await LdrunProcess.runProgram(script, arguments, environment: environment, in: directory)
            } catch let error as NSError
                where (error.userInfo[NSUnderlyingErrorKey] as? NSError)?.code == Int(ETXTBSY)
            {
                try await Task.sleep(for: .milliseconds(20))
            }
        }
        return try await LdrunProcess.runProgram(script, arguments, environment: environment, in: directory)
    }

    @Test func plainLuaRunsWithoutATokenAndTheFirstCallNamesTheVariable() async throws {
        let dir = try LdrunProcess.scratch(["x.lua": "print('before')\nrelease.get('dark-mode')\nprint('after')"])
        let result = try await LdrunProcess.run(["x.lua", "--project", "web"], environment: Self.noToken, in: dir)
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stdout == "before\n")
        #expect(result.stderr.contains("config: no access token"))
        #expect(result.stderr.contains("LD_ACCESS_TOKEN"))
        #expect(result.stderr.contains("--access-token"))
    }

    @Test func plainLdrunWithNothingToReadPrintsUsageAndExitsOne() async throws {
        let result = try await LdrunProcess.run([])
        #expect(result.status == 1)
        #expect(result.stdout.contains("USAGE: ldrun"))
        #expect(result.stderr.isEmpty)
    }

    @Test func pipedInputRunsAsAScriptThatStopsAtTheFirstError() async throws {
        let script = "print('one')\nerror('boom')\nprint('never')\n"
        for arguments in [[], ["repl"]] {
            let result = try await LdrunProcess.run(arguments, environment: Self.noToken, input: script)
            #expect(result.status == 1, "\(arguments): \(result.stderr)")
            #expect(result.stdout == "one\n", "\(arguments)")
            #expect(result.stderr.contains("stdin:2: boom"), "\(arguments)")
        }
    }

    @Test func pipedInputReachesTheSimulatorAndPrintsNothingExtra() async throws {
        let script = "local r = release.create{flag = 'dark-mode', pipeline = 'fast-track'}\nprint(release.status(r))\n"
        let result = try await LdrunProcess.run(["repl", "--simulate", "--journal", "/dev/null"], input: script)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "not_started\n")
        #expect(result.stderr.contains("release created for dark-mode"))
    }
}

/// CLI conventions: `--version`, `--output json`, completions, a missing runbook.
@Suite(.serialized, .timeLimit(.minutes(1))) struct ConventionCommandTests {
    @Test func versionNamesLua() async throws {
        let result = try await LdrunProcess.run(["--version"])
        #expect(result.status == 0)
        #expect(result.stdout.range(of: #"^\d+\.\d+\.\d+ \(Lua 5\.4\.\d+\)\n$"#, options: .regularExpression) != nil)
    }

    @Test func outputJSONPrintsTheReturnedValue() async throws {
        let dir = try LdrunProcess.scratch([
            "r.lua":
                "local rel = release.get('dark-mode')\nreturn {flag = 'dark-mode', found = rel ~= nil, n = {1, 2}}",
            "f.lua": "return {step = print}",
        ])
        let result = try await LdrunProcess.run(
            ["run", "--simulate", "--journal", "/dev/null", "--output", "json", "r.lua"], in: dir)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == #"{"flag":"dark-mode","found":false,"n":[1,2]}"# + "\n")
        let bad = try await LdrunProcess.run(
            ["run", "--output", "json", "f.lua"], environment: InvocationCommandTests.noToken, in: dir)
        #expect(bad.status == 1)
        #expect(bad.stdout.isEmpty)
        #expect(bad.stderr.contains("--output json: the returned value cannot be JSON"), "\(bad.stderr)")
        #expect(bad.stderr.contains("function"), "\(bad.stderr)")
    }

    @Test func completionsForEachShell() async throws {
        let bash = try await LdrunProcess.run(["completions", "bash"])
        #expect(bash.status == 0)
        #expect(bash.stdout.contains("complete -o filenames -F _ldrun ldrun"))
        let zsh = try await LdrunProcess.run(["completions", "zsh"])
        #expect(zsh.stdout.hasPrefix("#compdef ldrun"))
        let fish = try await LdrunProcess.run(["completions", "fish"])
        #expect(fish.stdout.contains("complete -c 'ldrun'"))
        let other = try await LdrunProcess.run(["completions", "tcsh"])
        #expect(other.status == 2)
    }

    @Test func aMissingRunbookIsReportedBeforeTheSimulatorStarts() async throws {
        let result = try await LdrunProcess.run(["run", "--simulate", "/nonexistent/runbook.lua"])
        #expect(result.status == 2)
        #expect(result.stderr == "ldrun: cannot open /nonexistent/runbook.lua: No such file or directory\n")
    }

    /// Options may come before the file (`ldrun --simulate tool.lua`); without a file they
    /// open the REPL, which runs piped input, whose `#!` line is skipped as `lua5.4 -` does.
    @Test func optionsBeforeTheFileAndShebangsOnPipedInput() async throws {
        let dir = try LdrunProcess.scratch(["tool.lua": "print('tool', ...)\n"])
        let run = try await LdrunProcess.run(
            ["--simulate", "--journal", "j.jsonl", "-a", "flag=x", "tool.lua", "--", "a"], in: dir)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout == "tool\ta\n")
        let piped = try await LdrunProcess.run(
            ["--simulate", "--journal", "j.jsonl"], in: dir,
            input:
                "#!/usr/bin/env ldrun\nprint(release.status(release.create('dark-mode', 'standard')))\nerror('on three')\n"
        )
        #expect(piped.status == 1, "\(piped.stderr)")
        #expect(piped.stdout == "not_started\n")
        #expect(piped.stderr.contains("stdin:3: on three"), "line numbers stay right: \(piped.stderr)")
    }

    /// The options `Invocation` treats as taking no value are exactly the flags of `run`.
    @Test func theInvocationKnowsWhichOptionsTakeNoValue() async throws {
        let help = try await LdrunProcess.run(["run", "--help"])
        let options = help.stdout.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { $0.hasPrefix("-") }
        var flags: Set<String> = []
        for line in options {
            let names = line.split(separator: " ").prefix { $0.hasPrefix("-") || $0.hasPrefix("<") }
            guard !names.contains(where: { $0.hasPrefix("<") }) else { continue }
            for name in names { flags.insert(name.trimmingCharacters(in: CharacterSet(charactersIn: ","))) }
        }
        flags.remove("--version")
        #expect(flags == ["--simulate", "--dry-run", "--yes", "-v", "--verbose", "-h", "--help"], "\(options)")
    }

    /// The root command's own options stay the root's (generate-manual reads
    /// `--experimental-dump-help` of the root to write `man ldrun`).
    @Test func theRootsOwnOptionsAreNotARun() async throws {
        let dump = try await LdrunProcess.run(["--experimental-dump-help"])
        #expect(dump.status == 0, "\(dump.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(dump.stdout.utf8)) as? [String: Any]
        let command = object?["command"] as? [String: Any]
        #expect(command?["commandName"] as? String == "ldrun", "\(dump.stdout.prefix(200))")
        let version = try await LdrunProcess.run(["--version"])
        #expect(version.status == 0)
        #expect(version.stdout.contains("Lua 5.4"))
    }
}
