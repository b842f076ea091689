import ReleaseSimulator
import Testing

@Suite("Fault spec syntax and durations")
struct FaultPlanTests {
    @Test(
        "specs parse into typed rules",
        arguments: [
            (
                "phase-start:flag=checkout:count=2:status=503",
                FaultRule(route: .phaseStart, flagKey: "checkout", trigger: .count(2), action: .status(503))
            ),
            (
                "any:p=0.25:retry-after=3",
                FaultRule(trigger: .probability(0.25), action: .rateLimited(retryAfterSeconds: 3))
            ),
            ("release-get:reset=past", FaultRule(route: .releaseGet, action: .rateLimitedResetInPast)),
            ("pipeline-list:latency=2s", FaultRule(route: .pipelineList, action: .latency(.seconds(2)))),
            ("release-create:drop=before", FaultRule(route: .releaseCreate, action: .dropBeforeProcessing)),
            (
                "phase-start:count=1:drop=after",
                FaultRule(route: .phaseStart, trigger: .count(1), action: .dropAfterProcessing)
            ),
        ]
    )
    func parses(spec: String, rule: FaultRule) throws {
        let plan = try FaultPlan(spec: spec)
        #expect(plan.rules == [rule])
        #expect(try FaultPlan(spec: plan.description) == plan)
    }

    @Test("several rules are separated by semicolons; blanks are ignored")
    func severalRules() throws {
        let plan = try FaultPlan(spec: " release-get:status=500 ; ;phase-start:latency=100ms")
        #expect(plan.rules.map(\.route) == [.releaseGet, .phaseStart])
        #expect(plan.description == "release-get:status=500;phase-start:latency=100ms")
        #expect(try FaultPlan(spec: "") == .none)
    }

    @Test(
        "bad specs are rejected with the reason",
        arguments: [
            ("phase-begin:status=500", "unknown route 'phase-begin'"),
            ("any", "no action"),
            ("any:status=200", "status must be an HTTP error status"),
            ("any:count=0:status=500", "count must be a positive integer"),
            ("any:p=2:status=500", "p must be a number between 0 and 1"),
            ("any:status=500:drop=after", "exactly one action"),
            ("any:drop=sideways", "unknown setting 'drop=sideways'"),
            ("any:latency=soon", "invalid duration 'soon'"),
            ("any:status", "not of the form name=value"),
            // Found by fuzzing: a rule of nothing but colons used to trap.
            (":", "expected ROUTE:ACTION"),
            ("any:status=500; :: ;", "expected ROUTE:ACTION"),
        ]
    )
    func rejects(spec: String, reason: String) {
        #expect {
            try FaultPlan(spec: spec)
        } throws: { error in
            guard let error = error as? SimulatorError else { return false }
            return error.code == "invalid_configuration" && error.message.contains(reason)
        }
    }

    @Test(
        "durations",
        arguments: [
            ("0", Duration.zero), ("500ms", .milliseconds(500)), ("5s", .seconds(5)), ("1.5s", .milliseconds(1_500)),
            ("2m", .seconds(120)), ("1h", .seconds(3_600)), ("3", .seconds(3)),
        ]
    )
    func durations(text: String, duration: Duration) throws {
        #expect(try SimulatorDuration.parse(text) == duration)
    }

    @Test("bad durations are rejected", arguments: ["", "ms", "-1s", "5 minutes", "1d"])
    func badDurations(text: String) {
        #expect(throws: SimulatorError.self) { try SimulatorDuration.parse(text) }
    }
}
