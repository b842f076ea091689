import CEdit
import Foundation
import Synchronization

/// Reads lines for the REPL: with libedit's editing, history and Tab completion on a
/// terminal, plainly otherwise. Reading happens off the concurrency pool, so an in-process
/// simulator keeps answering while the prompt waits.
struct LineReader: Sendable {
    let interactive: Bool
    /// Where the history persists (terminal only); nil keeps none.
    let historyPath: String?

    /// At most this many entries are kept, in memory and in the file.
    static let historyLimit: Int32 = 1000

    init(interactive: Bool, historyPath: String? = nil, complete: (@Sendable (String) -> [String])? = nil) {
        self.interactive = interactive
        self.historyPath = interactive ? historyPath : nil
        guard interactive else { return }
        Completion.install(complete)
        stifle_history(Self.historyLimit)
        if let historyPath {
            _ = read_history(historyPath)
        }
    }

    /// The next line, or nil at end of input (Ctrl-D).
    func read(prompt: String) async -> String? {
        let interactive = interactive
        return await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                guard interactive else {
                    continuation.resume(returning: Swift.readLine(strippingNewline: true))
                    return
                }
                guard let line = CEdit.readline(prompt) else {
                    continuation.resume(returning: nil)
                    return
                }
                defer { free(line) }
                continuation.resume(returning: String(cString: line))
            }
        }
    }

    /// Adds an entry to the history and writes the history file (terminal only), readable
    /// by its owner alone.
    func remember(_ entry: String) {
        guard interactive else { return }
        _ = add_history(entry)
        guard let historyPath else { return }
        let folder = (historyPath as NSString).deletingLastPathComponent
        if !folder.isEmpty {
            try? FileManager.default.createDirectory(
                atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
        if write_history(historyPath) == 0 { _ = chmod(historyPath, 0o600) }
    }

    /// `$XDG_STATE_HOME/ldrun/history`, else `~/.local/state/ldrun/history`.
    static func defaultHistoryPath(environment: [String: String]) -> String {
        if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") { return state + "/ldrun/history" }
        let home = environment["HOME"] ?? NSHomeDirectory()
        return home + "/.local/state/ldrun/history"
    }
}

/// libedit's completion hook, which is a C function: it reaches the REPL's completer
/// through one process-wide slot. Only Lua names are offered, never file names.
private enum Completion {
    static let completer = Mutex<(@Sendable (String) -> [String])?>(nil)

    static func install(_ complete: (@Sendable (String) -> [String])?) {
        completer.withLock { $0 = complete }
        ldr_edit_install_completion { text, _, _ in
            ldr_edit_completion_over()
            guard let text else { return nil }
            let candidates = Completion.completer.withLock { $0 }?(String(cString: text)) ?? []
            return Completion.matches(candidates)
        }
    }

    /// The list libedit expects (and frees): the text to put in place of the word (the
    /// candidates' common prefix), then every candidate, then NULL.
    static func matches(_ candidates: [String]) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? {
        guard let first = candidates.first else { return nil }
        var common = first
        for candidate in candidates.dropFirst() {
            common = String(zip(common, candidate).prefix { $0 == $1 }.map(\.0))
        }
        let words = candidates.count == 1 ? [common] : [common] + candidates
        guard let list = malloc((words.count + 1) * MemoryLayout<UnsafeMutablePointer<CChar>?>.stride) else {
            return nil
        }
        let array = list.bindMemory(to: UnsafeMutablePointer<CChar>?.self, capacity: words.count + 1)
        for (index, word) in words.enumerated() { array[index] = strdup(word) }
        array[words.count] = nil
        return array
    }
}
