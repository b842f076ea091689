import Foundation
import Testing

/// SIGKILL at any point of a run that writes all the time never leaves a half-written
/// journal line: every line is a whole JSON object, and the file ends with a newline.
@Suite(.serialized, .timeLimit(.minutes(3))) struct JournalKillTests {
    /// A small seeded generator, so the kill points are random but the same on every run.
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    @Test func aKillAtRandomPointsLeavesOnlyWholeLines() async throws {
        let runbook = """
            print("writing") io.stdout:flush()
            local note = string.rep("n", 3000)
            while true do
              local rel = release.create{flag = "dark-mode", pipeline = "standard"}
              -- A refused patch: a longer record, with the server's message.
              pcall(release.patch, {flag = "dark-mode", ops = {{op = "replace", path = "/phases/" .. note, value = true}}})
              release.delete(rel)
            end
            """
        var random = SplitMix(state: 20_261_201)
        var linesSeen = 0
        for round in 0..<8 {
            let dir = try LdrunProcess.scratch(["writer.lua": runbook])
            let running = try LdrunProcess.start(
                ["run", "--simulate", "--journal", "journal.jsonl", "writer.lua"], in: dir)
            #expect(await running.firstOutput() == "writing\n")
            try await Task.sleep(for: .milliseconds(Int.random(in: 0...400, using: &random)))
            kill(running.process.processIdentifier, SIGKILL)
            let result = await running.finish()
            #expect(result.status == SIGKILL, "round \(round): \(result.stderr)")
            let path = dir.appendingPathComponent("journal.jsonl").path
            let data = FileManager.default.contents(atPath: path) ?? Data()
            if data.isEmpty { continue }
            #expect(data.last == UInt8(ascii: "\n"), "round \(round): the journal ends mid-line")
            for line in data.split(separator: UInt8(ascii: "\n")) {
                let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any]
                #expect(object?["operation"] is String, "round \(round): \(String(decoding: line, as: UTF8.self))")
                linesSeen += 1
            }
        }
        #expect(linesSeen > 0, "no kill landed after a write")
    }
}
