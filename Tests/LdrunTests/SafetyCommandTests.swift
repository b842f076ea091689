import Foundation
import Testing

/// Bad numbers on the command line are usage errors naming the option, and a runbook that
/// exhausts its memory limit exits 1 with Lua's error, never a crash.
@Suite(.serialized, .timeLimit(.minutes(2))) struct SafetyCommandTests {
    @Test(arguments: [
        (["run", "--timeout", "1e300", "ok.lua"], "--timeout"),
        (["run", "--timeout", "inf", "ok.lua"], "--timeout"),
        (["run", "--timeout", "nan", "ok.lua"], "--timeout"),
        (["run", "--timeout", "1000000000000000h", "ok.lua"], "--timeout"),
        (["run", "--memory-limit", "lots", "ok.lua"], "--memory-limit"),
        (["run", "--memory-limit", "1e300", "ok.lua"], "--memory-limit"),
        (["run", "--memory-limit", "1000", "ok.lua"], "--memory-limit"),
        (["repl", "--memory-limit", "99999999PiB"], "--memory-limit"),
        (["run", "-a", "=v", "ok.lua"], "-a"),
        (["run", "--lib", "no-such-folder", "ok.lua"], "--lib"),
        (["run", "--simulate", "--sim-phase-duration", "1e300", "ok.lua"], "--sim-phase-duration"),
        (["run", "--simulate", "--sim-phase-duration", "inf", "ok.lua"], "--sim-phase-duration"),
        (["run", "--base-uri", "", "--access-token", "t", "--project", "p", "ok.lua"], "--base-uri"),
        (["run", "--base-uri", " ", "--access-token", "t", "--project", "p", "ok.lua"], "--base-uri"),
        (["repl", "--base-uri", "", "--access-token", "t"], "--base-uri"),
        (["simulate", "--port", "99999"], "--port"),
        (["simulate", "--port", "-1"], "--port"),
    ])
    func outOfRangeOptionsAreUsageErrors(arguments: [String], option: String) async throws {
        let dir = try LdrunProcess.scratch(["ok.lua": "print('ran')"])
        let result = try await LdrunProcess.run(arguments, in: dir)
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr.contains(option), "\(result.stderr)")
        #expect(!result.stdout.contains("ran"))
        #expect(!result.stderr.contains("Fatal error"))
    }

    @Test func aRunawayTableExitsOneWithNotEnoughMemory() async throws {
        let dir = try LdrunProcess.scratch(["runaway.lua": "local t = {}\nfor i = 1, 1e9 do t[i] = {i} end\n"])
        let result = try await LdrunProcess.run(
            ["run", "--simulate", "--memory-limit", "64MiB", "--journal", "journal.jsonl", "runaway.lua"], in: dir)
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stderr.contains("not enough memory"), "\(result.stderr)")
        #expect(!result.stderr.contains("Fatal error"))
    }

    @Test func memoryLimitsReadAsSizes() async throws {
        let dir = try LdrunProcess.scratch(["ok.lua": "print('ran')"])
        for size in ["1000000000", "512MiB", "1GiB"] {
            let result = try await LdrunProcess.run(
                ["run", "--simulate", "--memory-limit", size, "--journal", "journal.jsonl", "ok.lua"], in: dir)
            #expect(result.status == 0, "\(size): \(result.stderr)")
            #expect(result.stdout == "ran\n")
        }
    }

    @Test func aHugeSleepIsABadArgumentNotATrap() async throws {
        let dir = try LdrunProcess.scratch(["sleepy.lua": "sleep(1e16)\n"])
        let result = try await LdrunProcess.run(
            ["run", "--simulate", "--journal", "journal.jsonl", "sleepy.lua"], in: dir)
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stderr.contains("sleepy.lua:1: bad argument #1 to 'sleep' (duration out of range"))
    }
}
