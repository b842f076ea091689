import Foundation
import LuaBridge
import ReleaseSimulator
import RunbookHost
import Testing

/// `phase.next`, `phase.active` and `release.status` read only the fields the rules need
/// from a release table; tables that need more take the full conversion. Either way the
/// answers and the errors are the rules' own.
@Suite("selection rules on release tables") struct SelectionTableTests {
    @Test func nextAndActiveReturnTheReleasesOwnPhaseTables() async throws {
        let harness = try await HostHarness.start()
        defer { Task { await harness.stop() } }
        let result = await harness.evaluate(
            """
            local rel = {phases = {
              {_id = "a", status = "completed"},
              {_id = "b", status = "active", _audiences = json.array{}},
              {_id = "c", status = "not-started"},
            }}
            capture(phase.next(rel) == rel.phases[3], phase.active(rel) == rel.phases[2], release.status(rel))
            rel = release.create("new-checkout", "standard")
            capture(phase.next(rel) == rel.phases[1], phase.active(rel), release.status(rel))
            """)
        expectSucceeded(result.report)
        #expect(result.captured == [[true, true, "ready"], [true, .nil, "not_started"]])
    }

    /// Release tables and the status the rules give them; some read fast, some need the
    /// full conversion (a `json.null` status, a timestamp as a string, no dialect shown).
    static let statuses: [(table: String, status: String)] = [
        ("{phases = {{_id = 'a', status = 'completed'}, {_id = 'b', status = 'completed'}}}", "complete"),
        ("{phases = {{_id = 'a', status = 'Complete'}, {_id = 'b', status = 'Started'}}}", "in_progress"),
        ("{phases = {{_id = 'a', status = 'active', _audiences = json.array{}}, {_id = 'b'}}}", "ready"),
        ("{phases = {{_id = 'a', status = 'active'}, {_id = 'b', status = 'not-started'}}}", "in_progress"),
        ("{phases = {{_id = 'a', status = 'paused', _audiences = json.array{}}, {_id = 'b'}}}", "paused"),
        ("{phases = {{_id = 'a', status = 'not-started'}, {_id = 'b', status = 'not-started'}}}", "not_started"),
        (
            "{phases = {{_id = 'a', status = json.null, complete = true}, {_id = 'b', status = 'active'}}}",
            "in_progress"
        ),
        ("{phases = {{_id = 'a', complete = true}, {_id = 'b', started = true}}}", "in_progress"),
        ("{phases = {{_id = 'a', complete = true}, {_id = 'b', complete = false}}}", "ready"),
        ("{_canceledAt = 1700000000000, phases = {{_id = 'a', status = 'active'}}}", "canceled"),
        ("{_canceledAt = '1700000000000', phases = {{_id = 'a', status = 'active'}}}", "canceled"),
        (approval(flagOn: true), "complete"),
        (approval(flagOn: false), "in_progress"),
        (approval(flagOn: nil), "in_progress"),
        // Guarded audiences, read from their status and configuration only.
        (
            guarded("status = 'active', configuration = {releaseGuardianConfiguration = {minSampleSize = 5}}"),
            "in_progress"
        ),
        (
            guarded("status = 'completed', configuration = {releaseGuardianConfiguration = {minSampleSize = 5}}"),
            "complete"
        ),
        (guarded("status = 'paused', configuration = {releaseStrategy = 'monitoredRelease'}"), "in_progress"),
        (guarded("status = 'active', configuration = {releaseStrategy = 'monitored-release'}"), "in_progress"),
        (guarded("status = 'active', configuration = {releaseStrategy = 'immediate'}"), "complete"),
        (guarded("status = 'active', configuration = {releaseGuardianConfiguration = json.array{}}"), "complete"),
        (
            guarded("status = 'active', configuration = {}, environment = {key = 'staging', _links = {x = 1}}"),
            "complete"
        ),
    ]

    /// The last of two phases active, with one audience described by `fields`.
    static func guarded(_ fields: String) -> String {
        "{phases = {{_id = 'a', status = 'completed'}, {_id = 'b', status = 'active', _audiences = {{name = 'Staging', \(fields)}}}}}"
    }

    /// The last of two phases active, its audience requiring approval, with the flag on
    /// (or off, or unknown) in its environment.
    static func approval(flagOn: Bool?) -> String {
        let on = flagOn.map { "_flagOn = {production = \($0)}," } ?? ""
        return """
            {\(on) phases = {{_id = 'a', status = 'completed'}, {_id = 'b', status = 'active', _audiences = {
              {environment = {key = 'production'}, configuration = {releaseStrategy = '', requireApproval = true}}}}}}
            """
    }

    /// One run for every table (each would otherwise start a simulator of its own).
    @Test func statusFollowsTheRules() async throws {
        let harness = try await HostHarness.start()
        defer { Task { await harness.stop() } }
        let tables = Self.statuses.map(\.table).joined(separator: ",\n")
        let result = await harness.evaluate(
            """
            for _, rel in ipairs{\(tables)} do capture(release.status(rel)) end
            """)
        expectSucceeded(result.report)
        #expect(result.captured.map { $0.first } == Self.statuses.map { .string($0.status) })
    }

    /// Phase lists and the `_id`s `phase.next` and `phase.active` pick from them ("" for
    /// none). Each list is read twice: as it is (the phases' progress, read raw) and with a
    /// `_canceledAt` string, which only the full conversion reads; both must pick the same.
    static let picks: [(phases: String, next: String, active: String)] = [
        (
            "{_id = 'a', status = 'completed'}, {_id = 'b', status = 'active'}, {_id = 'c', status = 'not-started'}",
            "c", "b"
        ),
        ("{_id = 'a', status = 'Complete'}, {_id = 'b', status = 'ReadyToStart'}", "b", ""),
        ("{_id = 'a', status = 'active', complete = true}, {_id = 'b', status = 'active'}", "", "b"),
        ("{_id = 'a', status = 'paused'}, {_id = 'b', status = 'not-started'}", "b", "a"),
        ("{_id = 'a', complete = true}, {_id = 'b', started = true}, {_id = 'c'}", "c", "b"),
        ("{_id = 'a', status = 'Rolling', started = true}, {_id = 'b', status = 'Rolling'}", "b", "a"),
        ("{_id = 'a', status = 'ACTIVE'}, {_id = 'b', status = 'READY_TO_START'}", "b", "a"),
        ("{_id = 'a', status = 'completed'}, {_id = 'b', status = 'completed'}", "", ""),
    ]

    @Test func nextAndActiveReadRawPickWhatTheFullConversionPicks() async throws {
        let harness = try await HostHarness.start()
        defer { Task { await harness.stop() } }
        let lists = Self.picks.map { "{\($0.phases)}" }.joined(separator: ",\n")
        let result = await harness.evaluate(
            """
            local function id(phase) return phase and phase._id or "" end
            for _, phases in ipairs{\(lists)} do
              local raw = {phases = phases}
              local full = {phases = phases, _canceledAt = "1700000000000"}
              capture(id(phase.next(raw)), id(phase.active(raw)), id(phase.next(full)), id(phase.active(full)))
            end
            """)
        expectSucceeded(result.report)
        #expect(
            result.captured
                == Self.picks.map { [.string($0.next), .string($0.active), .string($0.next), .string($0.active)] })
    }

    static let badTables: [(call: String, message: String)] = [
        (
            "release.status{phases = 'x'}",
            "bad argument #1 to 'release.status' (not a release: Release.phases: expected an array"
        ),
        (
            "phase.next{phases = {{status = 'active'}}}",
            "bad argument #1 to 'phase.next' (not a release: ReleasePhase._id: expected a string"
        ),
        (
            "phase.active{phases = {{_id = 'a', complete = 'yes'}}}",
            "bad argument #1 to 'phase.active' (not a release: ReleasePhase.complete: expected a boolean"
        ),
        ("release.status(5)", "bad argument #1 to 'release.status' (table expected, got number)"),
        ("phase.next()", "bad argument #1 to 'phase.next' (table expected, got no value)"),
        (
            "release.status{phases = {{_id = 'a', status = 'active', _audiences = {{environment = {key = 5}}}}}}",
            "bad argument #1 to 'release.status' (not a release: EnvironmentSummary.key: expected a string"
        ),
        (
            "release.status{phases = {{_id = 'a', status = 'active', _audiences = {{configuration = {requireApproval = 'yes'}}}}}}",
            "bad argument #1 to 'release.status' (not a release: AudienceConfiguration.requireApproval: expected a boolean"
        ),
    ]

    @Test func badTablesGetTheFullConversionsErrors() async throws {
        let harness = try await HostHarness.start()
        defer { Task { await harness.stop() } }
        let calls = Self.badTables.map { "function() return \($0.call) end" }.joined(separator: ",\n")
        let result = await harness.evaluate(
            """
            for _, f in ipairs{\(calls)} do
              local ok, err = pcall(f)
              capture(ok, type(err) == "table" and err.message or tostring(err))
            end
            """)
        expectSucceeded(result.report)
        #expect(result.captured.count == Self.badTables.count)
        for (captured, bad) in zip(result.captured, Self.badTables) {
            #expect(captured.first == .boolean(false), "\(bad.call)")
            #expect(captured.last?.stringValue?.contains(bad.message) == true, "\(bad.call): \(captured)")
        }
    }
}
