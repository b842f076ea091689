import Foundation
import LuaBridge

/// Counts live ``Tracked`` objects, to prove the bridge releases what it holds.
final class LiveObjects {
    var count = 0
}

/// An object that registers itself with a ``LiveObjects`` while alive.
final class Tracked {
    let live: LiveObjects

    init(_ live: LiveObjects) {
        self.live = live
        live.count += 1
    }

    deinit { live.count -= 1 }
}

extension LuaState {
    /// Runs a chunk named `@test.lua`, so errors read `test.lua:N:`.
    @discardableResult
    func run(_ source: String) throws(LuaError) -> [LuaValue] {
        try execute(source, chunkName: "@test.lua")
    }
}

/// Writes bytes to a new temporary file and returns its path.
func temporaryFile(_ bytes: [UInt8], suffix: String = ".lua") throws -> String {
    let path = FileManager.default.temporaryDirectory
        .appendingPathComponent("ldrun-test-\(UUID().uuidString)\(suffix)").path
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    return path
}
