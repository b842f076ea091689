import Foundation
import Testing

/// The bounded fault soak: `scripts/soak` with a few flags, a fixed random seed and faults
/// dense enough that every kind hits, including dropped phase starts before and after the
/// server applied them. The script's own checks must pass, and the test recounts the
/// essential ones from the files it kept (the simulator's request log and the journal), so
/// a mistake in the checking runbook cannot hide a duplicate start.
@Suite(.serialized, .timeLimit(.minutes(3))) struct FaultSoakTests {
    static let flags = 16
    static let phasesPerFlag = 3
    /// Deterministic drops of the first phase starts and release creation, then random faults.
    /// The random ones that use up a retry (503, drops) hit 9% of requests: five in a row,
    /// which exhaust the client's attempts, then happen about once in a thousand runs; at
    /// 18% they did in a few runs in a hundred (which order the tasks' requests reach the
    /// server in, and so which of them draw a fault, varies from run to run).
    static let faults = [
        "any:p=0.2:latency=20ms",
        "phase-start:count=2:drop=after",
        "phase-start:count=1:drop=before",
        "release-create:count=1:drop=after",
        "any:p=0.05:status=503",
        "any:p=0.06:retry-after=1",
        "any:p=0.02:drop=before",
        "any:p=0.02:drop=after",
    ].joined(separator: ";")

    static var repository: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..").standardized
    }

    /// Runs the soak once and returns its output and the folder of the run's files.
    static func soak() async throws -> (result: LdrunProcess.Result, run: URL) {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("ldrun-soak-\(UUID().uuidString)")
        let running = try LdrunProcess.start(
            [
                "--flags", "\(flags)", "--seed", "42", "--runs", "1", "--limit", "8", "--phase-duration", "100ms",
                "--faults", faults, "--work", work.path,
            ],
            environment: ["LDRUN": LdrunProcess.executable.path], in: repository,
            program: repository.appendingPathComponent("scripts/soak"))
        let result = await running.finish(limit: .seconds(150))
        return (result, work.appendingPathComponent("run-1"))
    }

    static func jsonObject(at url: URL) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: url))
        return try #require(object as? [String: Any], "\(url.lastPathComponent) is not a JSON object")
    }

    @Test func everyPhaseStartsExactlyOnceAndEveryFlagCompletesUnderFaults() async throws {
        let (result, run) = try await Self.soak()
        defer { try? FileManager.default.removeItem(at: run.deletingLastPathComponent()) }
        #expect(result.status == 0, "soak failed:\n\(result.stdout)\n\(result.stderr)")
        #expect(result.stdout.contains("checks: exit ok, exactly-once ok, complete ok, journal ok, no-429-storm ok"))
        #expect(result.stdout.contains("soak: every check passed"))

        let summary = try Self.jsonObject(at: run.appendingPathComponent("summary.json"))
        #expect(summary["duplicates"] as? Int == 0)
        #expect(summary["missing"] as? Int == 0)
        #expect(summary["complete"] as? Int == Self.flags)
        #expect((summary["failures"] as? [Any])?.isEmpty == true, "\(summary["failures"] ?? "")")
        let faults = try #require(summary["faults"] as? [String: Int])
        for kind in ["status=503", "retry-after=1", "drop=before", "drop=after", "latency"] {
            #expect((faults[kind] ?? 0) > 0, "no \(kind) fault was injected: \(faults)")
        }

        // Recounted from the request log: the phase starts the server applied.
        let log = try #require(
            Self.jsonObject(at: run.appendingPathComponent("requests.json"))["items"] as? [[String: Any]])
        let applied = log.filter {
            $0["route"] as? String == "phase-start" && $0["processed"] as? Bool == true
                && (200..<300).contains($0["status"] as? Int ?? 0)
        }
        let perPhase = Dictionary(grouping: applied, by: { $0["path"] as? String ?? "" }).mapValues(\.count)
        #expect(perPhase.count == Self.flags * Self.phasesPerFlag)
        #expect(perPhase.values.allSatisfy { $0 == 1 }, "duplicate starts: \(perPhase.filter { $0.value > 1 })")
        let droppedAfterApplying = log.filter {
            $0["route"] as? String == "phase-start" && ($0["fault"] as? String ?? "").contains("drop=after")
                && $0["processed"] as? Bool == true
        }
        #expect(!droppedAfterApplying.isEmpty, "no phase start was applied and then dropped")

        // The journal: every line JSON, one `ok` start per phase, never the token.
        let journal = try String(contentsOf: run.appendingPathComponent("journal.jsonl"), encoding: .utf8)
        #expect(journal.hasSuffix("\n"))
        let records = try journal.split(separator: "\n").map { line in
            try #require(
                try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "not JSON: \(line)")
        }
        let starts = records.filter { $0["operation"] as? String == "phase.start" && $0["outcome"] as? String == "ok" }
        #expect(starts.count == Self.flags * Self.phasesPerFlag)

        // The simulator printed the run's own token (its first line); nothing else shows it.
        let announced = try String(contentsOf: run.appendingPathComponent("simulator.out"), encoding: .utf8)
        let token = try #require(
            announced.components(separatedBy: "LD_ACCESS_TOKEN=").last?.split(separator: "\n").first)
        let output = try String(contentsOf: run.appendingPathComponent("output.txt"), encoding: .utf8)
        for (name, text) in [
            ("journal", journal), ("run output", output), ("soak output", result.stdout + result.stderr),
        ] {
            #expect(!text.contains(token), "the token is in the \(name)")
        }

        // The last record ends the run: it finished.
        #expect(records.last?["operation"] as? String == "run")
        #expect(records.last?["outcome"] as? String == "done")
    }
}
