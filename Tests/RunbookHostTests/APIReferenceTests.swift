import Foundation
import ReleaseCore
import Testing

@testable import RunbookHost

/// The REPL's `:help` reads the reference compiled into ldrun (docs/lua-api.md); the
/// functions the host binds and the entries of the reference must match, so the help
/// cannot drift from the API.
@Suite struct APIReferenceTests {
    static func session() throws -> RunbookSession {
        let client = ReleaseClientConfiguration(accessToken: "", defaultProject: "demo")
        return try RunbookHost(configuration: RunbookHostConfiguration(client: client, events: EventRecorder()))
            .makeSession()
    }

    @Test func everyBoundFunctionHasAnEntry() async throws {
        let session = try Self.session()
        let names = session.boundFunctionNames
        await session.close()
        #expect(names.count >= 25)
        let missing = names.filter { APIReference.builtIn.entry(named: $0) == nil }
        #expect(missing.isEmpty, "bound without an entry in docs/lua-api.md: \(missing)")
    }

    @Test func everyEntryNamesSomethingTheSessionDefines() async throws {
        let session = try Self.session()
        let entries = APIReference.builtIn.entries.filter { $0.section != "sim (under `--simulate`)" }
        let undefined = entries.flatMap(\.names).filter { !session.defines($0) }
        await session.close()
        #expect(!entries.isEmpty)
        #expect(undefined.isEmpty, "documented but not defined: \(undefined)")
    }

    @Test func helpListsSignaturesByTableAndShowsOneEntry() async throws {
        let session = try Self.session()
        let overview = session.help() ?? ""
        let entry = session.help("phase.start") ?? ""
        let missing = session.help("phase.nope")
        await session.close()
        #expect(overview.contains("\nphase\n  phase.next(rel)\n"), "\(overview)")
        #expect(overview.contains("  release.create(flag, pipeline [, variation])\n"), "one line per entry")
        #expect(overview.contains("  log.debug(message [, fields]), log.info, log.warn, log.error\n"))
        #expect(!overview.contains("sim."), "sim.* exists only under --simulate")
        #expect(entry.hasPrefix("### `phase.start(target [, phase [, options]])`\n"))
        #expect(entry.contains("**A started phase is never started twice**"))
        #expect(!entry.contains("<!--"))
        #expect(!entry.contains("### `phase.wait"), "the entry ends at the next heading")
        #expect(missing == nil)
    }

    @Test func headingsWithSeveralNamesAndFencesAreRead() {
        let reference = APIReference(
            markdown: """
                ## tools
                ### `a.b(x)` / `a.b{x=}`
                text
                ```lua
                # not a heading
                ```
                ### `--not-a-function`
                ## other
                ### `c`, `d.e`
                """)
        #expect(reference.entries.map(\.names) == [["a.b"], ["c", "d.e"]])
        #expect(reference.entries.first?.text.contains("# not a heading") == true)
        #expect(reference.entries.last?.section == "other")
    }
}
