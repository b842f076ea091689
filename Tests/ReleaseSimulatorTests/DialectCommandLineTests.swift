import Foundation
import Testing

/// `--dialect` (ldrun simulate) and `--sim-dialect` (run/repl --simulate), through the
/// built `ldrun` binary; skipped when it has not been built.
@Suite(.serialized, .timeLimit(.minutes(1)))
struct DialectCommandLineTests {
    static let binary = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../.build/debug/ldrun").standardized

    static var built: Bool { FileManager.default.isExecutableFile(atPath: binary.path) }

    /// Runs ldrun to its end; `interruptAfterOutput` sends SIGINT once it printed something.
    static func run(_ arguments: [String], interruptAfterOutput: Bool = false) async throws
        -> (status: Int32, stdout: String, stderr: String)
    {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                var stdout = ""
                if interruptAfterOutput {
                    stdout = String(decoding: out.fileHandleForReading.availableData, as: UTF8.self)
                    kill(process.processIdentifier, SIGINT)
                    // Never hang the suite: a process still running after ten seconds is killed.
                    DispatchQueue.global().asyncAfter(deadline: .now() + 10) {
                        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
                    }
                }
                stdout += String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                process.waitUntilExit()
                continuation.resume(returning: (process.terminationStatus, stdout, stderr))
            }
        }
    }

    @Test(
        "a bad dialect is a usage error naming the option",
        .enabled(if: built),
        arguments: [
            (["simulate", "--dialect", "real"], "--dialect"),
            (["run", "--simulate", "--sim-dialect", "Spec2", "x.lua"], "--sim-dialect"),
            (["repl", "--simulate", "--sim-dialect", "real"], "--sim-dialect"),
        ]
    )
    func badValue(arguments: [String], option: String) async throws {
        let result = try await Self.run(arguments)
        #expect(result.status == 2)
        #expect(result.stderr.contains(option), "\(result.stderr)")
        #expect(result.stderr.contains("observed") && result.stderr.contains("spec"), "\(result.stderr)")
    }

    @Test(
        "ldrun simulate prints its dialect with the environment", .enabled(if: built),
        arguments: [([], "observed"), (["--dialect", "spec"], "spec"), (["--dialect", "observed"], "observed")]
    )
    func printsDialect(extra: [String], dialect: String) async throws {
        let result = try await Self.run(["simulate", "--port", "0"] + extra, interruptAfterOutput: true)
        #expect(result.stdout.hasPrefix("export LD_BASE_URI=http://127.0.0.1:"), "\(result.stdout)")
        #expect(result.stdout.contains("(dialect \(dialect))"), "\(result.stdout)")
        #expect(result.status == 0)
    }
}
