import Foundation

/// The LuaLS definition file (`---@meta`) of the runbook API: a class per option table and
/// table form, the API's tables, and every function with `---@param`, `---@return` and the
/// text of its entry in docs/lua-api.md as its doc comment.
package struct LuaLSStubs {
    package let api: HostAPI
    package let reference: APIReference

    package init(api: HostAPI = .builtIn, reference: APIReference = .builtIn) {
        self.api = api
        self.reference = reference
    }

    /// The definitions, as one Lua file.
    package var text: String {
        var lines = [
            "---@meta ldrun",
            "-- The runbook API of ldrun, for the Lua language server (LuaLS). Written by `ldrun stubs`",
            "-- from the API registry ldrun is built with: regenerate it, do not edit it.",
            "",
        ]
        lines += Self.valueClasses
        lines += optionClasses()
        lines += tables()
        for function in api.functions where function.origin != .standard {
            lines += definition(of: function)
        }
        for value in api.values {
            lines += comment(summary: value.summary, name: value.name)
            lines += ["---@type \(value.annotation)", "\(value.name) = nil", ""]
        }
        return lines.joined(separator: "\n")
    }

    /// The class the stubs declare for the table form of `function`.
    static func formClass(_ function: HostAPI.Function) -> String {
        let words = function.name.split(whereSeparator: { $0 == "." || $0 == "_" || $0 == ":" })
        return "ldrun." + words.map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined() + "Form"
    }

    private func optionClasses() -> [String] {
        var lines: [String] = []
        var declared: Set<String> = []
        func declare(_ name: String, _ options: [HostAPI.Option]) {
            guard declared.insert(name).inserted else { return }
            lines.append("---@class \(name)")
            for option in options {
                let type =
                    option.choices.isEmpty
                    ? option.type.annotation : option.choices.map { "\"\($0)\"" }.joined(separator: "|")
                lines.append("---@field \(option.name)\(option.required ? "" : "?") \(type) \(option.summary)")
            }
            lines.append("")
        }
        for function in api.functions {
            for parameter in function.parameters {
                if let options = parameter.options, let name = parameter.optionsClass { declare(name, options) }
            }
            if let form = function.tableForm { declare(Self.formClass(function), form) }
        }
        return lines
    }

    private func tables() -> [String] {
        var lines: [String] = []
        for table in api.globals where !api.fields(of: table).isEmpty {
            if table == "sim" {
                lines.append("---Only under `--simulate` (nil otherwise): the simulator's admin calls.")
            }
            lines += ["---@class ldrun.\(table)", "\(table) = {}", ""]
        }
        for type in Set(api.functions.filter { $0.origin == .method }.map { $0.name.prefix { $0 != ":" } }).sorted() {
            lines += ["---@class ldrun.\(type.prefix(1).uppercased() + type.dropFirst())", "local \(type) = {}", ""]
        }
        return lines
    }

    private func definition(of function: HostAPI.Function) -> [String] {
        var lines = comment(summary: nil, name: function.name)
        for parameter in function.parameters {
            let type = parameter.type == .table ? parameter.optionsClass ?? "table" : parameter.type.annotation
            lines.append("---@param \(parameter.name)\(parameter.optional ? "?" : "") \(type)")
        }
        if function.variadic { lines.append("---@param ... any") }
        for value in function.returns {
            lines.append("---@return \(value.annotation)" + (value.name.isEmpty ? "" : " \(value.name)"))
        }
        if function.tableForm != nil {
            let returns = function.returns.map(\.annotation).joined(separator: ", ")
            lines.append(
                "---@overload fun(form: \(Self.formClass(function)))" + (returns.isEmpty ? "" : ": \(returns)"))
        }
        let names = function.parameters.map(\.name) + (function.variadic ? ["..."] : [])
        lines.append("function \(function.name)(\(names.joined(separator: ", "))) end")
        lines.append("")
        return lines
    }

    /// The entry's text from docs/lua-api.md (without its heading), else `summary`, as
    /// `---` lines.
    private func comment(summary: String?, name: String) -> [String] {
        var text = summary ?? ""
        if let entry = reference.entry(named: name) {
            text = entry.text.split(separator: "\n", omittingEmptySubsequences: false).dropFirst()
                .joined(separator: "\n").trimmingCharacters(in: .newlines)
        }
        guard !text.isEmpty else { return [] }
        return Self.unlinked(text).split(separator: "\n", omittingEmptySubsequences: false).map { "---" + $0 }
    }

    /// Markdown links within the docs (`[release table](#values)`) as their text: the
    /// anchors mean nothing in an editor's hover.
    static func unlinked(_ text: String) -> String {
        var result = ""
        var rest = Substring(text)
        while let open = rest.range(of: "]("), let close = rest[open.upperBound...].firstIndex(of: ")") {
            let target = rest[open.upperBound..<close]
            let bracket = rest[..<open.lowerBound].lastIndex(of: "[")
            guard let bracket, !target.contains("://") else {
                result += rest[..<rest.index(after: close)]
                rest = rest[rest.index(after: close)...]
                continue
            }
            result += rest[..<bracket] + rest[rest.index(after: bracket)..<open.lowerBound]
            rest = rest[rest.index(after: close)...]
        }
        return result + rest
    }

    /// The shapes of the values the API returns.
    static let valueClasses = [
        "---@class ldrun.Release: table",
        "---@field _project string the project (added by ldrun)",
        "---@field _flag string the flag key (added by ldrun)",
        "---@field _version integer",
        "---@field phases ldrun.Phase[]",
        "",
        "---@class ldrun.Phase: table",
        "---@field _id string",
        "---@field _name string",
        "---@field status string as LaunchDarkly sent it (ask phase.state, not this)",
        "---@field complete boolean",
        "---@field started boolean",
        "",
        "---@class ldrun.Pipeline: table",
        "---@field key string",
        "---@field name string",
        "---@field phases table[]",
        "",
        "---@class ldrun.ReleaseProgress: table",
        "---@field items table[]",
        "---@field phases table[]",
        "---@field totalCount integer",
        "",
        "---@class ldrun.Error: table",
        "---@field code string stable and machine-readable",
        "---@field message string",
        "---@field where? string",
        "",
        "---@class ldrun.JSONNull: userdata",
        "",
        "---@alias ldrun.ReleaseStatus \"not_started\"|\"in_progress\"|\"ready\"|\"paused\"|\"complete\"|\"canceled\"",
        "---@alias ldrun.PhaseState \"not_started\"|\"ready\"|\"active\"|\"rolled_out\"|\"paused\"|\"complete\"",
        "",
    ]
}
