import ReleaseCore
import Testing

/// Every combination of the five statuses over three phases, checked against the rules
/// written out independently here in terms of the status strings.
@Suite struct PhaseSelectorCombinationTests {
    static let statuses = ["NotStarted", "ReadyToStart", "Started", "Paused", "Complete"]
    static let combinations: [[String]] = statuses.flatMap { a in
        statuses.flatMap { b in statuses.map { c in [a, b, c] } }
    }

    @Test(arguments: combinations)
    func selectionFollowsTheRules(statuses: [String]) throws {
        let release = try Fixtures.release(statuses: statuses)
        let nextIndex = statuses.firstIndex { $0 == "NotStarted" || $0 == "ReadyToStart" }
        let activeIndex = statuses.firstIndex { $0 == "Started" || $0 == "Paused" }
        #expect(PhaseSelector.next(in: release)?.id == nextIndex.map { "phase-\($0 + 1)" })
        #expect(PhaseSelector.active(in: release)?.id == activeIndex.map { "phase-\($0 + 1)" })

        let expected: ReleaseStatus
        if statuses.allSatisfy({ $0 == "Complete" }) {
            expected = .complete
        } else if statuses.contains("Paused") {
            expected = .paused
        } else if statuses.contains("Started") {
            expected = .inProgress
        } else if !statuses.contains("Complete") {
            expected = .notStarted
        } else {
            expected = .ready
        }
        #expect(PhaseSelector.status(of: release) == expected)
    }

    @Test(arguments: combinations)
    func canceledWinsOverEverything(statuses: [String]) throws {
        let release = try Fixtures.release(statuses: statuses, canceledAt: 1_700_000_000_000)
        #expect(PhaseSelector.status(of: release) == .canceled)
    }
}

@Suite struct PhaseSelectorCaseTests {
    @Test(
        arguments: [
            ([false, false, false], "phase-1", ReleaseStatus.notStarted),
            ([true, false, false], "phase-2", .ready),
            ([true, true, false], "phase-3", .ready),
            ([true, true, true], nil, .complete),
            ([false, true, false], "phase-1", .ready),
        ] as [([Bool], String?, ReleaseStatus)])
    func legacyReleasesWithoutStatus(complete: [Bool], next: String?, status: ReleaseStatus) throws {
        let release = try Fixtures.legacyRelease(complete: complete)
        #expect(PhaseSelector.next(in: release)?.id == next)
        #expect(PhaseSelector.active(in: release) == nil)
        #expect(PhaseSelector.status(of: release) == status)
    }

    @Test func legacyStartedFlagWithoutStatusMakesThePhaseActive() throws {
        var phase = Fixtures.legacyPhase(2, complete: false)
        phase["started"] = true
        let release = try Release(json: Fixtures.releaseJSON(phases: [Fixtures.legacyPhase(1, complete: true), phase]))
        #expect(PhaseSelector.active(in: release)?.id == "phase-2")
        #expect(PhaseSelector.next(in: release) == nil)
        #expect(PhaseSelector.status(of: release) == .inProgress)
    }

    @Test func unknownStatusFallsBackToTheBooleans() throws {
        var phase = Fixtures.phase(1, status: "Sunsetting")
        phase["complete"] = true
        let release = try Release(json: Fixtures.releaseJSON(phases: [phase, Fixtures.phase(2, status: "Whatever")]))
        #expect(release.phases[0].isComplete)
        #expect(PhaseSelector.next(in: release)?.id == "phase-2")
        #expect(PhaseSelector.status(of: release) == .ready)
    }

    @Test func emptyReleaseIsComplete() throws {
        let release = try Release(json: Fixtures.releaseJSON(phases: []))
        #expect(PhaseSelector.status(of: release) == .complete)
        #expect(PhaseSelector.next(in: release) == nil)
    }

    @Test(
        arguments: [
            ("phase-2", "phase-2"),
            ("staging", "phase-2"),
            ("STAGING", "phase-2"),
            ("Production ", nil),
            ("nope", nil),
        ] as [(String, String?)])
    func findByIdOrCaseInsensitiveName(query: String, expected: String?) throws {
        let release = try Release(
            json: Fixtures.releaseJSON(phases: [
                Fixtures.phase(1, status: "Complete", name: "Testing"),
                Fixtures.phase(2, status: "Started", name: "Staging"),
                Fixtures.phase(3, status: "NotStarted", name: "Production"),
            ]))
        #expect(PhaseSelector.find(query, in: release)?.id == expected)
    }

    @Test func idMatchWinsOverANameMatch() throws {
        let release = try Release(
            json: Fixtures.releaseJSON(phases: [
                Fixtures.phase(1, status: "Complete", name: "phase-2"), Fixtures.phase(2, status: "Started"),
            ]))
        #expect(PhaseSelector.find("phase-2", in: release)?.id == "phase-2")
        #expect(PhaseSelector.index(ofPhase: "phase-2", in: release) == 1)
    }

    @Test func statusRawValuesAreTheLuaWords() {
        #expect(
            ReleaseStatus.allCases.map(\.rawValue) == [
                "not_started", "in_progress", "ready", "paused", "complete", "canceled",
            ])
    }
}
