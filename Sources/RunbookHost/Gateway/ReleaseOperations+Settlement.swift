import Foundation
import ReleaseCore

extension ReleaseOperations {
    /// Settles the `unknown` writes earlier runs left in this run's journal (see
    /// ``JournalSettlement``): each release is read again, and what became of the write is
    /// journalled and announced. Does nothing in a dry run, without a journal, or when no
    /// write is unsettled; a release that cannot be read now is left for a later run.
    /// Settling never fails the run.
    func settleEarlierWrites() async {
        guard !isDryRun, let journal else { return }
        let writes = JournalSettlement.unsettled(inJournalAt: journal.path, baseURI: clients.baseURL.description)
        guard !writes.isEmpty else { return }
        let client: ReleaseClient
        do {
            client = try clients.get()
        } catch {
            let noun = writes.count == 1 ? "write" : "writes"
            events.emit(
                RunEvent(
                    level: .warn, name: "settle",
                    message: "\(writes.count) \(noun) of an earlier run left unknown cannot be settled: \(error)"))
            return
        }
        for write in writes {
            if Task.isCancelled { return }
            let release: Release?
            do {
                release = try await client.release(project: write.project, flag: write.flag)
            } catch {
                events.emit(
                    RunEvent(
                        level: .warn, name: "settle",
                        message: "\(write.operation) \(write.project)/\(write.flag) left unknown by an earlier run "
                            + "stays unsettled: \(error)"))
                continue
            }
            let verdict = JournalSettlement.verdict(of: write, release: release)
            let level: RunEvent.Level = verdict.outcome == "undetermined" ? .warn : .info
            events.emit(
                RunEvent(
                    level: level, name: "settle",
                    message:
                        "settled a write an earlier run left unknown: \(verdict.outcome.replacingOccurrences(of: "_", with: " ")) (\(verdict.message))",
                    fields: ["outcome": .string(verdict.outcome), "settles": .string(write.id)]))
            do {
                try record(
                    "settle", outcome: verdict.outcome, project: write.project, flag: write.flag, phase: write.phase,
                    status: nil, message: verdict.message,
                    extra: ["settles": .string(write.id), "settled_operation": .string(write.operation)])
            } catch {
                events.emit(RunEvent(level: .error, name: "settle", message: "\(error)"))
                return
            }
        }
    }
}
