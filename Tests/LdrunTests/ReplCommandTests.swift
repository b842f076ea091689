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
        for line in ["\n42\n", "\n43\n", "\nnot_started\n", "\nline 1\nline 2\n", "\nTest\n", "{\n  \"a\": 1\n}"] {
            #expect(screen.contains(line), "\(line) in \(screen)")
        }
        #expect(screen.contains("release created for dark-mode on pipeline fast-track"))
        #expect(screen.components(separatedBy: "(the server speaks the observed dialect)").count == 2, "\(screen)")
        #expect(screen.contains("repl:1: bad argument #1 to 'release.get' (release or flag key expected, got nil)"))
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
