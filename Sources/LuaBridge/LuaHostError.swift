/// An error a Swift host function raises into Lua.
///
/// It reaches Lua as a table `{code=, message=, where=, ...fields}` whose `__tostring`
/// renders `where: message`, so a runbook can `pcall` and branch on `err.code`, and an
/// uncaught one still prints well.
public struct LuaHostError: Error, CustomStringConvertible, Sendable {
    /// A stable, machine-readable code such as `"bad_argument"` or `"not_found"`.
    public var code: String
    /// A human-readable message.
    public var message: String
    /// Extra fields copied into the error table (`status`, `operation`, ...).
    public var fields: [String: LuaValue]

    /// `bad argument #i to 'function' (message)`, code `bad_argument`, as Lua words it.
    public static func badArgument(_ index: Int32, to function: String, _ message: String) -> LuaHostError {
        LuaHostError(
            code: "bad_argument", message: "bad argument #\(index) to '\(function)' (\(message))",
            fields: ["argument": .integer(Int64(index)), "function": .string(function)])
    }

    public init(code: String, message: String, fields: [String: LuaValue] = [:]) {
        self.code = code
        self.message = message
        self.fields = fields
    }

    public var description: String { message }
}

/// An error type that knows how it should look in Lua. Errors thrown by host functions
/// that do not conform become a `host_error` table carrying their description.
public protocol LuaErrorConvertible: Error {
    /// The Lua error table for this error.
    var luaHostError: LuaHostError { get }
}

extension LuaHostError: LuaErrorConvertible {
    public var luaHostError: LuaHostError { self }
}
