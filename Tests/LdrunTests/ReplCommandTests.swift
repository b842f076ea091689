import Foundation
import Testing

/// `ldrun repl` end to end, fed from a pipe.
@Suite(.serialized, .timeLimit(.minutes(1))) struct ReplCommandTests {
    @Test func entriesShareGlobalsPrintValuesAndContinueUnfinishedInput() async throws {
        let input = """
            total = 40 + 2
            =total
            local rel = release.create{flag = "dark-mode", pipeline = "fast-track"}
            release.status(release.get("dark-mode"))
            for i = 1, 2 do
              print("line " .. i)
            end
            release.get(nil)
            phase.next(release.get("dark-mode"))._name
            {a = 1}

            """
        let result = try await LdrunProcess.run(["repl", "--simulate", "--journal", "/dev/null"], input: input)
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.first?.hasPrefix("ldrun ") == true)
        #expect(Array(lines.dropFirst().prefix(5)) == ["42", "not_started", "line 1", "line 2", "Test"])
        #expect(result.stdout.contains("{\n  \"a\": 1\n}"))
        #expect(result.stderr.contains("release created for dark-mode on pipeline fast-track"))
        #expect(
            result.stderr.contains("repl:1: bad argument #1 to 'release.get' (release or flag key expected, got nil)"))
    }
}
