import CLua
import LuaShim

/// A Lua value anchored in the registry so Swift can keep it across calls. The anchor is
/// released when the reference is deinitialised; the reference keeps its state alive.
public final class LuaReference {
    /// The state the value lives in.
    public let state: LuaState
    let ref: Int32

    init(state: LuaState, ref: Int32) {
        self.state = state
        self.ref = ref
    }

    deinit {
        ldr_unref(state.L, ref)
    }
}
