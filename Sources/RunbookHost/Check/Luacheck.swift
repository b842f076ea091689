import Foundation

/// luacheck, run on runbooks with ldrun's standard (``EditorSettings/luacheckrc(api:)``), for
/// the general lint ldrun does not do itself: unused variables, shadowing, unreachable code.
package struct Luacheck: Sendable {
    /// The luacheck executable.
    package let executable: String

    package init(executable: String) {
        self.executable = executable
    }

    /// Why luacheck could not give an answer.
    package struct Failure: Error, CustomStringConvertible {
        package let description: String
    }

    /// The first `luacheck` in `path` (a `PATH` value), if any.
    package static func find(inPath path: String?) -> Luacheck? {
        for folder in (path ?? "").split(separator: ":") where !folder.isEmpty {
            let candidate = folder.hasSuffix("/") ? "\(folder)luacheck" : "\(folder)/luacheck"
            if FileManager.default.isExecutableFile(atPath: candidate) { return Luacheck(executable: candidate) }
        }
        return nil
    }

    /// luacheck's warnings for `files`, by file, as problems (`(W211) unused variable 'x'`).
    package func problems(in files: [String], api: HostAPI = .builtIn) throws(Failure) -> [String: [CheckProblem]] {
        guard !files.isEmpty else { return [:] }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ldrun-check-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let config = folder.appendingPathComponent("luacheckrc")
        let errors = folder.appendingPathComponent("stderr")
        let output = Pipe()
        let process = Process()
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try Data(EditorSettings.luacheckrc(api: api).utf8).write(to: config)
            _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = ["--config", config.path, "--formatter", "plain", "--codes", "--"] + files
            process.standardOutput = output
            process.standardError = try FileHandle(forWritingTo: errors)
            process.standardInput = FileHandle.nullDevice
            try process.run()
        } catch {
            throw Failure(description: "cannot run \(executable): \(error.localizedDescription)")
        }
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        // 0: clean, 1: warnings, 2: syntax errors; anything else is luacheck failing.
        guard process.terminationReason == .exit, process.terminationStatus <= 2 else {
            let reason = (try? String(contentsOf: errors, encoding: .utf8)) ?? ""
            throw Failure(
                description: "\(executable) failed (status \(process.terminationStatus))"
                    + (reason.isEmpty ? "" : ": " + reason.trimmingCharacters(in: .whitespacesAndNewlines)))
        }
        return Self.parse(text, files: files)
    }

    /// Lines of luacheck's plain format, `file:line:col: (W113) message`, by file.
    static func parse(_ text: String, files: [String]) -> [String: [CheckProblem]] {
        var problems: [String: [CheckProblem]] = [:]
        for line in text.split(separator: "\n") {
            // The longest file name that prefixes the line (names may contain ':').
            guard let file = files.filter({ line.hasPrefix($0 + ":") }).max(by: { $0.count < $1.count }) else {
                continue
            }
            let rest = line.dropFirst(file.count + 1)
            let parts = rest.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count == 3, let number = Int(parts[0]), let column = Int(parts[1]) else { continue }
            let message = parts[2].trimmingCharacters(in: .whitespaces)
            problems[file, default: []].append(
                CheckProblem(line: number, column: column, message: message, source: .lint))
        }
        return problems
    }
}
