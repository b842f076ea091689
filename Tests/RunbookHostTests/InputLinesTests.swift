import Foundation
import Synchronization
import Testing

@testable import RunbookHost

/// One reader of standard input at a time, and reads that a cancel ends at once without
/// consuming anything, so a `confirm` interrupted by Ctrl-C leaves no reader behind.
@Suite(.timeLimit(.minutes(1))) struct InputLinesTests {
    /// A pipe whose read end feeds an `InputLines`. Each end is closed exactly once: a
    /// second close could close a descriptor another test has opened since (a socket).
    final class Feed: Sendable {
        let lines: InputLines
        let readEnd: Int32
        private let writeEnd: Mutex<Int32?>

        init() throws {
            var ends: [Int32] = [0, 0]
            guard pipe(&ends) == 0 else { throw Failure("pipe failed") }
            readEnd = ends[0]
            writeEnd = Mutex(ends[1])
            lines = InputLines(descriptor: readEnd)
        }

        func send(_ text: String) {
            let bytes = Array(text.utf8)
            writeEnd.withLock { end in
                guard let end else { return }
                _ = bytes.withUnsafeBytes { write(end, $0.baseAddress, $0.count) }
            }
        }

        /// Closes the write end: the reader sees the end of the input.
        func end() {
            writeEnd.withLock { end in
                if let open = end { close(open) }
                end = nil
            }
        }

        deinit {
            end()
            close(readEnd)
        }
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    @Test func linesComeInOrderAndTheLastNeedsNoNewline() async throws {
        let feed = try Feed()
        feed.send("yes\nno\r\nmaybe")
        feed.end()
        #expect(await feed.lines.readLine() == "yes")
        #expect(await feed.lines.readLine() == "no\r")
        #expect(await feed.lines.readLine() == "maybe")
        #expect(await feed.lines.readLine() == nil)
    }

    @Test func aCancelledReadEndsAtOnceAndConsumesNothing() async throws {
        let feed = try Feed()
        let waiting = Task { await feed.lines.readLine() }
        // The read is blocked: nothing has been sent. Cancelling ends it without input.
        try await Task.sleep(for: .milliseconds(50))
        waiting.cancel()
        #expect(await waiting.value == nil)
        feed.send("after\n")
        #expect(await feed.lines.readLine() == "after")
    }

    @Test func aReadInACancelledTaskReadsNothing() async throws {
        let feed = try Feed()
        feed.send("kept\n")
        let cancelled = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return await feed.lines.readLine()
        }
        #expect(await cancelled.value == nil)
        #expect(await feed.lines.readLine() == "kept")
    }

    @Test(arguments: [("y", true), ("YES", true), (" yes ", true), ("n", false), ("", false), ("yep", false)])
    func confirmReadsYesOrNo(answer: String, expected: Bool) async throws {
        let feed = try Feed()
        feed.send(answer + "\n")
        let devNull = open("/dev/null", O_WRONLY)
        defer { close(devNull) }
        #expect(await TerminalPrompt.ask("go?", reading: feed.lines, promptingOn: devNull) == expected)
    }

    /// `confirm` waiting for an answer when the run is interrupted: the run ends promptly,
    /// the question counts as unanswered, and the next reader gets the next line.
    @Test func anInterruptedConfirmLeavesNoReaderBehind() async throws {
        let harness = try await HostHarness.start()
        defer { Task { await harness.stop() } }
        let feed = try Feed()
        let devNull = open("/dev/null", O_WRONLY)
        defer { close(devNull) }
        let lines = feed.lines
        let answered = Mutex(0)
        var configuration = harness.configuration
        configuration.confirmation = .ask { question in
            let answer = await TerminalPrompt.ask(question, reading: lines, promptingOn: devNull)
            answered.withLock { $0 += 1 }
            return answer
        }
        let host = HostHarness.interruptibleHost(configuration, reason: "operator pressed Ctrl-C")
        let report = await host.run(
            source: """
                spawn(function() sleep("50ms"); test.interrupt() end)
                confirm("start Production?")
                """,
            name: "confirm.lua")
        guard case .interrupted = report.outcome else {
            Issue.record("expected an interrupted run, got \(report.outcome)")
            return
        }
        // The run waits for interrupted work (up to 2 s); the prompt's read ended with it.
        #expect(answered.withLock { $0 } == 1)
        feed.send("print('next entry')\n")
        #expect(await lines.readLine() == "print('next entry')")
    }
}

/// Folders of paths, on the text (Foundation's `deletingLastPathComponent` traps on `.`).
@Suite struct FilePathsTests {
    @Test(arguments: [
        (".", ""), ("./", ""), ("promote.lua", ""), ("a/b.lua", "a"), ("/b.lua", "/"), ("/", "/"),
        ("a//b", "a"), ("a/b/", "a"), ("./x.jsonl", "."), ("", ""), ("../up/x", "../up"),
    ])
    func folders(path: String, folder: String) {
        #expect(FilePaths.folder(of: path) == folder)
    }
}
