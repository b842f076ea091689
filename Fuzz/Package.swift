// swift-tools-version:6.1
// libFuzzer targets for ldrun's parsers: one executable per target, built and run by
// `scripts/fuzz` with coverage instrumentation and AddressSanitizer. Kept out of the main
// package so its build and tests are not affected.
import PackageDescription

/// A fuzz target: `Sources/NAME/main.swift` hands its test function to libFuzzer.
func fuzzTarget(_ name: String, _ dependencies: [Target.Dependency]) -> Target {
    .executableTarget(name: name, dependencies: ["FuzzSupport"] + dependencies)
}

let package = Package(
    name: "ldrun-fuzz",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "ldrun", path: ".."),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    ],
    targets: [
        .target(name: "FuzzSupport"),
        fuzzTarget("FuzzJSON", [.product(name: "ReleaseCore", package: "ldrun")]),
        fuzzTarget("FuzzLuaJSON", [.product(name: "RunbookHost", package: "ldrun")]),
        fuzzTarget(
            "FuzzDurations",
            [
                .product(name: "RunbookHost", package: "ldrun"),
                .product(name: "ReleaseSimulator", package: "ldrun"),
            ]),
        fuzzTarget("FuzzRunbookArguments", [.product(name: "RunbookHost", package: "ldrun")]),
        fuzzTarget(
            "FuzzRateLimitHeaders",
            [
                .product(name: "ReleaseCore", package: "ldrun"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]),
        fuzzTarget("FuzzFaultSpec", [.product(name: "ReleaseSimulator", package: "ldrun")]),
    ],
    // The harnesses block on async work from libFuzzer's synchronous callback.
    swiftLanguageModes: [.v5]
)
