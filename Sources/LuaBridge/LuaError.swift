/// An error reported by Lua to Swift: a syntax error, an uncaught runtime error, a value
/// that cannot cross the bridge, or a state that could not be created.
public struct LuaError: Error, CustomStringConvertible, Sendable {
    /// What kind of failure this is. New kinds can be added without breaking callers.
    public struct Kind: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String {
            case syntax, runtime, memory, messageHandler, conversion, file
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// A chunk did not compile (or was a binary chunk, which is refused).
        public static let syntax = Kind(.syntax)
        /// Lua code raised an error that nothing caught.
        public static let runtime = Kind(.runtime)
        /// Lua ran out of memory.
        public static let memory = Kind(.memory)
        /// The message handler itself failed.
        public static let messageHandler = Kind(.messageHandler)
        /// A value could not be converted between Lua and Swift.
        public static let conversion = Kind(.conversion)
        /// A chunk file could not be read.
        public static let file = Kind(.file)

        public var description: String { base.rawValue }
    }

    /// What kind of failure this is.
    public var kind: Kind
    /// The error as `tostring` renders it (for host errors: `file:line: message`).
    public var message: String
    /// The error object converted to Swift when it could be (host error tables keep their fields).
    public var value: LuaValue?
    /// The Lua traceback at the point of the error, when one was recorded.
    public var traceback: String?

    public init(kind: Kind, message: String, value: LuaValue? = nil, traceback: String? = nil) {
        self.kind = kind
        self.message = message
        self.value = value
        self.traceback = traceback
    }

    /// The `code` field of a host error table (`"not_found"`, `"timeout"`, ...).
    public var code: String? { value?["code"].stringValue }

    public var description: String {
        guard let traceback, !traceback.isEmpty else { return message }
        return message + "\n" + traceback
    }
}
