import Foundation
import PackagePlugin

/// Compiles the runbook host's Lua prelude (`Sources/RunbookHost/Prelude`), the shipped
/// runbook library (`runbooks/lib`) and the API reference (`docs/lua-api.md`, for the
/// REPL's `:help`) into the target as string literals, at build time.
@main
struct EmbedLua: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: any Target) async throws -> [Command] {
        let prelude = target.directoryURL.appending(path: "Prelude")
        let library = context.package.directoryURL.appending(path: "runbooks/lib")
        let reference = context.package.directoryURL.appending(path: "docs/lua-api.md")
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedLibrary.swift")
        return [
            .buildCommand(
                displayName: "Embedding the Lua prelude, runbook library and API reference",
                executable: try context.tool(named: "EmbedLuaTool").url,
                arguments: [output.path, prelude.path, library.path, reference.path],
                inputFiles: luaFiles(in: prelude) + luaFiles(in: library) + [reference],
                outputFiles: [output]
            )
        ]
    }

    private func luaFiles(in directory: URL) -> [URL] {
        guard let walker = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil) else {
            return []
        }
        return walker.compactMap { $0 as? URL }.filter {
            $0.pathExtension == "lua" && !$0.lastPathComponent.hasSuffix("_test.lua")
        }
    }
}
