import Foundation

/// The parts of a running simulator that request handling shares: data, request log,
/// rate limiter and fault injector, plus the token it accepts.
final class SimulatorState: Sendable {
    let accessToken: String
    let dialect: SimulatorDialect
    let store: ReleaseStore
    let log = RequestLog()
    let rateLimiter: RateLimiter
    let faults: FaultInjector

    init(_ configuration: SimulatorConfiguration) {
        accessToken = configuration.accessToken
        dialect = configuration.dialect
        store = ReleaseStore(
            seed: configuration.seed, phaseDuration: configuration.phaseDuration, dialect: configuration.dialect,
            now: configuration.now ?? { Date().epochMilliseconds })
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
}
