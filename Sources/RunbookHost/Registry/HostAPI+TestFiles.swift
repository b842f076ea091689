/// What a runbook test file (`*_test.lua`, run by `ldrun test`) has on top of the runbook
/// API: `test` and `test.skip`, which register tests. `ldrun check` reads test files with
/// this API, so `test` is not an unknown global there (and stays one in runbooks).
extension HostAPI {
    /// The runbook API plus `test(name [, scenario], fn)` and `test.skip`.
    package static let testFile = HostAPI(
        functions: HostAPIEntries.functions + HostAPIEntries.testFunctions, values: HostAPIEntries.values)

    /// Whether `path` names a test file, which ``testFile`` describes.
    package static func isTestFile(_ path: String) -> Bool { path.hasSuffix("_test.lua") }
}

extension HostAPIEntries {
    static let scenarioOrBody = HostAPI.ValueType(
        "table|fun(t: table)", [.table, .function], expected: "scenario table or function")

    static let testFunctions: [HostAPI.Function] = [
        function(
            "test", "test(name [, scenario], fn)",
            [
                parameter("name", .string), parameter("scenario", scenarioOrBody),
                parameter("fn", .function, optional: true),
            ],
            origin: .prelude),
        function(
            "test.skip", "test.skip(name [, scenario], fn)",
            [
                parameter("name", .string), parameter("scenario", scenarioOrBody),
                parameter("fn", .function, optional: true),
            ],
            origin: .prelude),
    ]
}
