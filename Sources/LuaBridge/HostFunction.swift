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
        let state = LuaState.owner(of: thread)
        let call = HostCall(stack: LuaStack(state: state, thread: thread), functionName: name)
        do {
            switch try body(call) {
            case .pushed(let count):
                return count
            case .values(let values):
                if let count = call.stack.pushScalars(values) { return count }
                return try call.stack.push(values)
            case .value(let value):
                if call.stack.pushScalar(value) { return 1 }
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
    return Unmanaged<HostFunction>.fromOpaque(box).takeUnretainedValue().invoke(thread: thread)
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
