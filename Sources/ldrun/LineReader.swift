import CEdit
import Foundation
import RunbookHost
import Synchronization

/// Reads lines for the REPL: with libedit's editing, history and Tab completion on a
/// terminal, plainly otherwise. Reading happens off the concurrency pool, so an in-process
/// simulator keeps answering while the prompt waits. On a terminal, Ctrl-C at the prompt
/// (``interruptPrompt()``) ends the line being typed, which the REPL then drops.
struct LineReader: Sendable {
    /// What a read gave.
    enum Input: Equatable {
        case line(String)
        /// Ctrl-C at the prompt: drop the line (and any unfinished entry).
        case interrupted
        /// End of input (Ctrl-D).
        case end
    }

    let interactive: Bool
    /// Where the history persists (terminal only); nil keeps none.
    let historyPath: String?

    /// At most this many entries are kept, in memory and in the file.
    static let historyLimit: Int32 = 1000

    init(interactive: Bool, historyPath: String? = nil, complete: (@Sendable (String) -> [String])? = nil) {
        self.interactive = interactive
        self.historyPath = interactive ? historyPath : nil
        guard interactive else { return }
        ldr_edit_leave_signals()
        ldr_edit_read_with { _ in PromptInput.shared.nextCharacter() }
        Completion.install(complete)
        stifle_history(Self.historyLimit)
        if let historyPath {
            _ = read_history(historyPath)
        }
    }

    /// The next line, `.interrupted` after Ctrl-C at the prompt, or `.end` (Ctrl-D).
    func read(prompt: String) async -> Input {
        let interactive = interactive
        return await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                guard interactive else {
                    continuation.resume(returning: Swift.readLine(strippingNewline: true).map(Input.line) ?? .end)
                    return
                }
                PromptInput.shared.begin()
                let line = CEdit.readline(prompt)
                let interrupted = PromptInput.shared.end()
                defer { free(line) }
                if interrupted {
                    continuation.resume(returning: .interrupted)
                } else {
                    continuation.resume(returning: line.map { .line(String(cString: $0)) } ?? .end)
                }
            }
        }
    }

    /// Ends the line being typed, if a prompt is waiting for one (Ctrl-C at the prompt).
    /// Does nothing otherwise, so it never carries over to a later prompt.
    func interruptPrompt() {
        guard interactive else { return }
        PromptInput.shared.interrupt()
    }

    /// Adds an entry to the history and writes the history file (terminal only), readable
    /// by its owner alone.
    func remember(_ entry: String) {
        guard interactive else { return }
        _ = add_history(entry)
        guard let historyPath else { return }
        let folder = FilePaths.folder(of: historyPath)
        if !folder.isEmpty { _ = FilePaths.makeFolders(folder) }  // a history that cannot be kept is not an error
        if write_history(historyPath) == 0 { _ = chmod(historyPath, 0o600) }
    }

    /// `$XDG_STATE_HOME/ldrun/history`, else `~/.local/state/ldrun/history`.
    static func defaultHistoryPath(environment: [String: String]) -> String {
        if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") { return state + "/ldrun/history" }
        let home = environment["HOME"] ?? NSHomeDirectory()
        return home + "/.local/state/ldrun/history"
    }
}

/// The characters the line editor reads: from stdin, or, once Ctrl-C was pressed while a
/// prompt waits, a newline that ends the line (which the reader then reports as
/// interrupted). A wake pipe lets the signal thread reach the blocked read.
private final class PromptInput: Sendable {
    static let shared = PromptInput()

    private let wake: (read: Int32, write: Int32)
    /// Whether a prompt is reading, and whether Ctrl-C ended its line.
    private let state = Mutex((reading: false, interrupted: false))
    /// Whether the prompt's first character was typed ahead, while the terminal was still
    /// in canonical mode: a Ctrl-D typed then is kept as a NUL byte, which is end of input.
    private let typedAhead = Mutex(false)

    private init() {
        var ends: [Int32] = [-1, -1]
        if pipe(&ends) != 0 { ends = [-1, -1] }
        wake = (ends[0], ends[1])
    }

    /// Called before the line editor sets up the terminal, which is then still in
    /// canonical mode: stdin is readable only if a whole line, or a Ctrl-D, was typed ahead.
    func begin() {
        drain()
        var pending = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
        let ahead = poll(&pending, 1, 0) > 0 && pending.revents & Int16(POLLIN) != 0
        typedAhead.withLock { $0 = ahead }
        state.withLock { $0 = (reading: true, interrupted: false) }
    }

    /// Whether Ctrl-C ended the line.
    func end() -> Bool {
        state.withLock { current in
            defer { current = (reading: false, interrupted: false) }
            return current.interrupted
        }
    }

    func interrupt() {
        let reading = state.withLock { $0.reading }
        guard reading, wake.write >= 0 else { return }
        var byte: UInt8 = 1
        _ = write(wake.write, &byte, 1)
    }

    /// The next character for libedit, or EOF (-1).
    func nextCharacter() -> Int32 {
        while true {
            var fds = [
                pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0),
                pollfd(fd: wake.read, events: Int16(POLLIN), revents: 0),
            ]
            if poll(&fds, 2, -1) < 0 {
                if errno == EINTR { continue }
                return -1
            }
            if fds[1].revents != 0 {
                drain()
                state.withLock { $0.interrupted = true }
                FileHandle.standardOutput.write(Data("^C".utf8))
                return Int32(UInt8(ascii: "\n"))
            }
            guard fds[0].revents != 0 else { continue }
            var byte: UInt8 = 0
            let count = read(STDIN_FILENO, &byte, 1)
            if count == 1 {
                let first = typedAhead.withLock { ahead in
                    defer { ahead = false }
                    return ahead
                }
                // The canonical-mode line discipline stores a Ctrl-D at the start of a line
                // as a NUL byte, which the editor would otherwise insert.
                return first && byte == 0 ? -1 : Int32(byte)
            }
            if count < 0 && (errno == EINTR || errno == EAGAIN) { continue }
            return -1
        }
    }

    private func drain() {
        guard wake.read >= 0 else { return }
        var fds = [pollfd(fd: wake.read, events: Int16(POLLIN), revents: 0)]
        var byte: UInt8 = 0
        while poll(&fds, 1, 0) > 0, fds[0].revents & Int16(POLLIN) != 0 {
            _ = read(wake.read, &byte, 1)
        }
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
