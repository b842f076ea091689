import Foundation
import ReleaseCore
import ReleaseSimulator
import RunbookHost
import Testing

/// Every ```lua block of docs/lua-api.md and docs/runbook-guide.md runs against a
/// simulator with the demo seed, in both dialects, and does what the page says: it succeeds, prints what its
/// `-->` comments show, or fails with the documented error. Blocks marked
/// `<!-- not-runnable: why -->` must at least compile. The convention is described on
/// `DocumentationExample`.
@Suite(.timeLimit(.minutes(2))) struct DocumentationExampleTests {
    static let apiExamples = (try? DocumentationExample.blocks(inPage: "lua-api.md")) ?? []
    static let guideExamples = (try? DocumentationExample.blocks(inPage: "runbook-guide.md")) ?? []

    @Test func thePagesHaveExamples() {
        #expect(Self.apiExamples.count >= 20)
        #expect(Self.guideExamples.count >= 10)
        // Exceptions stay few: most blocks run.
        let skipped = (Self.apiExamples + Self.guideExamples).filter { $0.notRunnable != nil }
        #expect(skipped.count <= 6, "\(skipped.map(\.testDescription))")
    }

    @Test(arguments: apiExamples, SimulatorDialect.allCases)
    func luaAPIExample(_ example: DocumentationExample, dialect: SimulatorDialect) async throws {
        try await Self.run(example, dialect: dialect)
    }

    @Test(arguments: guideExamples, SimulatorDialect.allCases)
    func runbookGuideExample(_ example: DocumentationExample, dialect: SimulatorDialect) async throws {
        try await Self.run(example, dialect: dialect)
    }

    static func run(_ example: DocumentationExample, dialect: SimulatorDialect) async throws {
        let place = Comment(rawValue: "docs/\(example.page):\(example.line)")
        if example.notRunnable != nil {
            // A fragment must still be Lua.
            try await LibraryHarness.withSimulator { harness in
                var options = LibraryHarness.Options()
                options.arguments = ["source": example.code]
                let run = try await harness.run("assert(load(args.source, '=example', 't'))", options)
                let compiles = run.succeeded
                #expect(compiles, "\(place) does not compile: \(run.failure)")
            }
            return
        }
        // On a virtual clock: an example's phase durations and waits take no real time, and
        // its setup runs before a phase can complete, however loaded the machine is.
        try await LibraryHarness.withSimulator(
            phaseDuration: example.phaseDuration, dialect: dialect, clock: VirtualClock()
        ) { harness in
            var options = LibraryHarness.Options()
            options.arguments = example.arguments
            options.positional = example.positional
            options.libraryFolders =
                example.libraries.map { LibraryHarness.repository.appendingPathComponent($0).path }
                + options.libraryFolders
            let run = try await harness.run(example.source, options)
            let transcript = run.events.suffix(12).map { "\($0.level) \($0.name): \($0.message)" }
                .joined(separator: "\n")
            if let code = example.expectedError {
                let raised = run.errorCode
                #expect(raised == code, "\(place): \(run.failure)\n\(transcript)")
                return
            }
            let succeeded = run.succeeded  // (not the whole run in the failure message)
            #expect(succeeded, "\(place) failed: \(run.failure)\n\(transcript)")
            let printed = run.captured.map(words)
            for expected in example.expectedOutput {
                #expect(
                    printed.contains(words(expected)), "\(place) should print '\(expected)', printed \(run.captured)")
            }
        }
    }

    static func words(_ text: String) -> [Substring] {
        text.split(whereSeparator: { $0 == " " || $0 == "\t" })
    }
}
