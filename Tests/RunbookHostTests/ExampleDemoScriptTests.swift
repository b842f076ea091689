import Foundation
import Testing

/// `scripts/demo`, as a new user runs it (minus the build, which `scripts/test` has done):
/// the built `ldrun` releases new-checkout through every phase of the in-process
/// simulator, approving production through it.
@Suite("scripts/demo")
struct ExampleDemoScriptTests {
    /// The `ldrun` executable built next to the test bundle.
    static var ldrun: URL? {
        let candidates = [Bundle.main.bundleURL] + Bundle.allBundles.map { $0.bundleURL.deletingLastPathComponent() }
        for directory in candidates {
            let url = directory.appendingPathComponent("ldrun")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        let fallback = LibraryHarness.repository.appendingPathComponent(".build/debug/ldrun")
        return FileManager.default.isExecutableFile(atPath: fallback.path) ? fallback : nil
    }

    @Test(
        "releases new-checkout through all phases, approval and all", .timeLimit(.minutes(1)),
        arguments: ["observed", "spec"])
    func demo(dialect: String) throws {
        let ldrun = try #require(Self.ldrun, "build ldrun first (swift build)")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [
            LibraryHarness.repository.appendingPathComponent("scripts/demo").path,
            "--sim-phase-duration", "100ms", "--sim-dialect", dialect,
            "--journal",
            FileManager.default.temporaryDirectory.appendingPathComponent("ldrun-demo-\(UUID()).jsonl").path,
        ]
        var environment = ProcessInfo.processInfo.environment
        environment["DEMO_SKIP_BUILD"] = "1"
        environment["LDRUN"] = ldrun.path
        process.environment = environment
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()

        #expect(process.terminationStatus == 0, "\(stderr)")
        #expect(stdout.contains("new-checkout on pipeline 'standard': complete"), "\(stdout)")
        // A real account completes a phase when the next one starts; the last stays rolled out.
        let states = ["complete", "complete", dialect == "spec" ? "complete" : "rolled_out"]
        for (phase, state) in zip(["Testing", "Staging", "Production"], states) {
            let row = stdout.split(separator: "\n").first { $0.hasPrefix(phase + " ") }
            #expect(row?.contains(" \(state)") == true, "\(stdout)")
        }
        #expect(stderr.contains("simulator: approving phase 'Production'"), "\(stderr)")
        #expect(stderr.contains("? yes (--yes)"), "the production gate is asked and answered: \(stderr)")
    }
}
