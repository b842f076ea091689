import Foundation
import Synchronization

/// The parts of a running simulator that request handling shares: data, request log,
/// rate limiter and fault injector, plus the token it accepts.
final class SimulatorState: Sendable {
    let accessToken: String
    private let currentDialect: Mutex<SimulatorDialect>
    var dialect: SimulatorDialect { currentDialect.withLock { $0 } }
    let store: ReleaseStore
    let log = RequestLog()
    let rateLimiter: RateLimiter
    let faults: FaultInjector

    init(_ configuration: SimulatorConfiguration) {
        accessToken = configuration.accessToken
        currentDialect = Mutex(configuration.dialect)
        store = ReleaseStore(
            seed: configuration.seed, phaseDuration: configuration.phaseDuration, dialect: configuration.dialect,
            now: configuration.now ?? { Date().epochMilliseconds }, timedActions: configuration.timedActions)
        rateLimiter = RateLimiter(configuration.rateLimit)
        faults = FaultInjector(plan: configuration.faults, randomSeed: configuration.randomSeed)
    }

    /// The current time in epoch milliseconds, as the API reports times.
    static func nowMilliseconds() -> Int64 { Date().epochMilliseconds }
}

extension SimulatorState {
    /// Restores the data (of `seed`, or of the configured seed) and the rate-limit window.
    func reset(to seed: SimulatorSeed? = nil) async {
        await store.reset(to: seed)
        await rateLimiter.reset()
    }

    /// Starts over as `configuration` describes (its data, dialect, phase duration, clock,
    /// timed actions, faults and random seed), with an empty request log; the token, the
    /// address and the rate limit stay.
    func reconfigure(_ configuration: SimulatorConfiguration) async {
        currentDialect.withLock { $0 = configuration.dialect }
        await store.reconfigure(configuration)
        await faults.setPlan(configuration.faults, randomSeed: configuration.randomSeed)
        await log.clear()
        await rateLimiter.reset()
    }
}
