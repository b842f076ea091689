import ArgumentParser
import Foundation
import ReleaseCore
import ReleaseSimulator

/// Where runbooks send their requests: options shared by `run` and `repl`.
struct ConnectionOptions: ParsableArguments {
    @Option(help: "The LaunchDarkly project key (default: $LD_PROJECT).")
    var project: String?

    @Option(help: "The API access token (default: $LD_ACCESS_TOKEN).")
    var accessToken: String?

    @Option(help: "The API base URI (default: $LD_BASE_URI, else the chosen instance).")
    var baseUri: String?

    @Option(help: "A LaunchDarkly instance: commercial, eu or federal.")
    var instance: BaseURL.Instance?

    @Flag(help: "Run against a simulator started in-process with the demo seed (no account needed).")
    var simulate = false

    @Option(help: "With --simulate: how long a started phase takes to complete, e.g. 0, 500ms, 2s.")
    var simPhaseDuration = "2s"

    @Option(help: "With --simulate: the simulator's API dialect, observed (the default) or spec.")
    var simDialect = SimulatorDialect.default.rawValue

    @Option(
        help: "With --simulate: the simulator's rate limit, REQUESTS/WINDOW such as 1000/10s (the default), or off.")
    var simRateLimit = SimulatorRateLimit().description

    /// `--sim-rate-limit`, read (``validate()`` has refused anything else).
    var simulatorRateLimit: SimulatorRateLimit { (try? SimulatorRateLimit(parsing: simRateLimit)) ?? .init() }

    /// `--sim-dialect`, read (``validate()`` has refused anything but a dialect name).
    var simulatorDialect: SimulatorDialect { (try? SimulatorDialect(parsing: simDialect)) ?? .default }

    func validate() throws {
        if baseUri != nil && instance != nil {
            throw ValidationError("--base-uri and --instance cannot be combined: choose one")
        }
        if let baseUri, baseUri.trimmingCharacters(in: .whitespaces).isEmpty {
            throw ValidationError("--base-uri expects a URI such as https://app.launchdarkly.com, got '\(baseUri)'")
        }
        if (try? SimulatorDialect(parsing: simDialect)) == nil {
            throw ValidationError("--sim-dialect expects observed or spec, not '\(simDialect)'")
        }
        _ = try SimulatorRateLimit(option: "--sim-rate-limit", simRateLimit)
    }
}

extension BaseURL.Instance: ExpressibleByArgument {}
