import ReleaseCore
import Testing

/// The shared status vocabulary: both dialects' spellings, in any case, mean the same.
@Suite struct PhaseStatusVocabularyTests {
    @Test(
        arguments: [
            ("NotStarted", PhaseStatus.notStarted), ("not-started", .notStarted), ("NOT_STARTED", .notStarted),
            ("ReadyToStart", .readyToStart), ("ready-to-start", .readyToStart), ("readytostart", .readyToStart),
            ("Started", .started), ("active", .started), ("ACTIVE", .started), ("Active", .started),
            ("Paused", .paused), ("paused", .paused),
            ("Complete", .complete), ("completed", .complete), ("COMPLETED", .complete),
            ("Sunsetting", .unknown("Sunsetting")), ("", .unknown("")),
        ] as [(String, PhaseStatus)])
    func bothSpellingsDecodeToOneStatus(raw: String, expected: PhaseStatus) {
        #expect(PhaseStatus(rawValue: raw) == expected)
    }

    @Test func eachDialectSpellsEveryStatus() {
        let statuses: [PhaseStatus] = [.notStarted, .readyToStart, .started, .paused, .complete]
        #expect(
            statuses.map { $0.spelling(in: .spec) } == ["NotStarted", "ReadyToStart", "Started", "Paused", "Complete"])
        #expect(
            statuses.map { $0.spelling(in: .observed) } == [
                "not-started", "ready-to-start", "active", "paused", "completed",
            ])
        for status in statuses {
            for dialect in APIDialect.allCases {
                #expect(PhaseStatus(rawValue: status.spelling(in: dialect)) == status)
            }
        }
    }

    @Test(
        arguments: [
            ("Started", APIDialect.spec), ("NotStarted", .spec), ("Complete", .spec), ("active", .observed),
            ("completed", .observed), ("not-started", .observed), ("ready-to-start", .observed),
            ("STARTED", nil), ("paused", nil), ("Paused", nil), ("Sunsetting", nil),
        ] as [(String, APIDialect?)])
    func onlyExactSpellingsTellTheDialect(raw: String, dialect: APIDialect?) {
        #expect(PhaseStatus.dialect(ofSpelling: raw) == dialect)
    }

    @Test func theRawStatusIsKeptBesideTheDecodedOne() throws {
        let release = try Release(
            json: Fixtures.releaseJSON(phases: [
                Fixtures.phase(1, status: "active", audiences: [Fixtures.audience("test", status: "ready-to-start")])
            ]))
        let phase = release.phases[0]
        #expect(phase.rawStatus == "active" && phase.status == .started && phase.isStarted)
        #expect(phase.audiences[0].rawStatus == "ready-to-start" && phase.audiences[0].status == .readyToStart)
        #expect(APIDialect.of(release) == .observed)
    }

    @Test func theBooleansCountWhateverTheStatusSays() throws {
        var phase = Fixtures.phase(1, status: "active")
        phase["complete"] = true
        let release = try Release(json: Fixtures.releaseJSON(phases: [phase]))
        #expect(release.phases[0].isComplete)
        #expect(PhaseSelector.state(of: release.phases[0], in: release) == .complete)
    }

    @Test func aReleaseWithoutStatusesTellsNoDialect() throws {
        #expect(APIDialect.of(try Fixtures.legacyRelease(complete: [true, false])) == nil)
    }

    @Test func audienceStatusesTellTheDialectWhenPhasesDoNot() throws {
        var phase = Fixtures.legacyPhase(1, complete: false)
        phase["_audiences"] = [Fixtures.audience("test", status: "Started")]
        #expect(APIDialect.of(try Release(json: Fixtures.releaseJSON(phases: [phase]))) == .spec)
    }
}

/// One case of the rolled-out rule: phases, what is known of the flag, and every answer the
/// core gives about them.
struct RolloutCase: CustomTestStringConvertible, Sendable {
    var name: String
    var phases: [JSONValue]
    var flagOn: [String: Bool]?
    var states: [PhaseState]
    var status: ReleaseStatus
    var next: Int?
    var active: Int?

    var testDescription: String { name }

    static let testing = Fixtures.audience("test")
    static let approval = Fixtures.audience("production", approval: true)

    static func guarded(_ status: String?) -> JSONValue { Fixtures.audience("staging", guarded: true, status: status) }

    static let all: [RolloutCase] = [
        // Observed dialect: a phase completes only when the next one starts.
        RolloutCase(
            name: "observed: new release", phases: observed(["ready-to-start", "not-started", "not-started"]),
            states: [.ready, .notStarted, .notStarted], status: .notStarted, next: 1, active: nil),
        RolloutCase(
            name: "observed: an immediate phase is rolled out once active",
            phases: observed(["active", "not-started", "not-started"]),
            states: [.rolledOut, .ready, .notStarted], status: .ready, next: 2, active: 1),
        RolloutCase(
            name: "observed: starting the next phase completed the previous",
            phases: observed(["completed", "active", "not-started"]),
            states: [.complete, .rolledOut, .ready], status: .ready, next: 3, active: 2),
        RolloutCase(
            name: "observed: the last phase active is a finished release",
            phases: observed(["completed", "completed", "active"]),
            states: [.complete, .complete, .rolledOut], status: .complete, next: nil, active: 3),
        RolloutCase(
            name: "observed: approval, flag not read",
            phases: [
                Fixtures.phase(1, status: "completed", audiences: [testing]),
                Fixtures.phase(2, status: "active", audiences: [approval]),
            ],
            states: [.complete, .active], status: .inProgress, next: nil, active: 2),
        RolloutCase(
            name: "observed: approval pending, flag off",
            phases: [
                Fixtures.phase(1, status: "completed", audiences: [testing]),
                Fixtures.phase(2, status: "active", audiences: [approval]),
                Fixtures.phase(3, status: "not-started", audiences: [testing]),
            ],
            flagOn: ["test": true, "production": false],
            states: [.complete, .active, .notStarted], status: .inProgress, next: 3, active: 2),
        RolloutCase(
            name: "observed: approval applied, flag on",
            phases: [
                Fixtures.phase(1, status: "completed", audiences: [testing]),
                Fixtures.phase(2, status: "active", audiences: [approval]),
                Fixtures.phase(3, status: "not-started", audiences: [testing]),
            ],
            flagOn: ["test": true, "production": true],
            states: [.complete, .rolledOut, .ready], status: .ready, next: 3, active: 2),
        RolloutCase(
            name: "observed: guarded rollout monitoring",
            phases: [
                Fixtures.phase(1, status: "completed", audiences: [testing]),
                Fixtures.phase(2, status: "active", audiences: [guarded("active")]),
            ],
            states: [.complete, .active], status: .inProgress, next: nil, active: 2),
        RolloutCase(
            name: "observed: guarded rollout over",
            phases: [
                Fixtures.phase(1, status: "completed", audiences: [testing]),
                Fixtures.phase(2, status: "active", audiences: [guarded("completed")]),
            ],
            states: [.complete, .rolledOut], status: .complete, next: nil, active: 2),
        RolloutCase(
            name: "observed: a guarded audience whose status tells nothing waits",
            phases: [Fixtures.phase(1, status: "active", audiences: [guarded("ready-to-start")])],
            states: [.active], status: .inProgress, next: nil, active: 1),
        RolloutCase(
            name: "observed: a guarded audience without status waits",
            phases: [Fixtures.phase(1, status: "active", audiences: [guarded(nil)])],
            states: [.active], status: .inProgress, next: nil, active: 1),
        RolloutCase(
            name: "observed: paused", phases: observed(["completed", "paused", "not-started"]),
            states: [.complete, .paused, .notStarted], status: .paused, next: 3, active: 2),
        RolloutCase(
            name: "observed: a phase without audiences in the release waits for completion",
            phases: [withoutAudiences(Fixtures.phase(1, status: "active")), Fixtures.phase(2, status: "not-started")],
            states: [.active, .notStarted], status: .inProgress, next: 2, active: 1),
        // Spec dialect: a phase completes by itself; only completion counts.
        RolloutCase(
            name: "spec: a started phase is active until it completes",
            phases: spec(["Complete", "Started", "NotStarted"]),
            states: [.complete, .active, .notStarted], status: .inProgress, next: 3, active: 2),
        RolloutCase(
            name: "spec: the next phase is ready once the previous completed",
            phases: spec(["Complete", "Complete", "ReadyToStart"]),
            states: [.complete, .complete, .ready], status: .ready, next: 3, active: nil),
        RolloutCase(
            name: "spec: every phase complete", phases: spec(["Complete", "Complete", "Complete"]),
            states: [.complete, .complete, .complete], status: .complete, next: nil, active: nil),
        RolloutCase(
            name: "spec: the last phase started is not yet a finished release",
            phases: spec(["Complete", "Complete", "Started"]),
            states: [.complete, .complete, .active], status: .inProgress, next: nil, active: 3),
        RolloutCase(
            name: "spec: an approved phase still waits for completion",
            phases: [Fixtures.phase(1, status: "Started", audiences: [approval])], flagOn: ["production": true],
            states: [.active], status: .inProgress, next: nil, active: 1),
        RolloutCase(
            name: "spec: paused", phases: spec(["Complete", "Paused", "NotStarted"]),
            states: [.complete, .paused, .notStarted], status: .paused, next: 3, active: 2),
        // No status fields: the dialect cannot be told, so only completion counts.
        RolloutCase(
            name: "legacy: started without a status waits for completion",
            phases: [
                Fixtures.legacyPhase(1, complete: true),
                {
                    var phase = Fixtures.legacyPhase(2, complete: false)
                    phase["started"] = true
                    return phase
                }(),
                Fixtures.legacyPhase(3, complete: false),
            ],
            states: [.complete, .active, .notStarted], status: .inProgress, next: 3, active: 2),
        RolloutCase(
            name: "legacy: the phase after completed ones is ready",
            phases: [Fixtures.legacyPhase(1, complete: true), Fixtures.legacyPhase(2, complete: false)],
            states: [.complete, .ready], status: .ready, next: 2, active: nil),
    ]

    static func observed(_ statuses: [String]) -> [JSONValue] {
        statuses.enumerated().map { Fixtures.phase($0.offset + 1, status: $0.element, audiences: [testing]) }
    }

    static func spec(_ statuses: [String]) -> [JSONValue] {
        statuses.enumerated().map { Fixtures.phase($0.offset + 1, status: $0.element, audiences: [testing]) }
    }

    static func withoutAudiences(_ phase: JSONValue) -> JSONValue {
        guard case .object(var object) = phase else { return phase }
        object["_audiences"] = nil
        return .object(object)
    }
}

/// `phase.active`, `phase.next`, `phase.state` and `release.status` agree on a release in
/// either dialect.
@Suite struct RolloutRuleTests {
    @Test(arguments: RolloutCase.all)
    func everyAnswerAgrees(_ item: RolloutCase) throws {
        var release = try Release(json: Fixtures.releaseJSON(phases: item.phases))
        release.flagOn = item.flagOn
        #expect(release.phases.map { PhaseSelector.state(of: $0, in: release) } == item.states)
        #expect(PhaseSelector.status(of: release) == item.status)
        #expect(PhaseSelector.next(in: release)?.id == item.next.map { "phase-\($0)" })
        #expect(PhaseSelector.active(in: release)?.id == item.active.map { "phase-\($0)" })
        for (phase, state) in zip(release.phases, item.states) {
            #expect(RolloutRule.isRolledOut(phase, in: release) == (state == .rolledOut || state == .complete))
            #expect(RolloutRule.pending(for: phase, in: release).isEmpty == (state != .active && state != .paused))
        }
    }

    @Test func pendingSaysWhatIsLeft() throws {
        var release = try Release(
            json: Fixtures.releaseJSON(phases: [
                Fixtures.phase(
                    1, status: "active",
                    audiences: [RolloutCase.approval, RolloutCase.guarded("active"), RolloutCase.testing])
            ]))
        let phase = release.phases[0]
        #expect(
            RolloutRule.pending(for: phase, in: release) == [
                .approval(environments: ["production", "staging", "test"], flagRead: false),
                .monitoring(audience: "Staging", status: "active"),
            ])
        #expect(RolloutRule.needsFlag(phase, in: release))
        release.flagOn = ["production": true, "staging": true, "test": true]
        #expect(RolloutRule.pending(for: phase, in: release) == [.monitoring(audience: "Staging", status: "active")])
        let descriptions = RolloutRule.pending(for: phase, in: release).map(\.description)
        #expect(descriptions == ["the guarded rollout of Staging (monitoring)"])
    }

    @Test func theFlagIsNeededOnlyForAnObservedApprovalPhase() throws {
        let spec = try Release(
            json: Fixtures.releaseJSON(phases: [Fixtures.phase(1, status: "Started", audiences: [RolloutCase.approval])]
            ))
        #expect(!RolloutRule.needsFlag(spec.phases[0], in: spec))
        let immediate = try Release(json: Fixtures.releaseJSON(phases: RolloutCase.observed(["active"])))
        #expect(!RolloutRule.needsFlag(immediate.phases[0], in: immediate))
    }

    @Test func stateWordsAreTheLuaWords() {
        #expect(
            PhaseState.allCases.map(\.rawValue) == [
                "not_started", "ready", "active", "rolled_out", "paused", "complete",
            ])
    }
}
