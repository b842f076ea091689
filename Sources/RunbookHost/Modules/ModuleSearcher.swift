import Foundation
import LuaBridge

/// `require` for runbooks: text modules only, searched in `--lib` folders, `LDRUN_PATH`,
/// the runbook's own folder, then the library compiled into ldrun. A missing module's
/// error lists every place searched.
enum ModuleSearcher {
    static func install(_ context: RunContext, folders: [String]) throws(LuaError) {
        let state = context.state
        state.register("ldrun.search_module") { call in
            let name = try call.string(at: 1)
            let relative = name.replacingOccurrences(of: ".", with: "/")
            var tried: [String] = []
            for folder in folders {
                for candidate in ["\(folder)/\(relative).lua", "\(folder)/\(relative)/init.lua"] {
                    guard FileManager.default.fileExists(atPath: candidate) else {
                        tried.append(candidate)
                        continue
                    }
                    return try load(call, path: candidate) { state throws(LuaError) in
                        try state.load(contentsOfFile: candidate)
                    }
                }
            }
            if let source = EmbeddedLibrary.modules[relative] ?? EmbeddedLibrary.modules[relative + "/init"] {
                let chunk = "@ldrun/lib/\(relative).lua"
                return try load(call, path: String(chunk.dropFirst())) { state throws(LuaError) in
                    try state.load(source, chunkName: chunk)
                }
            }
            tried.append("(ldrun's built-in library)")
            // Lua's `require` puts "\n\t" before each searcher's message itself.
            return .values([.string(tried.map { "no file '\($0)'" }.joined(separator: "\n\t"))])
        }
        // Keep package.preload, then ours; drop the C and default Lua searchers. A module that
        // does not compile is reported at the `require` call (3 levels up: this searcher,
        // `require`, its caller), not inside this chunk.
        try state.execute(
            """
            local search, raise = ldrun.search_module, ldrun.error
            ldrun.search_module = nil
            package.cpath = ""
            package.path = ""
            package.searchers = { package.searchers[1], function(name)
              local ok, loader, path = pcall(search, name)
              if ok then return loader, path end
              if type(loader) == "table" and loader.code == "module_error" then
                error(raise(loader.code, loader.message, nil, 3), 0)
              end
              error(loader, 0)
            end }
            """,
            chunkName: "=ldrun/modules"
        )
    }

    private static func load(
        _ call: HostCall, path: String, _ compile: (LuaState) throws(LuaError) -> LuaReference
    ) throws(LuaHostError) -> HostResult {
        do {
            let chunk = try compile(call.state)
            call.stack.push(chunk)
            try call.stack.push(.string(path))
            return .pushed(2)
        } catch {
            throw LuaHostError(code: "module_error", message: "error loading module from \(path): \(error.message)")
        }
    }
}
