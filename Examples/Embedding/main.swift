// EmbeddingExample: a Swift program (think: a chat bot) that runs ldrun runbooks itself.
//
// It starts ldrun's release simulator in-process, so it runs with no LaunchDarkly account:
//
//     swift run EmbeddingExample
//
// and shows every part of the embedding API: configuring a `RunbookHost` (release client,
// event sink, confirmation policy, dry run), adding a host function (`chat.post`), running a
// runbook given as a string, reacting to the run's events while it runs, cancelling a run,
// and reading the `RunReport`. It exits 0 when every run ended as expected.

import Foundation
import ReleaseSimulator
import RunbookHost

/// Where the bot posts: here, a list of messages printed at the end.
actor ChatRoom {
    private(set) var messages: [String] = []

    func post(_ message: String) {
        messages.append(message)
        print("  [chat] \(message)")
    }
}

/// The runbook the bot runs for each flag: promote it through its pipeline, asking before
/// production, and keep the chat informed.
let promoteRunbook = """
    local flag = args.flag
    chat.post("Promoting " .. flag .. (ldrun.dry_run and " (dry run)" or ""))
    local rel = release.get(flag) or release.create{flag = flag, pipeline = "standard"}
    while true do
      local next_phase = phase.next(rel)
      if not next_phase then break end
      if next_phase._name == "Production" and not confirm("Start Production for " .. flag .. "?") then
        chat.post("Production not approved for " .. flag .. "; stopping")
        return
      end
      rel = phase.start(rel, next_phase)
      log.info("started", {flag = flag, phase = next_phase._name})
      rel = phase.wait(rel, next_phase, {timeout = "1m", every = "50ms"})
      chat.post(next_phase._name .. " complete for " .. flag)
    end
    chat.post(flag .. " is fully released (" .. release.status(rel) .. ")")
    """

/// One line per event, as the bot's own log would show it.
func describe(_ event: RunEvent) -> String {
    let fields = event.fields.keys.sorted().map { "\($0)=\(event.fields[$0]!.serialized(sortedKeys: true))" }
    let details = fields.isEmpty ? "" : "  " + fields.joined(separator: " ")
    return "  \(event.level) \(event.name): \(event.message)\(details)"
}

/// Prints how a run ended.
func printReport(_ title: String, _ report: RunReport) {
    let seconds = Double(report.duration.components.seconds) + Double(report.duration.components.attoseconds) / 1e18
    print("\(title): outcome \(report.outcome), exit status \(report.outcome.exitCode)")
    print(String(format: "  took %.2fs", seconds))
    if let message = report.outcome.report { print("  report: \(message)") }
    for error in report.unobservedTaskErrors { print("  unobserved: \(error)") }
}

func runExample() async throws -> Bool {
    // 1. A release API to talk to. A real program skips this and points the client at
    //    LaunchDarkly instead (see step 2).
    let simulator = try await SimulatorServer.start(SimulatorConfiguration(phaseDuration: .milliseconds(100)))
    print("simulator listening on \(simulator.baseURL)")

    // 2. The release client. A real program reads its token from its own secret store or
    //    environment and picks the instance:
    //      ReleaseClientConfiguration(
    //          accessToken: ProcessInfo.processInfo.environment["LD_ACCESS_TOKEN"] ?? "",
    //          baseURL: .commercial,            // or .eu, .federal, try BaseURL("https://...")
    //          defaultProject: "web")
    let client = ReleaseClientConfiguration(
        accessToken: simulator.accessToken, baseURL: try BaseURL(simulator.baseURL), defaultProject: "demo",
        userAgent: ReleaseClientConfiguration.userAgent(version: LdrunVersion.current))

    // 3. Events: the host calls the sink from any thread; this one hands them to a stream
    //    that a task below reads while the runs go on.
    let (events, eventInput) = AsyncStream.makeStream(of: RunEvent.self)
    var configuration = RunbookHostConfiguration(client: client, events: ClosureEventSink { eventInput.yield($0) })

    // 4. The confirmation policy: `confirm(question)` asks in the chat; here a release
    //    manager who approves everything answers at once.
    let chat = ChatRoom()
    configuration.confirmation = .ask { question in
        await chat.post("? \(question) -> yes")
        return true
    }
    configuration.timeout = .seconds(60)

    // 5. A host function of our own: `chat.post(message)`. It runs asynchronously while the
    //    calling task waits; a thrown LuaHostError reaches the runbook as an error table.
    func makeHost(_ configuration: RunbookHostConfiguration) -> RunbookHost {
        let host = RunbookHost(configuration: configuration)
        host.register("chat.post") { arguments in
            guard case .string(let message)? = arguments.first else {
                throw LuaHostError(code: "bad_argument", message: "bad argument #1 to 'chat.post' (string expected)")
            }
            await chat.post(message)
            return []
        }
        return host
    }

    // 6. One host per flag: `args` is part of a host's configuration. A host runs one
    //    runbook at a time (each run gets a fresh Lua state) and may run many in turn.
    func host(for flag: String, dryRun: Bool = false) -> RunbookHost {
        var perFlag = configuration
        perFlag.arguments = ["flag": flag]
        perFlag.dryRun = dryRun
        return makeHost(perFlag)
    }
    let hosts = ["new-checkout": host(for: "new-checkout"), "dark-mode": host(for: "dark-mode")]

    // 7. React to events while the runs go on: approve Production of new-checkout in the
    //    simulator (as a person would in LaunchDarkly), and cancel the run of dark-mode.
    let watcher = Task {
        for await event in events {
            if event.level >= .info { print(describe(event)) }  // `request` events are debug
            guard event.name == "waiting", event.fields["phase"] == .string("Production"),
                case .string(let flag)? = event.fields["flag"]
            else { continue }
            if flag == "new-checkout" {
                try? await simulator.approve(project: "demo", flag: flag)
            } else {
                hosts[flag]?.cancel(reason: "the release manager stopped the rollout of \(flag)")
            }
        }
    }

    // 8. A dry run first: reads are real, writes are only announced ("would: ...").
    print("\n== dry run of new-checkout")
    let plan = await host(for: "new-checkout", dryRun: true).run(source: promoteRunbook, name: "promote.lua")
    printReport("dry run", plan)

    // 9. The real thing.
    print("\n== promoting new-checkout")
    let promoted = await hosts["new-checkout"]!.run(source: promoteRunbook, name: "promote.lua")
    printReport("new-checkout", promoted)

    // 10. A run cancelled while it waits for Production: `cancel(reason:)` makes every
    //     waiting call raise `interrupted` (so pcall and <close> cleanup run), and the run
    //     ends as `.interrupted` (exit status 130 in ldrun).
    print("\n== promoting dark-mode (cancelled at Production)")
    let cancelled = await hosts["dark-mode"]!.run(source: promoteRunbook, name: "promote.lua")
    printReport("dark-mode", cancelled)

    eventInput.finish()
    await watcher.value
    await simulator.stop()

    print("\nchat transcript:")
    for message in await chat.messages { print("  \(message)") }

    let planned: Bool = if case .succeeded = plan.outcome { true } else { false }
    let done: Bool = if case .succeeded = promoted.outcome { true } else { false }
    let stopped: Bool = if case .interrupted = cancelled.outcome { true } else { false }
    return planned && done && stopped
}

do {
    let ok = try await runExample()
    print(ok ? "\nevery run ended as expected" : "\nunexpected outcome")
    exit(ok ? 0 : 1)
} catch {
    print("EmbeddingExample failed: \(error)")
    exit(1)
}
