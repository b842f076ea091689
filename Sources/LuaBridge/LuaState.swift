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
    private let context: UnsafeMutablePointer<ldr_context>

    /// Conversions of nested tables deeper than this fail with a clear error.
    public var maxConversionDepth = 64

    /// Creates a state with the standard libraries open and the interrupt hook installed.
    public init(openStandardLibraries: Bool = true) throws(LuaError) {
        installBridgeCallbacks()
        let context = UnsafeMutablePointer<ldr_context>.allocate(capacity: 1)
        context.initialize(to: ldr_context(owner: nil, interrupt_pending: 0))
        guard let L = ldr_newstate(context) else {
            context.deallocate()
            throw LuaError(kind: .memory, message: "not enough memory to create a Lua state")
        }
        self.L = L
        self.context = context
        context.pointee.owner = Unmanaged.passUnretained(self).toOpaque()
        if openStandardLibraries && ldr_openlibs(L) != LUA_OK {
            throw LuaError(kind: .memory, message: "could not open the Lua standard libraries")
        }
        ldr_install_interrupt_hook(L)
    }

    deinit {
        lua_close(L)
        context.deinitialize(count: 1)
        context.deallocate()
    }

    /// The Swift owner of any thread of a state created here.
    static func owner(of thread: OpaquePointer) -> LuaState {
        let context = ldr_getcontext(thread)!
        return Unmanaged<LuaState>.fromOpaque(context.pointee.owner!).takeUnretainedValue()
    }

    /// The main thread's stack.
    public var stack: LuaStack { LuaStack(state: self, thread: L) }

    /// The Lua version this state runs (`"Lua 5.4.4"`).
    public static var version: String { String(cString: ldr_version()) }

    /// Runs a full garbage collection (finalizers included).
    public func collectGarbage() {
        ldr_gc_collect(L)
    }

    /// Memory in use by this state, in bytes.
    public var memoryInUse: Int {
        Int(ldr_gc_count_bytes(L))
    }

    /// A handle that interrupts running Lua code from any thread or a signal handler.
    public var interruptHandle: LuaInterruptHandle { LuaInterruptHandle(context: context) }
}

/// Requests that the Lua code running in a state raise an `interrupted` error at its next
/// instruction count check. Valid while the state is alive.
public struct LuaInterruptHandle: @unchecked Sendable {
    let context: UnsafeMutablePointer<ldr_context>

    /// Asks running Lua code to stop: it raises `{code="interrupted"}`, which `pcall` and
    /// `<close>` handlers see like any error.
    public func interrupt() {
        ldr_interrupt(context)
    }

    /// Withdraws a pending interrupt that no Lua code has seen yet (a scheduler that
    /// delivers the interruption to its waiting tasks itself calls this first).
    public func clear() {
        context.pointee.interrupt_pending = 0
    }
}
