/// Decides, request by request, which faults of the plan hit. Counted rules are used up
/// as they hit; probabilistic rules draw from a generator seeded with the configured
/// seed, restarted whenever the plan is set, so the same requests meet the same faults.
actor FaultInjector {
    /// What to do to one request.
    struct Decision: Sendable, Equatable {
        /// Delay before processing (sum of the latency rules that hit).
        var latency: Duration = .zero
        /// The first non-latency fault that hit, if any.
        var action: FaultAction?

        /// A description for the request log, e.g. `latency=200ms,status=503`.
        var summary: String? {
            var parts: [String] = []
            if latency > .zero { parts.append(FaultAction.latency(latency).description) }
            if let action { parts.append(action.description) }
            return parts.isEmpty ? nil : parts.joined(separator: ",")
        }
    }

    private var randomSeed: UInt64
    private var plan: FaultPlan
    private var remaining: [Int?]
    private var random: SeededRandom

    init(plan: FaultPlan, randomSeed: UInt64) {
        self.randomSeed = randomSeed
        self.plan = plan
        remaining = plan.rules.map(Self.initialCount)
        random = SeededRandom(seed: randomSeed)
    }

    /// Replaces the plan, restarting counts and the random sequence.
    func setPlan(_ newPlan: FaultPlan, randomSeed newSeed: UInt64? = nil) {
        if let newSeed { randomSeed = newSeed }
        plan = newPlan
        remaining = newPlan.rules.map(Self.initialCount)
        random = SeededRandom(seed: randomSeed)
    }

    var currentPlan: FaultPlan { plan }

    /// The faults that hit a request to `route` about `flagKey`.
    func decide(route: SimulatorRoute, flagKey: String?) -> Decision {
        var decision = Decision()
        for (index, rule) in plan.rules.enumerated() where rule.matches(route: route, flagKey: flagKey) {
            // Once the outcome is decided, only latency rules still apply (and get used up).
            if decision.action != nil, !rule.action.isLatency { continue }
            guard hits(ruleAt: index) else { continue }
            if case .latency(let delay) = rule.action {
                decision.latency += delay
            } else {
                decision.action = decision.action ?? rule.action
            }
        }
        return decision
    }

    private func hits(ruleAt index: Int) -> Bool {
        switch plan.rules[index].trigger {
        case .always:
            return true
        case .count:
            guard let left = remaining[index], left > 0 else { return false }
            remaining[index] = left - 1
            return true
        case .probability(let probability):
            return random.nextUnitInterval() < probability
        }
    }

    private static func initialCount(_ rule: FaultRule) -> Int? {
        if case .count(let count) = rule.trigger { return count }
        return nil
    }
}

extension FaultAction {
    var isLatency: Bool {
        if case .latency = self { return true }
        return false
    }
}
