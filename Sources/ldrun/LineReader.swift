import CEdit
import Foundation

/// Reads lines for the REPL: with libedit's editing and history on a terminal, plainly
/// otherwise. Reading happens off the concurrency pool, so an in-process simulator keeps
/// answering while the prompt waits.
struct LineReader: Sendable {
    let interactive: Bool

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

    /// Adds an entry to the history (terminal only).
    func remember(_ entry: String) {
        guard interactive else { return }
        _ = add_history(entry)
    }
}
