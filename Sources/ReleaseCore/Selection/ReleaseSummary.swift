/// A release in one line, for people: each phase with a mark for its state, and the phase
/// still rolling out with what it waits for.
///
/// `Testing ✓ → Staging ▶ (approval pending) → Production ·`
///
/// Marks: `✓` complete or rolled out, `▶` active, `‖` paused, `○` ready to start, `·` not
/// started. A canceled release starts with `canceled:`.
public enum ReleaseSummary {
    public static func line(of release: Release) -> String {
        let phases = release.phases.map { phase -> String in
            let state = PhaseSelector.state(of: phase, in: release)
            var text = "\(phase.name) \(mark(state))"
            if state == .active || state == .paused {
                let notes = RolloutRule.pending(for: phase, in: release).compactMap(note)
                var unique: [String] = []
                for note in notes where !unique.contains(note) { unique.append(note) }
                if !unique.isEmpty { text += " (\(unique.joined(separator: ", ")))" }
            }
            return text
        }
        let line = phases.isEmpty ? "no phases" : phases.joined(separator: " → ")
        return release.isCanceled ? "canceled: " + line : line
    }

    static func mark(_ state: PhaseState) -> String {
        switch state {
        case .complete, .rolledOut: "✓"
        case .active: "▶"
        case .paused: "‖"
        case .ready: "○"
        case .notStarted: "·"
        }
    }

    /// A short note for what a phase waits for (a paused phase says so with its mark).
    static func note(_ pending: RolloutPending) -> String? {
        switch pending {
        case .approval: "approval pending"
        case .monitoring: "guarded rollout monitoring"
        case .completion, .audiencesUnknown: "rolling out"
        case .paused: nil
        }
    }
}
