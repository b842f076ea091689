import Foundation
import ReleaseSimulator
import Testing

/// Runs one ``BadInputCase`` through the binary and checks what every case promises: the
/// exit status, the place named on stderr, no crash, no token anywhere, a journal of JSON lines.
enum BadInputRunner {
    /// What a crash, a trap or a Swift runtime failure prints.
    static let crashMarkers = [
        "Fatal error", "Segmentation", "Illegal instruction", "Bus error", "Aborted", "Backtrace",
        "Current stack trace", "Crash", "SIGSEGV", "SIGILL", "SIGABRT", "SIGTRAP", "PANIC",
    ]

    /// Exit statuses of a process killed by a signal (SIGILL, SIGTRAP, SIGABRT, SIGBUS, SIGFPE,
    /// SIGKILL, SIGSEGV), as a shell reports them and as `Process` reports an uncaught signal.
    static let signalStatuses: Set<Int32> = [4, 5, 6, 7, 8, 9, 11, 132, 133, 134, 135, 136, 137, 139]

    static func check(_ badInput: BadInputCase) async throws {
        guard let knownIssue = badInput.knownIssue else { return try await checkUnmarked(badInput) }
        await withKnownIssue(Comment(rawValue: knownIssue)) { try await checkUnmarked(badInput) }
    }

    private static func checkUnmarked(_ badInput: BadInputCase) async throws {
        let dir = try LdrunProcess.scratch(badInput.files)
        defer { try? FileManager.default.removeItem(at: dir) }
        for (name, bytes) in badInput.binaryFiles {
            try Data(bytes).write(to: dir.appendingPathComponent(name))
        }
        for (name, target) in badInput.links {
            try FileManager.default.createSymbolicLink(
                atPath: dir.appendingPathComponent(name).path, withDestinationPath: target)
        }
        for name in badInput.folders {
            try FileManager.default.createDirectory(
                at: dir.appendingPathComponent(name), withIntermediateDirectories: true)
        }

        let server = try await BadInputServer.start(badInput.server)
        defer { server.stop() }
        let arguments = badInput.arguments.map { $0.replacingOccurrences(of: "$BASE_URI", with: server.baseURI) }
        let environment = ["XDG_STATE_HOME": dir.path, "NO_COLOR": "1"].merging(badInput.environment) { _, new in new }

        let result = try await ProcessSlots.shared.run {
            try await LdrunProcess.start(arguments, environment: environment, in: dir).finish(limit: badInput.limit)
        }
        let context = "\(badInput.name): status \(result.status)\nstderr: \(result.stderr)\nstdout: \(result.stdout)"

        #expect(result.status == badInput.status, "\(context)")
        if result.status != badInput.status {
            #expect(!signalStatuses.contains(result.status), "killed by a signal? \(context)")
        }
        for expected in badInput.stderr {
            #expect(result.stderr.contains(expected), "expected '\(expected)' on stderr. \(context)")
        }
        for unexpected in badInput.stderrExcludes {
            #expect(!result.stderr.contains(unexpected), "did not expect '\(unexpected)' on stderr. \(context)")
        }
        for unexpected in badInput.stdoutExcludes {
            #expect(!result.stdout.contains(unexpected), "did not expect '\(unexpected)' on stdout. \(context)")
        }
        for marker in crashMarkers {
            #expect(!result.stderr.contains(marker), "crash marker '\(marker)'. \(context)")
        }
        #expect(!result.stdout.contains(BadInputCase.token), "\(context)")
        #expect(!result.stderr.contains(BadInputCase.token), "\(context)")
        try checkFiles(in: dir, context: context)
    }

    /// Every journal (any `*.jsonl` in the scratch directory, the default one included) holds
    /// only JSON objects, one a line, and no file written there holds the token.
    static func checkFiles(in dir: URL, context: String) throws {
        guard let walker = FileManager.default.enumerator(at: dir, includingPropertiesForKeys: [.isRegularFileKey])
        else { return }
        for case let url as URL in walker {
            guard (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true,
                let data = try? Data(contentsOf: url)
            else { continue }
            let text = String(decoding: data, as: UTF8.self)
            #expect(!text.contains(BadInputCase.token), "\(url.lastPathComponent) holds the token. \(context)")
            guard url.pathExtension == "jsonl" else { continue }
            for line in text.split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
                let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
                #expect(object != nil, "\(url.lastPathComponent): not a JSON object: \(line). \(context)")
            }
            #expect(text.isEmpty || text.hasSuffix("\n"), "\(url.lastPathComponent) ends mid-line. \(context)")
        }
    }
}

/// The server a case runs against, started for that case and stopped after it.
struct BadInputServer {
    var baseURI: String
    var stop: @Sendable () -> Void

    static func start(_ kind: BadInputCase.Server?) async throws -> BadInputServer {
        switch kind {
        case nil:
            return BadInputServer(baseURI: "http://127.0.0.1:9", stop: {})
        case .simulator(let faults):
            let simulator = try await SimulatorServer.start(
                SimulatorConfiguration(
                    phaseDuration: .zero, accessToken: BadInputCase.token, faults: try FaultPlan(spec: faults)))
            return BadInputServer(baseURI: simulator.baseURL, stop: { Task { await simulator.stop() } })
        case .simulatorRefusingToken:
            let simulator = try await SimulatorServer.start(SimulatorConfiguration(phaseDuration: .zero))
            return BadInputServer(baseURI: simulator.baseURL, stop: { Task { await simulator.stop() } })
        case .canned(let response):
            let server = try CannedHTTPServer(response: response.bytes)
            return BadInputServer(baseURI: server.baseURI, stop: { server.stop() })
        }
    }
}

/// Bounds how many `ldrun` processes the catalogue runs at once: the cases run in parallel,
/// but the machine has few cores and an in-process simulator needs some of them.
actor ProcessSlots {
    static let shared = ProcessSlots(count: 4)

    private var free: Int
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(count: Int) { free = count }

    func run<T: Sendable>(_ body: @Sendable () async throws -> T) async rethrows -> T {
        if free > 0 {
            free -= 1
        } else {
            await withCheckedContinuation { waiting.append($0) }
        }
        defer { release() }
        return try await body()
    }

    private func release() {
        if waiting.isEmpty { free += 1 } else { waiting.removeFirst().resume() }
    }
}
