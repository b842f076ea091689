import Foundation
import Testing

/// Through the binary, where the exit status matters: `os.exit`, interrupting a busy loop,
/// and a second SIGTERM.
@Suite(.serialized, .timeLimit(.minutes(2))) struct SandboxCommandTests {
    @Test(arguments: [
        ("os.exit(3)", Int32(3)), ("os.exit(true)", 0), ("os.exit(false)", 1), ("os.exit()", 0),
        ("pcall(os.exit, 4) while true do end", 4),
    ])
    func osExitExitsWithItsStatusAndTheJournalIsComplete(source: String, status: Int32) async throws {
        let dir = try LdrunProcess.scratch([
            "exit.lua": "release.create{flag = 'dark-mode', pipeline = 'fast-track'}\n\(source)\nprint('after')\n"
        ])
        let result = try await LdrunProcess.run(["run", "--simulate", "--journal", "j.jsonl", "exit.lua"], in: dir)
        #expect(result.status == status, "\(result.stderr)")
        #expect(!result.stdout.contains("after"))
        let journal = try String(contentsOf: dir.appendingPathComponent("j.jsonl"), encoding: .utf8)
        let lines = journal.split(separator: "\n")
        #expect(lines.count == 2, "\(journal)")
        #expect(lines.first?.contains(#""operation":"release.create""#) == true)
        #expect(lines.last?.contains(#""outcome":"exited""#) == true)
        #expect(lines.last?.contains(#""exit_status":\#(status)"#) == true)
    }

    @Test func interruptingABusyLoopRecordsTheInterruption() async throws {
        let dir = try LdrunProcess.scratch(["busy.lua": "print('looping') io.stdout:flush()\nwhile true do end\n"])
        let running = try LdrunProcess.start(["run", "--simulate", "--journal", "j.jsonl", "busy.lua"], in: dir)
        #expect(await running.firstOutput() == "looping\n")
        kill(running.process.processIdentifier, SIGINT)
        let result = await running.finish()
        #expect(result.status == 130, "\(result.stderr)")
        let journal = try String(contentsOf: dir.appendingPathComponent("j.jsonl"), encoding: .utf8)
        #expect(journal.contains(#""operation":"run","outcome":"interrupted""#), "\(journal)")
    }

    @Test func aSecondSigtermExitsAtOnce() async throws {
        // A blocking C call: the first SIGTERM cannot stop it, the second ends the process.
        let dir = try LdrunProcess.scratch([
            "block.lua": "print('blocked') io.stdout:flush()\nos.execute('sleep 3 >/dev/null 2>&1')\n"
        ])
        let running = try LdrunProcess.start(["run", "--simulate", "--journal", "j.jsonl", "block.lua"], in: dir)
        #expect(await running.firstOutput() == "blocked\n")
        kill(running.process.processIdentifier, SIGTERM)
        try await Task.sleep(for: .milliseconds(300))  // two signals sent at once may arrive as one
        kill(running.process.processIdentifier, SIGTERM)
        let result = await running.finish()
        #expect(result.status == 130, "\(result.stderr)")
        #expect(result.stderr.contains("interrupted again, exiting now"), "\(result.stderr)")
    }
}
