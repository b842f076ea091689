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

    /// Shows `line` (a background task ended) above the prompt, which is drawn again with
    /// what was typed; printed plainly when no prompt waits.
    func announce(_ line: String) {
        if interactive && PromptInput.shared.announce(line) { return }
        print(line)
    }

    /// Shows `line` above the prompt if one waits; false otherwise.
    @Sendable func announceAtPrompt(_ line: String) -> Bool {
        interactive && PromptInput.shared.announce(line)
    }

    /// Ends the line being typed, if a prompt is waiting for one (Ctrl-C at the prompt).
    /// Does nothing otherwise, so it never carries over to a later prompt.
    /// Returns whether a prompt was waiting.
    @discardableResult
    func interruptPrompt() -> Bool {
        guard interactive else { return false }
        return PromptInput.shared.interrupt()
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
    /// Whether a prompt is reading, whether Ctrl-C ended its line, and the lines to show
    /// above it.
    private let state = Mutex((reading: false, interrupted: false, notices: [String]()))
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
        state.withLock { $0 = (reading: true, interrupted: false, notices: []) }
    }

    /// Whether Ctrl-C ended the line. Notices that came as the line ended are printed.
    func end() -> Bool {
        let (interrupted, notices) = state.withLock { current in
            defer { current = (reading: false, interrupted: false, notices: []) }
            return (current.interrupted, current.notices)
        }
        for notice in notices { FileHandle.standardOutput.write(Data((notice + "\n").utf8)) }
        return interrupted
    }

    func interrupt() -> Bool {
        let reading = state.withLock { $0.reading }
        if reading { wakeReader(Self.interruptByte) }
        return reading
    }

    /// Queues `line` for the prompt to show; false when no prompt reads.
    func announce(_ line: String) -> Bool {
        let queued = state.withLock { current -> Bool in
            guard current.reading else { return false }
            current.notices.append(line)
            return true
        }
        if queued { wakeReader(Self.noticeByte) }
        return queued
    }

    private static let interruptByte: UInt8 = 1
    private static let noticeByte: UInt8 = 2

    private func wakeReader(_ reason: UInt8) {
        guard wake.write >= 0 else { return }
        var byte = reason
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
                let reasons = drain()
                if reasons.contains(Self.noticeByte) { showNotices() }
                guard reasons.contains(Self.interruptByte) else { continue }
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

    /// Empties the wake pipe; returns why it was woken.
    @discardableResult
    private func drain() -> Set<UInt8> {
        guard wake.read >= 0 else { return [] }
        var fds = [pollfd(fd: wake.read, events: Int16(POLLIN), revents: 0)]
        var byte: UInt8 = 0
        var reasons: Set<UInt8> = []
        while poll(&fds, 1, 0) > 0, fds[0].revents & Int16(POLLIN) != 0 {
            if read(wake.read, &byte, 1) == 1 { reasons.insert(byte) } else { break }
        }
        return reasons
    }

    /// Prints the queued notices over the prompt's line, then has the editor draw the
    /// prompt and the line typed so far again below them. Runs on the reading thread,
    /// inside the editor's read of a character.
    private func showNotices() {
        let notices = state.withLock { current in
            defer { current.notices.removeAll() }
            return current.notices
        }
        guard !notices.isEmpty else { return }
        let text = "\r\u{1B}[K" + notices.map { $0 + "\n" }.joined()
        FileHandle.standardOutput.write(Data(text.utf8))
        rl_forced_update_display()
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
