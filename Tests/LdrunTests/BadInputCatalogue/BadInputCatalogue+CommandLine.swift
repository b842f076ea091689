/// Bad options, subcommands and runbook files on the command line: usage errors (status 2)
/// naming the option or the file.
extension BadInputCatalogue {
    static let commandLine: [BadInputCase] = [
        .commandLine("--timeout -5s", ["run", "--timeout", "-5s", "ok.lua"], stderr: ["--timeout"]),
        .commandLine("--timeout empty", ["run", "--timeout", "", "ok.lua"], stderr: ["--timeout expects a duration"]),
        .commandLine(
            "--timeout 5parsecs", ["run", "--timeout", "5parsecs", "ok.lua"],
            stderr: ["--timeout expects a duration", "5parsecs"]),
        .commandLine(
            "--timeout 1e15h", ["run", "--timeout", "1e15h", "ok.lua"], stderr: ["--timeout expects a duration"]),
        .commandLine(
            "--memory-limit 0", ["run", "--memory-limit", "0", "ok.lua"],
            stderr: ["--memory-limit must be at least 1MiB"]),
        .commandLine("--memory-limit -1", ["run", "--memory-limit", "-1", "ok.lua"], stderr: ["--memory-limit"]),
        .commandLine("--memory-limit 1e300", ["run", "--memory-limit", "1e300", "ok.lua"], stderr: ["--memory-limit"]),
        .commandLine(
            "-a without =", ["run", "-a", "noequals", "ok.lua"], stderr: ["-a expects key=value, got 'noequals'"]),
        .commandLine(
            "-a with an empty key", ["run", "-a", "=v", "ok.lua"], stderr: ["-a expects key=value, got '=v'"]),
        .commandLine(
            "--lib of a missing folder", ["run", "--lib", "missing", "ok.lua"],
            stderr: ["--lib: no such folder 'missing'"]),
        .commandLine(
            "--lib of a file", ["run", "--lib", "ok.lua", "ok.lua"], stderr: ["--lib: no such folder 'ok.lua'"]),
        .commandLine("--base-uri empty", ["run", "--base-uri", "", "ok.lua"], stderr: ["--base-uri expects a URI"]),
        .commandLine(
            "--base-uri garbage", ["run", "--base-uri", "garbage", "--project", "p", "ok.lua"],
            stderr: ["base URI 'garbage' is not an absolute http(s) URL"]),
        .commandLine(
            "--base-uri http:// with no host", ["run", "--base-uri", "http://", "--project", "p", "ok.lua"],
            stderr: ["base URI 'http://' is not an absolute http(s) URL"]),
        .commandLine(
            "--base-uri plain http to a remote host",
            [
                "run", "--base-uri", "http://example.com", "--access-token", BadInputCase.token, "--project", "p",
                "ok.lua",
            ],
            stderr: ["base URI 'http://example.com' uses plain http to a host that is not loopback"]),
        .commandLine(
            "--base-uri with the token as its password",
            ["run", "--base-uri", "https://user:\(BadInputCase.token)@example.com", "--project", "p", "ok.lua"],
            stderr: ["base URI 'https://***@example.com' must not have a query, fragment or user"]),
        .commandLine(
            "--base-uri ftp with the token as its password",
            ["run", "--base-uri", "ftp://\(BadInputCase.token)@127.0.0.1/x", "--project", "p", "ok.lua"],
            stderr: ["base URI 'ftp://***@127.0.0.1/x' must use https"]),
        .commandLine(
            "--base-uri ftp", ["run", "--base-uri", "ftp://127.0.0.1", "--project", "p", "ok.lua"],
            stderr: ["base URI 'ftp://127.0.0.1' must use https"]),
        .commandLine(
            "--base-uri with --instance", ["run", "--base-uri", "https://x.example", "--instance", "eu", "ok.lua"],
            stderr: ["--base-uri and --instance cannot be combined"]),
        .commandLine(
            "--instance mars", ["run", "--instance", "mars", "ok.lua"], stderr: ["'mars' is invalid for '--instance"]),
        .commandLine(
            "--project empty is no project at the first call",
            ["run", "--base-uri", "http://127.0.0.1:9", "--project", "", "get.lua"],
            stderr: ["get.lua:1: 'release.get' needs a project: pass --project, set LD_PROJECT"],
            files: ["get.lua": "release.get('dark-mode')\n"]),
        .commandLine(
            "--log-format xml", ["run", "--log-format", "xml", "ok.lua"], stderr: ["'xml' is invalid for '--log-format"]
        ),
        .commandLine(
            "--output yaml", ["run", "--output", "yaml", "ok.lua"], stderr: ["'yaml' is invalid for '--output"]),
        .commandLine(
            "--sim-dialect klingon", ["run", "--simulate", "--sim-dialect", "klingon", "ok.lua"],
            stderr: ["--sim-dialect expects observed or spec"]),
        .commandLine(
            "--sim-rate-limit 10/0s", ["run", "--simulate", "--sim-rate-limit", "10/0s", "ok.lua"],
            stderr: ["--sim-rate-limit: invalid rate limit '10/0s': the window must be longer than 0"]),
        .commandLine(
            "simulate --rate-limit fast", ["simulate", "--rate-limit", "fast"],
            stderr: ["--rate-limit: invalid rate limit 'fast': expected REQUESTS/WINDOW such as 1000/10s, or off"]),
        .commandLine(
            "--sim-phase-duration nan", ["run", "--simulate", "--sim-phase-duration", "nan", "ok.lua"],
            stderr: ["--sim-phase-duration"]),
        .commandLine("an unknown subcommand", ["frobnicate"], stderr: ["Unexpected argument 'frobnicate'"]),
        .commandLine(
            "an unknown option", ["run", "--no-such-flag", "ok.lua"], stderr: ["Unknown option '--no-such-flag'"]),
        .commandLine(
            "a missing runbook", ["run", "--simulate", "missing.lua"],
            stderr: ["cannot open missing.lua: No such file or directory"]),
        BadInputCase(
            name: "a directory as the runbook", folders: ["adir"], arguments: ["run", "--simulate", "adir"], status: 2,
            stderr: ["cannot read adir: Is a directory"]),
        BadInputCase(
            name: "a dangling symbolic link as the runbook", links: ["dangling.lua": "nowhere.lua"],
            arguments: ["run", "--simulate", "dangling.lua"], status: 2, stderr: ["cannot open dangling.lua"]),
        BadInputCase(
            name: "a bytecode file as the runbook",
            binaryFiles: ["compiled.lua": [0x1B, 0x4C, 0x75, 0x61, 0x54, 0x00, 0x19, 0x93]],
            arguments: ["run", "--simulate", "compiled.lua"], status: 2,
            stderr: ["compiled.lua: attempt to load a binary chunk (mode is 't')"]),
        BadInputCase(
            name: "a binary file as the runbook",
            binaryFiles: ["elf.lua": [0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01, 0x00, 0xFF, 0xFE]],
            arguments: ["run", "--simulate", "elf.lua"], status: 2, stderr: ["elf.lua:1: unexpected symbol"]),
        .commandLine(
            "a runbook with a syntax error", ["run", "--simulate", "syntax.lua"],
            stderr: ["syntax.lua:3: unexpected symbol near '='"],
            files: ["syntax.lua": "local x = 1\n\nlocal y = = 2\n"]),
        .commandLine(
            "a journal path that is a directory", ["run", "--simulate", "--journal", "adir", "ok.lua"],
            stderr: ["cannot open journal adir: Is a directory"], folders: ["adir"]),
        .commandLine(
            "a journal path of '.'", ["run", "--simulate", "--journal", ".", "ok.lua"],
            stderr: ["cannot open journal .: Is a directory"]),
        .commandLine(
            "a runbook path of '.'", ["run", "--simulate", "--journal", "j.jsonl", "."],
            stderr: ["ldrun: cannot read .: Is a directory"]),
        .commandLine(
            "a runbook path of './'", ["run", "--simulate", "--journal", "j.jsonl", "./"],
            stderr: ["ldrun: cannot read ./: Is a directory"]),
        .commandLine(
            "simulate --port 99999", ["simulate", "--port", "99999"],
            stderr: ["--port expects a port number from 0 to 65535"]),
        .commandLine(
            "simulate --faults with an unknown route", ["simulate", "--faults", "nonsense"],
            stderr: ["fault 'nonsense': unknown route 'nonsense'"]),
        .commandLine(
            "simulate --faults with status 9999", ["simulate", "--faults", "phase-start:status=9999"],
            stderr: ["status must be an HTTP error status (400-599)"]),
        .commandLine(
            "simulate --faults with count x", ["simulate", "--faults", "release-get:count=x:status=503"],
            stderr: ["count must be a positive integer"]),
        .commandLine(
            "simulate --seed of a missing file", ["simulate", "--seed", "missing.json"],
            stderr: ["cannot read seed file", "missing.json"]),
        .commandLine(
            "simulate --seed of invalid JSON", ["simulate", "--seed", "seed.json"],
            stderr: ["invalid seed: body is not valid JSON"],
            files: ["seed.json": "{\"projects\": [\n"]),
        .commandLine(
            "simulate --seed missing a required field", ["simulate", "--seed", "seed.json"],
            stderr: ["invalid seed: projects[0].environments: required field missing"],
            files: ["seed.json": "{\"projects\": [{\"key\": \"x\"}]}"]),
        .commandLine(
            "simulate --phase-duration forever", ["simulate", "--phase-duration", "forever"],
            stderr: ["invalid duration 'forever'"]),
        .commandLine(
            "completions tcsh", ["completions", "tcsh"], stderr: ["completions expects bash, zsh or fish, not 'tcsh'"]),
        .commandLine(
            "check of a missing file", ["check", "ok.lua", "missing.lua"],
            stderr: ["ldrun check: missing.lua: no such file or folder"]),
        .commandLine("check with no file", ["check"], stderr: ["Missing expected argument '<paths> ...'"]),
        .commandLine(
            "check of a folder without Lua files", ["check", "empty"],
            stderr: ["ldrun check: empty: no *.lua files in the folder"], folders: ["empty"]),
        .commandLine(
            "check --luacheck of a missing program", ["check", "--luacheck", "nowhere/luacheck", "ok.lua"],
            stderr: ["--luacheck nowhere/luacheck: not an executable file"]),
        .commandLine(
            "stubs into a file", ["stubs", "ok.lua"], stderr: ["ldrun stubs: ok.lua exists and is not a folder"]),
    ]
}
