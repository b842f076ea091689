import Foundation
import Synchronization

/// Lines read from a file descriptor (standard input by default) by one reader at a time,
/// and reads that can be cancelled: a cancelled read returns nil at once and consumes
/// nothing more, so the prompt that follows (the REPL's next line) is the only reader left.
/// Bytes read past a line wait, in order, for the next read.
public final class InputLines: Sendable {
    /// Standard input, shared by `confirm`'s terminal prompt and the REPL's piped input.
    public static let standardInput = InputLines(descriptor: STDIN_FILENO)

    private let descriptor: Int32
    /// Bytes read but not yet handed out as a line; whether the input has ended.
    private let buffer = Mutex<(bytes: [UInt8], ended: Bool)>(([], false))
    /// Held by the read in progress, so reads never interleave.
    private let reading = Mutex(())

    public init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    /// The next line without its newline; nil at the end of the input, or when the calling
    /// task is cancelled (then nothing more is consumed). A last line without a newline
    /// still counts. Reads off the concurrency pool, so other tasks run meanwhile.
    public func readLine() async -> String? {
        if Task.isCancelled { return nil }
        guard let wake = Wake() else { return nil }
        let line = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<String?, Never>) in
                Thread.detachNewThread { [self] in
                    let line = reading.withLock { _ in blockingRead(wake: wake.readEnd) }
                    continuation.resume(returning: line)
                }
            }
        } onCancel: {
            wake.signal()
        }
        wake.close()
        return line
    }

    /// Hands out a buffered line, or reads until there is one, the input ends, or `wake`
    /// becomes readable.
    private func blockingRead(wake: Int32) -> String? {
        while true {
            let next: String?? = buffer.withLock { state in
                if let newline = state.bytes.firstIndex(of: UInt8(ascii: "\n")) {
                    let line = String(decoding: state.bytes[..<newline], as: UTF8.self)
                    state.bytes.removeSubrange(...newline)
                    return .some(line)
                }
                guard state.ended else { return .none }
                defer { state.bytes.removeAll() }
                return .some(state.bytes.isEmpty ? nil : String(decoding: state.bytes, as: UTF8.self))
            }
            if let next { return next }
            var fds = [
                pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0),
                pollfd(fd: wake, events: Int16(POLLIN), revents: 0),
            ]
            let ready = poll(&fds, 2, -1)
            if ready < 0 {
                if errno == EINTR { continue }
                return nil
            }
            if fds[1].revents != 0 { return nil }
            guard fds[0].revents != 0 else { continue }
            var chunk = [UInt8](repeating: 0, count: 4096)
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            buffer.withLock { state in
                if count <= 0 {
                    state.ended = true
                } else {
                    state.bytes.append(contentsOf: chunk[..<count])
                }
            }
        }
    }

    /// A pipe whose write end cancels one read. The write end is closed under a lock, so a
    /// late cancel never writes to a descriptor that has been closed (or reused).
    private final class Wake: Sendable {
        let readEnd: Int32
        private let writeEnd: Mutex<Int32?>

        init?() {
            var ends: [Int32] = [0, 0]
            guard pipe(&ends) == 0 else { return nil }
            readEnd = ends[0]
            writeEnd = Mutex(ends[1])
        }

        func signal() {
            writeEnd.withLock { end in
                guard let end else { return }
                var byte: UInt8 = 1
                _ = write(end, &byte, 1)
            }
        }

        func close() {
            writeEnd.withLock { end in
                if let open = end { _ = Foundation.close(open) }
                end = nil
            }
        }

        deinit {
            _ = Foundation.close(readEnd)
            writeEnd.withLock { end in if let open = end { _ = Foundation.close(open) } }
        }
    }
}

/// A terminal prompt for `confirm`: asks on stderr, reads a line, default No.
public enum TerminalPrompt {
    /// Asks `question` on stderr and reads the answer from standard input without blocking
    /// the run's other tasks. An interrupted question (Ctrl-C) stops reading at once and
    /// counts as No.
    @Sendable public static func ask(_ question: String) async -> Bool {
        await ask(question, reading: .standardInput, promptingOn: STDERR_FILENO)
    }

    /// Asks `question` on `descriptor` and reads the answer from `input`: y or yes, in any
    /// case, is yes; anything else, the end of the input or a cancelled read is no.
    public static func ask(_ question: String, reading input: InputLines, promptingOn descriptor: Int32) async
        -> Bool
    {
        let prompt = Array("? \(question) [y/N] ".utf8)
        _ = prompt.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        let line = await input.readLine() ?? ""
        return ["y", "yes"].contains(line.trimmingCharacters(in: .whitespaces).lowercased())
    }
}
