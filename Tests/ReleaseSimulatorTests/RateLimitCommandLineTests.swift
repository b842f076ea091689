import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Testing

/// `ldrun simulate --rate-limit`, through the built `ldrun` binary and over loopback;
/// skipped when the binary has not been built.
@Suite(.serialized, .timeLimit(.minutes(1)))
struct RateLimitCommandLineTests {
    /// Serves `ldrun simulate` with `arguments` while `body` sends requests to its base URI.
    static func serve(_ arguments: [String], _ body: (String) async throws -> Void) async throws {
        let process = Process()
        process.executableURL = DialectCommandLineTests.binary
        process.arguments = ["simulate", "--port", "0"] + arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        defer {
            kill(process.processIdentifier, SIGINT)
            process.waitUntilExit()
        }
        var text = ""
        while !text.contains("\n") {
            let chunk = out.fileHandleForReading.availableData
            guard !chunk.isEmpty else { break }
            text += String(decoding: chunk, as: UTF8.self)
        }
        let line = try #require(text.split(separator: "\n").first, "\(text)")
        let base = try #require(
            line.split(separator: " ").first { $0.hasPrefix("LD_BASE_URI=") }?.dropFirst("LD_BASE_URI=".count),
            "\(line)")
        try await body(String(base))
    }

    static func pipelines(_ base: String) async throws -> HTTPClientResponse {
        var request = HTTPClientRequest(url: base + "/api/v2/projects/demo/release-pipelines")
        request.headers.add(name: "Authorization", value: "sim-demo-token")
        request.headers.add(name: "LD-API-Version", value: "beta")
        return try await HTTPClient.shared.execute(request, timeout: .seconds(10))
    }

    @Test("--rate-limit sets the budget the simulator enforces", .enabled(if: DialectCommandLineTests.built))
    func enforced() async throws {
        try await Self.serve(["--rate-limit", "2/60s"]) { base in
            var statuses: [UInt] = []
            var remaining: [String?] = []
            for _ in 0..<3 {
                let response = try await Self.pipelines(base)
                statuses.append(response.status.code)
                remaining.append(response.headers.first(name: "X-Ratelimit-Global-Remaining"))
            }
            #expect(statuses == [200, 200, 429])
            #expect(remaining == ["1", "0", "0"])
        }
    }

    @Test("--rate-limit off lifts the budget and its headers", .enabled(if: DialectCommandLineTests.built))
    func lifted() async throws {
        try await Self.serve(["--rate-limit", "off"]) { base in
            for _ in 0..<5 {
                let response = try await Self.pipelines(base)
                #expect(response.status == .ok)
                #expect(response.headers.first(name: "X-Ratelimit-Global-Remaining") == nil)
            }
        }
    }
}
