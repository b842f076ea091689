import CLua
import LuaShim

/// One Lua 5.4 interpreter: owns a `lua_State`, opens the standard libraries, and closes
/// the state (collecting every userdata, so Swift objects held by Lua are released) in
/// `deinit`.
///
/// A state is confined to the thread or executor that uses it; it is deliberately not
/// `Sendable`. Use ``interruptHandle`` to stop running Lua code from elsewhere.
public final class LuaState {
    let L: OpaquePointer
    private let context: OpaquePointer

    /// Conversions of nested tables deeper than this fail with a clear error.
    public var maxConversionDepth = 64

    /// Creates a state with the standard libraries open and the interrupt hook installed.
    public init(openStandardLibraries: Bool = true) throws(LuaError) {
        installBridgeCallbacks()
        guard let context = ldr_context_new() else {
            throw LuaError(kind: .memory, message: "not enough memory to create a Lua state")
        }
        guard let L = ldr_newstate(context) else {
            ldr_context_free(context)
            throw LuaError(kind: .memory, message: "not enough memory to create a Lua state")
        }
        self.L = L
        self.context = context
        ldr_context_setowner(context, Unmanaged.passUnretained(self).toOpaque())
        if openStandardLibraries && ldr_openlibs(L) != LUA_OK {
            throw LuaError(kind: .memory, message: "could not open the Lua standard libraries")
        }
        ldr_install_interrupt_hook(L)
    }

    deinit {
        lua_close(L)
        ldr_context_free(context)
    }

    /// Runs `body` with the Swift owner of `thread` (any thread of a state created here),
    /// without retaining it: for a host call, which that state is running, so it lives at
    /// least as long.
    static func withOwner<Result>(of thread: OpaquePointer, _ body: (LuaState) -> Result) -> Result {
        let context = ldr_getcontext(thread)!
        return Unmanaged<LuaState>.fromOpaque(ldr_context_owner(context)!)._withUnsafeGuaranteedRef(body)
    }

    /// The main thread's stack.
    public var stack: LuaStack { LuaStack(state: self, thread: L) }

    /// The Lua version this state runs (`"Lua 5.4.4"`).
    public static var version: String { String(cString: ldr_version()) }

    /// Runs a full garbage collection (finalizers included).
    public func collectGarbage() {
        ldr_gc_collect(L)
    }

    /// Memory in use by this state, in bytes (as its allocator counts it).
    public var memoryInUse: Int {
        Int(clamping: ldr_memoryused(context))
    }

    /// The most memory the state may allocate, in bytes; nil for no limit (the default).
    ///
    /// Past the limit, allocation fails and Lua raises its `not enough memory` error
    /// (a ``LuaError`` of kind ``LuaError/Kind/memory``), which `pcall` can catch; the host
    /// carries on. A limit below what is in use applies to any further growth.
    public var memoryLimit: Int? {
        get {
            let limit = ldr_memorylimit(context)
            return limit == 0 ? nil : Int(clamping: limit)
        }
        set { ldr_setmemorylimit(context, newValue.map { max(1, $0) } ?? 0) }
    }

    /// A handle that interrupts running Lua code from any thread or a signal handler.
    public var interruptHandle: LuaInterruptHandle { LuaInterruptHandle(context: context) }
}

/// Requests that the Lua code running in a state raise an `interrupted` error at its next
/// instruction count check. Valid while the state is alive.
///
/// The request persists until ``clear()``: running Lua code keeps raising `interrupted` (ever
/// more often), so a `pcall` in a loop cannot swallow it.
public struct LuaInterruptHandle: @unchecked Sendable {
    let context: OpaquePointer

    /// Asks running Lua code to stop: it raises `{code="interrupted"}`, which `pcall` and
    /// `<close>` handlers see like any error.
    public func interrupt() {
        ldr_interrupt(context)
    }

    /// Withdraws a pending interrupt that no Lua code has seen yet (a scheduler that
    /// delivers the interruption to its waiting tasks itself calls this first).
    public func clear() {
        ldr_clear_interrupt(context)
    }

    /// Whether an interrupt is pending.
    public var isPending: Bool { ldr_interrupt_pending(context) != 0 }
}
