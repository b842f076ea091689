import Foundation
import ReleaseSimulator
import Testing

/// `ldrun doctor` against a real simulator over loopback: one line per check, read-only, the
/// token never shown, exit 0 unless a check fails.
@Suite(.timeLimit(.minutes(2))) struct DoctorCommandTests {
    static func lines(_ output: String) -> [String: String] {
        var checks: [String: String] = [:]
        for line in output.split(separator: "\n") {
            let parts = line.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
            guard parts.count == 2 else { continue }
            let rest = parts[1].trimmingCharacters(in: .whitespaces)
            let name = String(rest.prefix { $0 != " " })
            checks[name] = String(parts[0]) + " " + rest.dropFirst(name.count).trimmingCharacters(in: .whitespaces)
        }
        return checks
    }

    @Test(arguments: SimulatorDialect.allCases)
    func everyCheckPassesAgainstTheSimulatorAndTheDialectIsRead(dialect: SimulatorDialect) async throws {
        let token = "api-doctor-\(UUID().uuidString)"
        let simulator = try await SimulatorServer.start(
            SimulatorConfiguration(phaseDuration: .zero, dialect: dialect, accessToken: token))
        defer { Task { await simulator.stop() } }
        let environment = ["LD_ACCESS_TOKEN": token, "LD_BASE_URI": simulator.baseURL, "LD_PROJECT": "demo"]
        let dir = try LdrunProcess.scratch([
            "setup.lua": "phase.start(release.create{flag = 'dark-mode', pipeline = 'standard'})"
        ])
        let setup = try await LdrunProcess.run(
            ["run", "setup.lua", "--journal", "j.jsonl"], environment: environment, in: dir)
        #expect(setup.status == 0, "\(setup.stderr)")
        await simulator.clearRequestLog()

        let result = try await LdrunProcess.run(["doctor"], environment: environment)
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
        let checks = Self.lines(result.stdout)
        for name in ["connection", "token", "project", "beta", "pipelines", "rate-limits", "dialect"] {
            #expect(checks[name]?.hasPrefix("pass ") == true, "\(name): \(result.stdout)")
        }
        #expect(checks["dialect"]?.contains("\(dialect), from the release of 'dark-mode'") == true, "\(result.stdout)")
        #expect(checks["pipelines"]?.contains("standard") == true)
        #expect(checks["clock"] != nil)
        #expect(!result.stdout.contains(token) && !result.stderr.contains(token))
        // Read-only: the doctor sent GETs only.
        let log = await simulator.requestLog()
        #expect(!log.isEmpty && log.allSatisfy { $0.method == "GET" })
    }

    @Test func aRefusedTokenFailsWithoutShowingIt() async throws {
        let simulator = try await SimulatorServer.start(SimulatorConfiguration(phaseDuration: .zero))
        defer { Task { await simulator.stop() } }
        let wrong = "api-wrong-\(UUID().uuidString)"
        let result = try await LdrunProcess.run(
            ["doctor", "--project", "demo"], environment: ["LD_ACCESS_TOKEN": wrong, "LD_BASE_URI": simulator.baseURL])
        #expect(result.status == 1)
        let checks = Self.lines(result.stdout)
        #expect(checks["connection"]?.hasPrefix("pass ") == true, "\(result.stdout)")
        #expect(checks["token"]?.hasPrefix("fail ") == true, "\(result.stdout)")
        #expect(checks["token"]?.contains("401") == true)
        #expect(!result.stdout.contains(wrong) && !result.stderr.contains(wrong))
    }

    @Test func anUnknownProjectFails() async throws {
        let simulator = try await SimulatorServer.start(SimulatorConfiguration(phaseDuration: .zero))
        defer { Task { await simulator.stop() } }
        let result = try await LdrunProcess.run(
            ["doctor", "--project", "nope", "--json"],
            environment: ["LD_ACCESS_TOKEN": simulator.accessToken, "LD_BASE_URI": simulator.baseURL])
        #expect(result.status == 1)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        let objects = lines.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: String] }
        #expect(objects.count == lines.count && !lines.isEmpty, "every line is a JSON object: \(result.stdout)")
        let project = objects.first { $0["check"] == "project" }
        #expect(project?["result"] == "fail")
        #expect(project?["detail"]?.contains("'nope' not found") == true)
    }

    @Test func theBuiltInSimulatorAnswersAndANewAccountTellsNoDialectYet() async throws {
        let result = try await LdrunProcess.run(["doctor", "--simulate", "--sim-dialect", "spec"])
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
        let checks = Self.lines(result.stdout)
        #expect(checks["token"]?.hasPrefix("pass ") == true, "\(result.stdout)")
        #expect(checks["dialect"]?.hasPrefix("warn ") == true, "\(result.stdout)")
    }

    /// `--sim-rate-limit` reaches the in-process simulator: its budget shows in the
    /// rate-limit headers, and `off` sends none.
    @Test func theBuiltInSimulatorsRateLimitCanBeLifted() async throws {
        let limited = try await LdrunProcess.run(["doctor", "--simulate", "--sim-rate-limit", "500/10s"])
        #expect(limited.status == 0, "\(limited.stdout)\n\(limited.stderr)")
        #expect(Self.lines(limited.stdout)["rate-limits"]?.hasPrefix("pass ") == true, "\(limited.stdout)")
        let off = try await LdrunProcess.run(["doctor", "--simulate", "--sim-rate-limit", "off"])
        #expect(off.status == 0, "\(off.stdout)\n\(off.stderr)")
        #expect(Self.lines(off.stdout)["rate-limits"]?.hasPrefix("warn ") == true, "\(off.stdout)")
    }

    /// No token is a usage error (2); no project and an unreachable base URI are failed
    /// checks (1).
    @Test func configurationProblemsAndAnUnreachableServer() async throws {
        let noToken = try await LdrunProcess.run(
            ["doctor", "--project", "demo"], environment: ["LD_ACCESS_TOKEN": "", "LD_BASE_URI": "http://127.0.0.1:1"])
        #expect(noToken.status == 2)
        #expect(noToken.stderr.contains("no access token"))
        let noProject = try await LdrunProcess.run(
            ["doctor", "--project", ""], environment: ["LD_ACCESS_TOKEN": "t", "LD_PROJECT": ""])
        #expect(noProject.status == 1)
        #expect(Self.lines(noProject.stdout)["project"]?.contains("no project given") == true, "\(noProject.stdout)")
        let unreachable = try await LdrunProcess.run(
            ["doctor", "--project", "demo"], environment: ["LD_ACCESS_TOKEN": "t", "LD_BASE_URI": "http://127.0.0.1:1"])
        #expect(unreachable.status == 1)
        #expect(Self.lines(unreachable.stdout)["connection"]?.hasPrefix("fail ") == true, "\(unreachable.stdout)")
    }
}
