// swift-tools-version:6.1
import PackageDescription

let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "ldrun",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "ldrun", targets: ["ldrun"]),
        .library(name: "RunbookHost", targets: ["RunbookHost"]),
        .library(name: "ReleaseCore", targets: ["ReleaseCore"]),
        .library(name: "ReleaseSimulator", targets: ["ReleaseSimulator"]),
        .library(name: "RunbookTesting", targets: ["RunbookTesting"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
    ],
    targets: [
        // Lua 5.4 as Debian ships it (liblua5.4-dev).
        .systemLibrary(
            name: "CLua",
            pkgConfig: "lua5.4",
            providers: [.apt(["liblua5.4-dev"])]
        ),
        // libedit, for the REPL's line editing and history (libedit-dev).
        .systemLibrary(
            name: "CEdit",
            pkgConfig: "libedit",
            providers: [.apt(["libedit-dev"])]
        ),
        // The C side of the bridge: the host-function trampoline, the message handler,
        // wrappers of Lua macros, and everything that may longjmp.
        .target(name: "LuaShim", dependencies: ["CLua"]),
        // How JSON spells strings and numbers, and UTF-8 validation, shared by the core's
        // serializer and parser and the bridge's encoder.
        .target(name: "JSONText", swiftSettings: strictSettings),
        .target(
            name: "LuaBridge",
            dependencies: ["CLua", "LuaShim", "JSONText"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "ReleaseCore",
            dependencies: [
                "JSONText",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "ReleaseSimulator",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "RunbookHost",
            dependencies: [
                "LuaBridge",
                "ReleaseCore",
                .product(name: "Logging", package: "swift-log"),
            ],
            // The prelude's Lua sources (and runbooks/lib) are compiled in by the EmbedLua plugin.
            exclude: ["Prelude"],
            swiftSettings: strictSettings,
            plugins: ["EmbedLua"]
        ),
        // `ldrun test`: runbook tests against an in-process simulator on a virtual clock.
        .target(
            name: "RunbookTesting",
            dependencies: ["RunbookHost", "LuaBridge", "ReleaseCore", "ReleaseSimulator"],
            swiftSettings: strictSettings
        ),
        .executableTarget(name: "EmbedLuaTool", swiftSettings: strictSettings),
        .plugin(name: "EmbedLua", capability: .buildTool(), dependencies: ["EmbedLuaTool"]),
        .executableTarget(
            name: "ldrun",
            dependencies: [
                "RunbookHost",
                "RunbookTesting",
                "LuaBridge",
                "ReleaseCore",
                "ReleaseSimulator",
                "CEdit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        // Proves the embedding guide's example compiles (docs/embedding.md).
        .executableTarget(
            name: "EmbeddingExample",
            dependencies: ["RunbookHost", "ReleaseSimulator"],
            path: "Examples/Embedding",
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "LuaBridgeTests",
            dependencies: ["LuaBridge"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "ReleaseCoreTests",
            dependencies: [
                "JSONText",
                "ReleaseCore",
                "ReleaseSimulator",
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "ReleaseSimulatorTests",
            dependencies: [
                "ReleaseSimulator",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "RunbookHostTests",
            dependencies: ["RunbookHost", "LuaBridge", "ReleaseCore", "ReleaseSimulator"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "RunbookTestingTests",
            dependencies: ["RunbookTesting", "RunbookHost", "ReleaseSimulator"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "LdrunTests",
            dependencies: ["ldrun", "ReleaseSimulator"],
            swiftSettings: strictSettings
        ),
    ]
)
