import Foundation
import Synchronization

/// `ldrun` on a pseudo-terminal (util-linux `script`), typed at step by step: each step
/// waits until the screen shows some text, then types. Keys that act at once (Ctrl-C) must
/// reach the program while it waits at its prompt, not before it started.
final class TerminalSession: @unchecked Sendable {
    private let process = Process()
    private let input = Pipe()
    private let output = Pipe()
    private let screen = Screen()

    /// The bytes shown so far, appended to from the output's reading thread.
    private final class Screen: Sendable {
        let bytes = Mutex(Data())
    }

    init(_ arguments: [String], environment: [String: String] = [:]) throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        process.arguments = LdrunProcess.scriptArguments(arguments)
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        process.environment = env
        process.standardInput = input
        process.standardOutput = output
        process.standardError = output
        let screen = screen
        output.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            screen.bytes.withLock { $0.append(data) }
        }
        try process.run()
    }

    /// What the terminal has shown so far, with `\r\n` as `\n`.
    var text: String {
        String(decoding: screen.bytes.withLock { $0 }, as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n")
    }

    /// Waits until the screen shows `expected` `times` times (at most `limit`); false if it
    /// never does.
    func waitFor(_ expected: String, times: Int = 1, limit: Duration = .seconds(30)) async -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now + limit
        while clock.now < deadline {
            if text.components(separatedBy: expected).count - 1 >= times { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return false
    }

    func type(_ keys: String) {
        input.fileHandleForWriting.write(Data(keys.utf8))
    }

    /// Ends the session with Ctrl-D and returns the exit status. Call it while the program
    /// waits at its prompt, unless the test is about a Ctrl-D typed ahead.
    func finish() async -> Int32 {
        type("\u{04}")
        return await exitStatus()
    }

    /// Waits for the program to leave by itself; after `limit`, closes the terminal and
    /// ends it. Returns its exit status.
    func exitStatus(limit: Duration = .seconds(30)) async -> Int32 {
        let clock = ContinuousClock()
        let deadline = clock.now + limit
        while process.isRunning && clock.now < deadline { try? await Task.sleep(for: .milliseconds(20)) }
        try? input.fileHandleForWriting.close()
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        output.fileHandleForReading.readabilityHandler = nil
        return process.terminationStatus
    }
}
