import ArgumentParser
import Foundation
import RunbookHost

/// `ldrun stubs [FOLDER]`: editor definitions of the runbook API, and a luacheck standard.
struct StubsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stubs",
        abstract: "Write LuaLS definitions and a luacheck standard of ldrun's API.",
        discussion: """
            Writes into FOLDER (default .ldrun/stubs): ldrun.lua, a ---@meta file of every \
            function, table, option and value of the runbook API, with types and the reference's \
            text, for the Lua language server (LuaLS); luarc.json, settings to merge into the \
            project's .luarc.json (workspace.library points at FOLDER); and luacheckrc, a \
            luacheck configuration with ldrun's globals and their fields (luacheck --config \
            FOLDER/luacheckrc runbooks). Existing files of those names are replaced. Run it again \
            after upgrading ldrun.
            """
    )

    @Argument(help: "The folder to write into.")
    var folder: String = ".ldrun/stubs"

    func run() throws {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), !isFolder.boolValue {
            FileHandle.standardError.write(Data("ldrun stubs: \(folder) exists and is not a folder\n".utf8))
            throw ExitCode(2)
        }
        if let problem = FilePaths.makeFolders(folder) {
            throw Self.failure("cannot create \(problem.folder): \(problem.reason)")
        }
        for file in EditorSettings.files(folder: folder) {
            let path = folder.hasSuffix("/") ? folder + file.name : folder + "/" + file.name
            guard FileManager.default.createFile(atPath: path, contents: Data(file.text.utf8)) else {
                throw Self.failure("cannot write \(path)")
            }
            print("wrote \(path)")
        }
    }

    static func failure(_ message: String) -> ExitCode {
        FileHandle.standardError.write(Data("ldrun stubs: \(message)\n".utf8))
        return ExitCode(1)
    }
}
