import Foundation

// Writes a Swift file that holds Lua sources as string literals, so ldrun carries its
// prelude and its runbook library inside the binary. Run by the EmbedLua build plugin:
//
//   EmbedLuaTool OUTPUT PRELUDE_DIR LIBRARY_DIR REFERENCE_MD

let arguments = CommandLine.arguments
guard arguments.count == 5 else {
    FileHandle.standardError.write(Data("usage: EmbedLuaTool OUTPUT PRELUDE_DIR LIBRARY_DIR REFERENCE_MD\n".utf8))
    exit(2)
}
let output = URL(fileURLWithPath: arguments[1])
let preludeDirectory = URL(fileURLWithPath: arguments[2])
let libraryDirectory = URL(fileURLWithPath: arguments[3])
let referenceFile = URL(fileURLWithPath: arguments[4])

/// Every `.lua` file under `directory`, as (path relative to it without extension, contents);
/// a library's tests (`*_test.lua`) stay out of the binary.
func luaFiles(in directory: URL) throws -> [(String, String)] {
    guard let walker = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil) else {
        return []
    }
    var files: [(String, String)] = []
    let base = directory.standardizedFileURL.path + "/"
    for case let url as URL in walker where url.pathExtension == "lua" && !url.lastPathComponent.hasSuffix("_test.lua")
    {
        let relative = String(url.standardizedFileURL.deletingPathExtension().path.dropFirst(base.count))
        files.append((relative, try String(contentsOf: url, encoding: .utf8)))
    }
    return files.sorted { $0.0 < $1.0 }
}

/// A raw string literal holding `text` exactly.
func literal(_ text: String) -> String {
    var hashes = "#"
    while text.contains("\"" + hashes) { hashes += "#" }
    return "\(hashes)\"\"\"\n\(text)\(text.hasSuffix("\n") ? "" : "\n")\"\"\"\(hashes)"
}

do {
    // wait_until first: parallel and the library use it.
    let prelude = try luaFiles(in: preludeDirectory).sorted { first, second in
        (first.0 == "wait_until" ? 0 : 1, first.0) < (second.0 == "wait_until" ? 0 : 1, second.0)
    }
    let library = try luaFiles(in: libraryDirectory)
    var swift = """
        // Generated at build time by EmbedLuaTool from Sources/RunbookHost/Prelude, runbooks/lib
        // and docs/lua-api.md.

        /// Lua sources compiled into ldrun: the prelude and the shipped runbook library.
        enum EmbeddedLibrary {
            /// Prelude chunks, in load order: (name, source).
            static let prelude: [(String, String)] = [

        """
    for (name, source) in prelude { swift += "(\"\(name)\", \(literal(source))),\n" }
    swift += "]\n\n    /// Library modules by path without extension (`ldrun/promote`).\n"
    swift += "    static let modules: [String: String] = [\n"
    for (name, source) in library { swift += "\"\(name)\": \(literal(source)),\n" }
    if library.isEmpty { swift += ":" }
    swift += "]\n\n    /// docs/lua-api.md, for the REPL's `:help`.\n"
    swift += "    static let reference: String = \(literal(try String(contentsOf: referenceFile, encoding: .utf8)))\n"
    swift += "}\n"
    try swift.write(to: output, atomically: true, encoding: .utf8)
} catch {
    FileHandle.standardError.write(Data("EmbedLuaTool: \(error)\n".utf8))
    exit(1)
}
