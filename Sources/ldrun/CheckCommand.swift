import ArgumentParser
import Foundation
import RunbookHost

/// `ldrun check FILE...`: problems in runbooks, found without running them.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Find problems in runbooks without running them.",
        discussion: """
            Prints one line per problem, as FILE:LINE:COLUMN: MESSAGE, for an editor or CI: \
            syntax errors; unknown globals and misspelt API names (phase.strat: did you mean \
            'start'?); wrong argument counts and literal types in calls of ldrun's functions; \
            unknown keys in option tables and table forms ({timout = "5m"}); malformed duration \
            literals (sleep("5mins")). Globals a file assigns or defines itself are known. \
            When luacheck is installed (Debian: lua-check), its lint is added, run with ldrun's \
            standard (the luacheckrc that `ldrun stubs` writes); its lines carry luacheck's \
            code, as in (W211). A folder is searched for *.lua files. Exit status: 0 when no \
            file has a problem, 1 when one has, 2 for a usage error (such as a missing file, or a folder without *.lua files).
            """
    )

    @Argument(help: "Runbooks and modules to check, or folders of them.")
    var paths: [String]

    @Flag(help: "Run only ldrun's own checks, even when luacheck is installed.")
    var noLuacheck = false

    @Option(help: ArgumentHelp("The luacheck to run (default: luacheck on PATH).", valueName: "path"))
    var luacheck: String?

    func run() throws {
        let files: [(path: String, bytes: [UInt8])]
        switch CheckFiles.collect(paths) {
        case .success(let collected): files = collected
        case .failure(let problem): throw Self.usage(problem.message)
        }
        var tool: Luacheck?
        if let luacheck, !noLuacheck {
            guard FileManager.default.isExecutableFile(atPath: luacheck) else {
                throw Self.usage("--luacheck \(luacheck): not an executable file")
            }
            tool = Luacheck(executable: luacheck)
        } else if !noLuacheck {
            tool = Luacheck.find(inPath: ProcessInfo.processInfo.environment["PATH"])
        }
        let results: [(file: String, problems: [CheckProblem])]
        do {
            results = try CheckRun.problems(in: files, luacheck: tool)
        } catch {
            throw Self.usage("\(error.description) (--no-luacheck runs ldrun's own checks only)")
        }
        var count = 0
        for (file, problems) in results {
            for problem in problems { print(problem.formatted(file: file)) }
            count += problems.count
        }
        throw ExitCode(count == 0 ? 0 : 1)
    }

    static func usage(_ message: String) -> ExitCode {
        FileHandle.standardError.write(Data("ldrun check: \(message)\n".utf8))
        return ExitCode(2)
    }
}

/// The files `ldrun check` reads: each path given, and the `*.lua` files under each folder
/// given (sorted, hidden folders skipped).
enum CheckFiles {
    struct Problem: Error {
        let message: String
    }

    static func collect(_ paths: [String]) -> Result<[(path: String, bytes: [UInt8])], Problem> {
        var files: [(path: String, bytes: [UInt8])] = []
        let manager = FileManager.default
        for path in paths {
            var isFolder: ObjCBool = false
            guard manager.fileExists(atPath: path, isDirectory: &isFolder) else {
                return .failure(Problem(message: "\(path): no such file or folder"))
            }
            var names = [path]
            if isFolder.boolValue {
                let found = (manager.enumerator(atPath: path)?.allObjects as? [String]) ?? []
                names = found.filter {
                    $0.hasSuffix(".lua") && !$0.split(separator: "/").contains { $0.hasPrefix(".") }
                }
                .sorted().map { path.hasSuffix("/") ? path + $0 : path + "/" + $0 }
                // A folder with nothing to check is more likely a wrong path than a clean one.
                guard !names.isEmpty else { return .failure(Problem(message: "\(path): no *.lua files in the folder")) }
            }
            for name in names {
                guard let data = manager.contents(atPath: name) else {
                    return .failure(Problem(message: "\(name): cannot read the file"))
                }
                files.append((name, [UInt8](data)))
            }
        }
        return .success(files)
    }
}
