import LuaBridge

/// The Lua half of the runbook API (`wait_until`, `parallel`), compiled into ldrun and
/// loaded with `@ldrun/...` chunk names so tracebacks read well.
enum Prelude {
    static func load(into state: LuaState) throws(LuaError) {
        for (name, source) in EmbeddedLibrary.prelude {
            try state.execute(source, chunkName: "@ldrun/\(name).lua")
        }
    }
}
