import Dispatch

/// Runs async work to completion from synchronous code (libFuzzer calls its target
/// synchronously), waiting on a semaphore while the work runs on the global executor.
public func runBlocking<T>(_ body: @escaping () async -> T) -> T {
    var result: T?
    let done = DispatchSemaphore(value: 0)
    Task {
        result = await body()
        done.signal()
    }
    done.wait()
    return result!
}
