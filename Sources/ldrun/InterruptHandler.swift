import Foundation

/// Turns SIGINT and SIGTERM into a call of `onInterrupt` (the run then winds down and
/// exits 130); a second one of either exits at once with status 130.
///
/// The signals are caught by a real `sigaction` handler, which only writes the signal's
/// number to a pipe (async-signal-safe); a thread reads the pipe and acts. A signal is
/// therefore never lost, whichever thread of the process the kernel delivers it to.
final class InterruptHandler {
    private let reader: Thread
    private let writeEnd: Int32

    /// - Parameter exitOnSecond: whether a second signal exits at once (a run) or interrupts
    ///   again (the REPL, where each entry can be interrupted).
    init(exitOnSecond: Bool = true, onInterrupt: @escaping @Sendable () -> Void) {
        var ends: [Int32] = [-1, -1]
        if pipe(&ends) != 0 { ends = [-1, -1] }
        let readEnd = ends[0]
        writeEnd = ends[1]
        signalPipe.store(writeEnd)
        reader = Thread {
            var count = 0
            var byte: UInt8 = 0
            while read(readEnd, &byte, 1) == 1 {
                count += 1
                if count > 1 && exitOnSecond {
                    FileHandle.standardError.write(Data("\nldrun: interrupted again, exiting now\n".utf8))
                    exit(130)
                }
                if exitOnSecond {
                    FileHandle.standardError.write(Data("\nldrun: interrupting (Ctrl-C again to exit at once)\n".utf8))
                }
                onInterrupt()
            }
            close(readEnd)
        }
        reader.name = "ldrun.signals"
        reader.start()
        for number in [SIGINT, SIGTERM] {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = forwardSignal
            sigemptyset(&action.sa_mask)
            action.sa_flags = SA_RESTART
            sigaction(number, &action, nil)
        }
    }

    /// Restores the default actions; the reader thread ends.
    func stop() {
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
        signalPipe.store(-1)
        close(writeEnd)
    }
}

/// The write end of the current handler's pipe, read by the signal handler.
private let signalPipe = SignalPipe()

/// Holds a file descriptor for a signal handler: a plain word, read and written whole.
private final class SignalPipe: @unchecked Sendable {
    private nonisolated(unsafe) var descriptor: Int32 = -1

    func store(_ value: Int32) { descriptor = value }

    var current: Int32 { descriptor }
}

/// The `sigaction` handler: writes the signal's number to the pipe, nothing else.
private func forwardSignal(_ number: Int32) {
    let fd = signalPipe.current
    guard fd >= 0 else { return }
    var byte = UInt8(truncatingIfNeeded: number)
    _ = write(fd, &byte, 1)
}
