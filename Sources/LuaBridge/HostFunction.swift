import CLua
import LuaShim

/// A Swift function callable from Lua.
///
/// Lua reaches it through the bridge's single C trampoline. The Swift body never raises
/// or yields itself: it returns a ``HostResult`` (or throws), and the trampoline, in C,
/// after every Swift frame has returned, either returns the results, raises the error
/// object, or yields the calling coroutine.
public final class HostFunction {
    /// The body: reads its arguments from the call, pushes results, and says what to do.
    public typealias Body = (HostCall) throws -> HostResult

    /// The name used in argument errors (`release.get`).
    public let name: String
    let body: Body

    public init(name: String, body: @escaping Body) {
        self.name = name
        self.body = body
    }

    /// Runs the body for one call from Lua and tells the trampoline what to do next.
    func invoke(thread: OpaquePointer) -> Int32 {
        LuaState.withOwner(of: thread) { state in invoke(HostCall(thread: thread, state: state, functionName: name)) }
    }

    private func invoke(_ call: HostCall) -> Int32 {
        do {
            switch try body(call) {
            case .pushed(let count):
                return count
            case .values(let values):
                if let count = LuaStack.pushScalars(values, on: call.thread) { return count }
                return try call.stack.push(values)
            case .value(let value):
                if LuaStack.pushScalar(value, on: call.thread) { return 1 }
                return try call.stack.push([value])
            case .raise:
                return LDR_RAISE
            case .yield:
                guard call.isYieldable else {
                    throw call.notYieldableError()
                }
                return LDR_YIELD
            }
        } catch {
            call.pushError(error)
            return LDR_RAISE
        }
    }
}

/// What a host function body asks the trampoline to do.
public enum HostResult {
    /// Return the top `count` values the body pushed.
    case pushed(Int32)
    /// Push these values and return them.
    case values([LuaValue])
    /// Push this one value and return it (as ``values(_:)`` with one value, without the
    /// array: a trivial call then allocates nothing).
    case value(LuaValue)
    /// Suspend the calling coroutine. The scheduler later resumes it with results (they
    /// become the call's return values) or with an error (which the call then raises).
    case yield

    /// Raise the value the body pushed on top of the stack, as it is (any Lua value).
    case raise

    /// Return nothing.
    public static var none: HostResult { .pushed(0) }
}

private func bridgeDispatch(_ thread: OpaquePointer?, _ box: UnsafeMutableRawPointer?) -> Int32 {
    guard let thread, let box else { return 0 }
    // The function is held by the closure Lua is running (its box is the closure's upvalue),
    // so it lives until this call returns: no retain and release around the call.
    return Unmanaged<HostFunction>.fromOpaque(box)._withUnsafeGuaranteedRef { $0.invoke(thread: thread) }
}

private func bridgeRelease(_ object: UnsafeMutableRawPointer?) {
    guard let object else { return }
    Unmanaged<AnyObject>.fromOpaque(object).release()
}

private let bridgeCallbacks: Void = ldr_set_callbacks(bridgeDispatch, bridgeRelease)

/// Installs the trampoline's Swift entry points (once per process).
func installBridgeCallbacks() {
    bridgeCallbacks
}
