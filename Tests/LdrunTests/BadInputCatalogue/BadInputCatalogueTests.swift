import Foundation
import Testing

/// The bad-input catalogue: no input from Lua, the command line or the network may crash or
/// trap ldrun; each gets a clear error naming what was wrong and where, with the right exit
/// status, no token in any output or file, and a journal that stays JSON lines.
///
/// The cases run in parallel (each in its own scratch directory, against its own server),
/// at most a few processes at once (``ProcessSlots``).
@Suite(.timeLimit(.minutes(5))) struct BadInputCatalogueTests {
    @Test(arguments: BadInputCatalogue.numbers)
    func numbers(_ badInput: BadInputCase) async throws {
        try await BadInputRunner.check(badInput)
    }

    @Test(arguments: BadInputCatalogue.arguments)
    func arguments(_ badInput: BadInputCase) async throws {
        try await BadInputRunner.check(badInput)
    }

    @Test(arguments: BadInputCatalogue.json)
    func json(_ badInput: BadInputCase) async throws {
        try await BadInputRunner.check(badInput)
    }

    @Test(arguments: BadInputCatalogue.bridge)
    func bridge(_ badInput: BadInputCase) async throws {
        try await BadInputRunner.check(badInput)
    }

    @Test(arguments: BadInputCatalogue.memoryAndSandbox)
    func memoryAndSandbox(_ badInput: BadInputCase) async throws {
        try await BadInputRunner.check(badInput)
    }

    @Test(arguments: BadInputCatalogue.commandLine)
    func commandLine(_ badInput: BadInputCase) async throws {
        try await BadInputRunner.check(badInput)
    }

    @Test(arguments: BadInputCatalogue.network)
    func network(_ badInput: BadInputCase) async throws {
        try await BadInputRunner.check(badInput)
    }

    /// A runbook the process may not read (root reads everything, so only as another user).
    @Test(.enabled(if: geteuid() != 0, "root can read a file of mode 000"))
    func anUnreadableRunbookIsAUsageError() async throws {
        let dir = try LdrunProcess.scratch(["secret.lua": "print('ran')\n"])
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.setAttributes(
            [.posixPermissions: 0], ofItemAtPath: dir.appendingPathComponent("secret.lua").path)
        let result = try await LdrunProcess.run(["run", "--simulate", "secret.lua"], in: dir)
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr.contains("cannot open secret.lua"), "\(result.stderr)")
        #expect(!result.stdout.contains("ran"))
    }

    /// The catalogue keeps its promised size: every class holds several cases.
    @Test func theCatalogueCoversEveryClass() {
        let classes = [
            BadInputCatalogue.numbers, BadInputCatalogue.arguments, BadInputCatalogue.json, BadInputCatalogue.bridge,
            BadInputCatalogue.memoryAndSandbox, BadInputCatalogue.commandLine, BadInputCatalogue.network,
        ]
        #expect(classes.allSatisfy { $0.count >= 5 })
        #expect(classes.map(\.count).reduce(0, +) >= 90)
        let names = classes.flatMap { $0.map(\.name) }
        #expect(Set(names).count == names.count, "case names must be unique")
    }
}

/// The tables of cases, one per class of input (in the files beside this one).
enum BadInputCatalogue {}
