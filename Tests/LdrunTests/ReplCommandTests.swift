import Foundation
import Testing

/// `ldrun repl` end to end, typed on a pseudo-terminal.
@Suite(.serialized, .timeLimit(.minutes(1))) struct ReplCommandTests {
    @Test func entriesShareGlobalsPrintValuesAndContinueUnfinishedInput() async throws {
        let input = """
            total = 40 + 2
            =total
            _ + 1
            local rel = release.create{flag = "dark-mode", pipeline = "fast-track"}
            release.status(release.get("dark-mode"))
            for i = 1, 2 do
              print("line " .. i)
            end
            release.get(nil)
            phase.next(release.get("dark-mode"))._name
            {a = 1}

            """
        let result = try await LdrunProcess.runInTerminal(
            ["repl", "--simulate", "--journal", "/dev/null"], input: input)
        #expect(result.status == 0, "\(result.stdout)")
        let screen = result.stdout.replacingOccurrences(of: "\r\n", with: "\n")
        #expect(screen.contains("ldrun "))
        #expect(screen.contains(" · project demo\nCtrl-D to leave"), "\(screen)")
        #expect(!screen.contains("DRY RUN"))
        for line in ["\n42\n", "\n43\n", "\nnot_started\n", "\nline 1\nline 2\n", "\nTest\n", "\n{a = 1}\n"] {
            #expect(screen.contains(line), "\(line) in \(screen)")
        }
        #expect(screen.contains("release created for dark-mode on pipeline fast-track"))
        #expect(screen.components(separatedBy: "(the server speaks the observed dialect)").count == 2, "\(screen)")
        #expect(screen.contains("repl:1: bad argument #1 to 'release.get' (release or flag key expected, got nil)"))
    }

    /// Tab completes Lua names (never file names); entries that compiled persist in the
    /// history file and come back with the Up arrow in the next session.
    @Test func tabCompletesLuaNamesAndHistoryPersists() async throws {
        let state = try LdrunProcess.scratch(["phase.stuff.txt": "a file Tab must not offer"])
        let environment = ["XDG_STATE_HOME": state.path]
        let first = try await LdrunProcess.runInTerminal(
            ["repl", "--simulate", "--journal", "/dev/null"], environment: environment,
            input: "release.cr\t\nphase.sta\t\t\nanswer = 41\nx = = 1\n")
        #expect(first.status == 0, "\(first.stdout)")
        let screen = first.stdout.replacingOccurrences(of: "\r\n", with: "\n")
        #expect(screen.contains("\n<function>\n"), "release.cr completed to release.create: \(screen)")
        #expect(screen.contains("phase.start phase.state"), "\(screen)")
        #expect(!screen.contains("phase.stuff"), "\(screen)")
        let history = try String(
            contentsOf: state.appendingPathComponent("ldrun/history"), encoding: .utf8)
        #expect(history.contains("release.create"), "\(history)")
        #expect(history.contains("41"), "\(history)")
        #expect(!history.contains("x\\040=\\040="), "an entry that did not compile stays out: \(history)")
        let mode =
            try FileManager.default.attributesOfItem(atPath: state.appendingPathComponent("ldrun/history").path)[
                .posixPermissions] as? Int
        #expect(mode == 0o600)

        let second = try await LdrunProcess.runInTerminal(
            ["repl", "--simulate", "--journal", "/dev/null"], environment: environment,
            input: "\u{1b}[A\nanswer + 1\n")
        let again = second.stdout.replacingOccurrences(of: "\r\n", with: "\n")
        #expect(again.contains("\n42\n"), "the Up arrow brought back answer = 41: \(again)")
    }

    /// Ctrl-C at the prompt drops the line being typed, or the unfinished entry, and never
    /// reaches the next entry (a `sleep` after it completes); Ctrl-C while an entry waits
    /// interrupts that entry only, and the session goes on.
    @Test func ctrlCDropsTheLineAtThePromptAndInterruptsOnlyTheRunningEntry() async throws {
        let terminal = try TerminalSession(["repl", "--simulate", "--journal", "/dev/null"])
        #expect(await terminal.waitFor("Ctrl-D to leave\n> "))
        terminal.type("half = 'typed")
        #expect(await terminal.waitFor("half = 'typed"))
        terminal.type("\u{03}")
        #expect(await terminal.waitFor("^C\n> "))
        terminal.type("for i = 1, 2 do\n")
        #expect(await terminal.waitFor(">> "))
        terminal.type("\u{03}")
        #expect(await terminal.waitFor("^C\n> ", times: 2))
        terminal.type("sleep('1s'); print('slept', half)\n")
        #expect(await terminal.waitFor("slept\tnil\n"), "\(terminal.text)")
        terminal.type("wait_until(function() return false end, {timeout = '1m', every = '50ms'})\n")
        #expect(await terminal.waitFor("every = '50ms'})\n"))
        try await Task.sleep(for: .milliseconds(300))
        terminal.type("\u{03}")
        #expect(await terminal.waitFor("interrupted\n> "), "\(terminal.text)")
        terminal.type("print('still here')\n")
        #expect(await terminal.waitFor("\nstill here\n> "), "\(terminal.text)")
        let status = await terminal.finish()
        #expect(status == 0, "\(terminal.text)")
        #expect(!terminal.text.contains("repl:1: unfinished string"), "the dropped line never ran")
    }

    /// A Ctrl-D typed while an entry runs lands in the terminal's canonical-mode buffer
    /// (as a NUL byte); at the next prompt it still leaves, as it does in bash.
    @Test func aCtrlDTypedAheadLeavesAtTheNextPrompt() async throws {
        let terminal = try TerminalSession(["repl", "--simulate", "--journal", "/dev/null"])
        #expect(await terminal.waitFor("Ctrl-D to leave\n> "))
        terminal.type("sleep('1s'); print('slept')\n")
        #expect(await terminal.waitFor("print('slept')\n"))
        terminal.type("\u{04}")
        let status = await terminal.exitStatus(limit: .seconds(10))
        #expect(status == 0, "\(terminal.text)")
        #expect(terminal.text.contains("slept\n"), "\(terminal.text)")
    }

    /// A task started with `spawn` runs on between prompts; `:tasks` lists it; when it ends
    /// one line says so above the prompt, and the line being typed stays. Ctrl-D with a task
    /// still running stops it.
    @Test func spawnedTasksRunBetweenPrompts() async throws {
        let terminal = try TerminalSession(["repl", "--simulate", "--journal", "/dev/null"])
        #expect(await terminal.waitFor("Ctrl-D to leave\n> "))
        terminal.type("t = spawn(function() sleep('3s') return 6 * 7 end)\n")
        #expect(await terminal.waitFor("end)\n> "))
        terminal.type(":tasks\n")
        #expect(await terminal.waitFor("#2  waiting in sleep  "), "\(terminal.text)")
        #expect(await terminal.waitFor("s\n> "))
        terminal.type("half")
        #expect(await terminal.waitFor("task #2 finished: 42\n> half"), "\(terminal.text)")
        terminal.type(" = 1\n")
        #expect(await terminal.waitFor("half = 1\n> "), "\(terminal.text)")
        terminal.type("half + t:wait()\n")
        #expect(await terminal.waitFor("\n43\n> "), "the line typed before the notice ran: \(terminal.text)")
        terminal.type("x = spawn(sleep, '1h')\n")
        #expect(await terminal.waitFor("'1h')\n> "))
        let status = await terminal.finish()
        #expect(status == 0, "\(terminal.text)")
        #expect(terminal.text.contains("stopping 1 background task\n"), "\(terminal.text)")
    }

    @Test func aDryRunIsMarkedInTheBannerAndThePrompt() async throws {
        let result = try await LdrunProcess.runInTerminal(
            ["repl", "--simulate", "--dry-run", "--journal", "/dev/null"], input: "6 * 7\n")
        #expect(result.status == 0, "\(result.stdout)")
        let screen = result.stdout.replacingOccurrences(of: "\r\n", with: "\n")
        #expect(screen.contains(" · project demo · DRY RUN\n"), "\(screen)")
        #expect(screen.contains("http://127.0.0.1:"), "\(screen)")
        #expect(screen.contains("dry-run> "), "\(screen)")
        #expect(screen.contains("\n42\n"), "\(screen)")
    }
}
