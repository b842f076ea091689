/// `ldrun check` over a set of files: ldrun's own checks of each (``RunbookChecker``), plus
/// luacheck's lint when a luacheck is given. A file that does not compile gets only its
/// syntax error. Where luacheck and ldrun report the same unknown name on a line, ldrun's
/// report stays (it says what was probably meant).
package enum CheckRun {
    /// The problems of each file, in the order given, each file's in source order. Test files
    /// (`*_test.lua`) are checked against `testAPI`, the others against `api`.
    package static func problems(
        in files: [(path: String, bytes: [UInt8])], luacheck: Luacheck?, api: HostAPI = .builtIn,
        testAPI: HostAPI = .testFile
    ) throws(Luacheck.Failure) -> [(file: String, problems: [CheckProblem])] {
        // Test files (`*_test.lua`) are read with `testAPI`, which also knows `test`.
        let checker = RunbookChecker(api: api)
        let testChecker = RunbookChecker(api: testAPI)
        let own = files.map { file in
            (
                file: file.path,
                problems: (HostAPI.isTestFile(file.path) ? testChecker : checker).problems(in: file.bytes)
            )
        }
        let compiling = own.filter { !$0.problems.contains { $0.source == .syntax } }.map(\.file)
        var lint = try luacheck?.problems(in: compiling.filter { !HostAPI.isTestFile($0) }, api: api) ?? [:]
        let tests = compiling.filter(HostAPI.isTestFile)
        if !tests.isEmpty, let luacheck {
            lint.merge(try luacheck.problems(in: tests, api: testAPI)) { first, _ in first }
        }
        return own.map { file, problems in
            let extra = (lint[file] ?? []).filter { !duplicates($0, problems) }
            let merged = (problems + extra).sorted(by: CheckProblem.inSourceOrder)
            return (file, merged)
        }
    }

    /// Whether a luacheck warning about an undefined name (W112, W113, W143) is one ldrun
    /// reported on the same line.
    static func duplicates(_ lint: CheckProblem, _ own: [CheckProblem]) -> Bool {
        guard ["(W112)", "(W113)", "(W143)"].contains(where: { lint.message.hasPrefix($0) }) else { return false }
        let quoted = lint.message.split(separator: "'", omittingEmptySubsequences: false)
        guard quoted.count >= 3 else { return false }
        let name = "'\(quoted[1])'"
        return own.contains { $0.line == lint.line && $0.message.contains(name) }
    }
}
