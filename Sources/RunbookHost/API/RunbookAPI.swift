import LuaBridge

/// Installs the whole runbook API into a run's Lua state (DESIGN §5's table).
enum RunbookAPI {
    static func install(_ context: RunContext, folders: [String]) throws(LuaError) {
        ReleaseAPI.register(context)
        PhaseAPI.register(context)
        PipelineAPI.register(context)
        TaskAPI.register(context)
        OperatorAPI.register(context)
        JSONAPI.register(context)
        try ContextAPI.register(context)
        try ModuleSearcher.install(context, folders: folders)
        try Sandbox.install(context)
        try Prelude.load(into: context.state)
    }
}
