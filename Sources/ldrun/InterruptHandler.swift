import Foundation

/// Turns SIGINT and SIGTERM into a call of `onInterrupt` (the run then winds down and
/// exits 130); a second one of either exits at once with status 130.
final class InterruptHandler {
    private let sources: [any DispatchSourceSignal]

    /// - Parameter exitOnSecond: whether a second signal exits at once (a run) or interrupts
    ///   again (the REPL, where each entry can be interrupted).
    init(exitOnSecond: Bool = true, onInterrupt: @escaping @Sendable () -> Void) {
        let queue = DispatchQueue(label: "ldrun.signals")
        let count = SignalCount()
        sources = [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler {
                if count.increment() > 1 && exitOnSecond {
                    FileHandle.standardError.write(Data("\nldrun: interrupted again, exiting now\n".utf8))
                    exit(130)
                }
                if exitOnSecond {
                    FileHandle.standardError.write(Data("\nldrun: interrupting (Ctrl-C again to exit at once)\n".utf8))
                }
                onInterrupt()
            }
            source.resume()
            return source
        }
    }

    func stop() {
        for source in sources { source.cancel() }
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }
}

/// A counter touched only from the signal queue.
private final class SignalCount: @unchecked Sendable {
    private var value = 0

    func increment() -> Int {
        value += 1
        return value
    }
}
