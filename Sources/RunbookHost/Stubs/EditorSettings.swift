import ReleaseCore

/// The settings `ldrun stubs` writes beside the LuaLS definitions: a `.luarc.json` snippet
/// for the Lua language server and a luacheck configuration whose standard lists ldrun's
/// globals and their fields. `ldrun check` runs luacheck with the same configuration.
package enum EditorSettings {
    /// The files `ldrun stubs` writes into its folder, by name.
    package static func files(folder: String, api: HostAPI = .builtIn) -> [(name: String, text: String)] {
        [
            (name: "ldrun.lua", text: LuaLSStubs(api: api).text),
            (name: "luarc.json", text: luarc(folder: folder, api: api)),
            (name: "luacheckrc", text: luacheckrc(api: api)),
            (name: "ldrun-test.lua", text: TestFileStubs.text),
        ]
    }

    /// A `.luarc.json` that points LuaLS at the definitions in `folder`.
    package static func luarc(folder: String, api: HostAPI = .builtIn) -> String {
        let globals = api.globals.map { JSONValue.string($0).serialized() }.joined(separator: ", ")
        return """
            {
              "runtime.version": "Lua 5.4",
              "workspace.library": [\(JSONValue.string(folder).serialized())],
              "diagnostics.globals": [\(globals)]
            }

            """
    }

    /// A luacheck configuration: the `ldrun` standard (Lua 5.4's globals as ldrun's sandbox
    /// leaves them, and ldrun's own, with the fields of every table), globals a runbook
    /// defines at its top level allowed, no limit on line length.
    package static func luacheckrc(api: HostAPI = .builtIn) -> String {
        var lines = [
            "-- luacheck settings for ldrun runbooks, written by `ldrun stubs`; `ldrun check` uses the same.",
            "-- Use it as it is (luacheck --config .ldrun/stubs/luacheckrc runbooks) or copy it into .luacheckrc.",
            "-- A field that may be indexed further (package.loaded.x, io.stdout:write, ldrun.runbook:match).",
            "local any = {other_fields = true}",
            "stds.ldrun = {",
            "  read_globals = {",
            "    -- Lua 5.4, as ldrun's sandbox leaves it.",
            "    _G = {other_fields = true, read_only = false},",
        ]
        lines += LuaStandardNames.globals.filter { $0 != "_G" }.map { "    \"\($0)\"," }
        for table in LuaStandardNames.tables.keys.sorted() {
            // A field of a standard table may be a table or a file (package.loaded, io.stdout).
            let fields = (LuaStandardNames.tables[table] ?? []).map { "\($0) = any" }
            lines.append("    \(table) = {fields = {\(fields.joined(separator: ", "))}},")
        }
        lines.append("    -- ldrun.")
        let values = Set(api.values.map(\.name))
        for global in api.globals {
            let fields = api.fields(of: global)
            if global == "args" {
                lines.append("    args = {other_fields = true},")
            } else if fields.isEmpty {
                lines.append("    \"\(global)\",")
            } else {
                // A value (ldrun.runbook) has methods of its own (ldrun.runbook:match); a function has none.
                let list = fields.map { values.contains("\(global).\($0)") ? "\($0) = any" : "\($0) = {}" }
                lines.append("    \(global) = {fields = {\(list.joined(separator: ", "))}},")
            }
        }
        lines += [
            "  },",
            "}",
            "std = \"ldrun\"",
            "-- Test files (ldrun test) also have test and test.skip.",
            "files[\"**/*_test.lua\"] = {read_globals = {test = {fields = {skip = {}}}}}",
            "allow_defined_top = true",
            "max_line_length = false",
            "",
        ]
        return lines.joined(separator: "\n")
    }
}
