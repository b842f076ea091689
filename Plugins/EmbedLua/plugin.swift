import Foundation
import PackagePlugin

/// Compiles the runbook host's Lua prelude (`Sources/RunbookHost/Prelude`) and the shipped
/// runbook library (`runbooks/lib`) into the target as string literals, at build time.
@main
struct EmbedLua: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: any Target) async throws -> [Command] {
        let prelude = target.directoryURL.appending(path: "Prelude")
        let library = context.package.directoryURL.appending(path: "runbooks/lib")
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedLibrary.swift")
        return [
            .buildCommand(
                displayName: "Embedding the Lua prelude and runbook library",
                executable: try context.tool(named: "EmbedLuaTool").url,
                arguments: [output.path, prelude.path, library.path],
                inputFiles: luaFiles(in: prelude) + luaFiles(in: library),
                outputFiles: [output]
            )
        ]
    }

    private func luaFiles(in directory: URL) -> [URL] {
        guard let walker = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil) else {
            return []
        }
        return walker.compactMap { $0 as? URL }.filter { $0.pathExtension == "lua" }
    }
}
