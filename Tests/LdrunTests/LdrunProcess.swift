import Foundation

/// Runs the built `ldrun` binary and captures what it printed.
struct LdrunProcess {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The `ldrun` executable next to the test bundle.
    static var executable: URL {
        let candidates = [Bundle.main.bundleURL] + Bundle.allBundles.map { $0.bundleURL.deletingLastPathComponent() }
        for directory in candidates {
            let url = directory.appendingPathComponent("ldrun")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../.build/debug/ldrun").standardized
    }

    /// Runs `ldrun` to completion without blocking a Swift concurrency thread (an
    /// in-process simulator the child talks to needs those threads to answer).
    static func run(
        _ arguments: [String],
        environment: [String: String] = [:],
        in directory: URL? = nil,
        input: String? = nil
    ) async throws -> Result {
        let running = try start(arguments, environment: environment, in: directory, input: input)
        return await running.finish()
    }

    /// Starts `ldrun` (or another program) and returns at once.
    static func start(
        _ arguments: [String], environment: [String: String] = [:], in directory: URL? = nil, input: String? = nil,
        program: URL = executable
    ) throws -> Running {
        let process = Process()
        process.executableURL = program
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        process.environment = env
        if let directory { process.currentDirectoryURL = directory }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let stdin = Pipe()
        process.standardInput = input == nil ? FileHandle.nullDevice : stdin
        let exited = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in exited.signal() }
        try process.run()
        if let input {
            stdin.fileHandleForWriting.write(Data(input.utf8))
            try stdin.fileHandleForWriting.close()
        }
        return Running(process: process, stdout: out, stderr: err, exited: exited)
    }

    /// A child process whose output is collected on background threads.
    final class Running: @unchecked Sendable {
        let process: Process
        private let stdout: Pipe
        private let stderr: Pipe
        private let exited: DispatchSemaphore

        init(process: Process, stdout: Pipe, stderr: Pipe, exited: DispatchSemaphore) {
            self.process = process
            self.stdout = stdout
            self.stderr = stderr
            self.exited = exited
        }

        /// Waits (off the concurrency pool) for the first output on stdout.
        func firstOutput() async -> String {
            await withCheckedContinuation { continuation in
                DispatchQueue.global().async {
                    continuation.resume(
                        returning: String(decoding: self.stdout.fileHandleForReading.availableData, as: UTF8.self))
                }
            }
        }

        /// Waits for the process to exit and returns everything it printed. A child still
        /// running after `limit` is killed (SIGKILL, status 9), so a hang fails its test
        /// instead of holding the suite.
        func finish(limit: Duration = .seconds(90)) async -> Result {
            let process = self.process
            let (seconds, attoseconds) = limit.components
            DispatchQueue.global().asyncAfter(
                deadline: .now() + .seconds(Int(seconds)) + .nanoseconds(Int(attoseconds / 1_000_000_000))
            ) {
                if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            }
            return await withCheckedContinuation { continuation in
                DispatchQueue.global().async {
                    let out = self.stdout.fileHandleForReading.readDataToEndOfFile()
                    let err = self.stderr.fileHandleForReading.readDataToEndOfFile()
                    self.exited.wait()
                    continuation.resume(
                        returning: Result(
                            status: self.process.terminationStatus,
                            stdout: String(decoding: out, as: UTF8.self),
                            stderr: String(decoding: err, as: UTF8.self)))
                }
            }
        }
    }

    /// Runs `ldrun` on a pseudo-terminal (through util-linux `script`), typing `input`; the
    /// result's stdout is the terminal's screen output (with `\r\n` line ends and echo).
    static func runInTerminal(
        _ arguments: [String], environment: [String: String] = [:], input: String
    ) async throws -> Result {
        let running = try start(
            scriptArguments(arguments), environment: environment, input: input,
            program: URL(fileURLWithPath: "/usr/bin/script"))
        return await running.finish()
    }

    /// The arguments of util-linux `script` that run `ldrun arguments` on a pseudo-terminal.
    /// `script` runs the command through `$SHELL -c`; `exec` makes ldrun the terminal's
    /// foreground process itself, so a Ctrl-C cannot end a shell that waits for it (dash,
    /// the usual /bin/sh, does not exec a lone command by itself).
    static func scriptArguments(_ arguments: [String]) -> [String] {
        let quoted = ([executable.path] + arguments).map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }
        return ["-qec", "exec " + quoted.joined(separator: " "), "/dev/null"]
    }

    /// Runs a program other than `ldrun` (an executable script) to completion.
    static func runProgram(
        _ program: URL, _ arguments: [String] = [], environment: [String: String] = [:], in directory: URL? = nil
    ) async throws -> Result {
        try await start(arguments, environment: environment, in: directory, program: program).finish()
    }

    /// A scratch directory holding the given files.
    static func scratch(_ files: [String: String]) throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ldrun-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for (name, contents) in files {
            let file = directory.appendingPathComponent(name)
            try FileManager.default.createDirectory(
                at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try contents.write(to: file, atomically: true, encoding: .utf8)
        }
        return directory
    }
}
