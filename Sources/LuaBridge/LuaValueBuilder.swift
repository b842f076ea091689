import CLua
import LuaShim

/// Builds Lua values piece by piece, for one protected push (``LuaStack/push(built:)``):
/// for a converter that walks a tree of its own (JSON) and would otherwise build a
/// ``LuaValue`` tree only to have it flattened again.
///
/// Add a value with the `add` methods. A list: ``beginList(count:)``, then each element
/// followed by ``setElement(_:)``, then ``endList()``. A table: ``beginTable(count:)``,
/// then for each entry its key and its value followed by ``setField()``.
public struct LuaValueBuilder {
    var builder: ValueBuilder
    private var depth = 0

    /// A builder for values nested at most `maxDepth` levels (the state's
    /// `maxConversionDepth` is the usual limit).
    public init(maxDepth: Int) {
        builder = ValueBuilder(maxDepth: maxDepth)
    }

    /// A builder whose strings are already in `bytes` (added with ``addString(at:count:)``,
    /// so they are not copied again), with room for about `values` values.
    public init(maxDepth: Int, bytes: [UInt8], values: Int) {
        builder = ValueBuilder(maxDepth: maxDepth)
        builder.adopt(bytes: bytes, operations: values * 2)
    }

    public mutating func addBoolean(_ value: Bool) throws(LuaError) {
        try check()
        builder.op(LDR_OP_BOOLEAN, integer: value ? 1 : 0)
    }

    public mutating func addInteger(_ value: Int64) throws(LuaError) {
        try check()
        builder.op(LDR_OP_INTEGER, integer: value)
    }

    public mutating func addNumber(_ value: Double) throws(LuaError) {
        try check()
        builder.op(LDR_OP_NUMBER, number: value)
    }

    public mutating func addString(_ value: String) throws(LuaError) {
        try check()
        builder.add(utf8: value)
    }

    /// A string that is `bytes[offset ..< offset + count]` of the bytes the builder was
    /// made with (``init(maxDepth:bytes:values:)``), kept as they are: the caller has checked them.
    public mutating func addString(at offset: Int, count: Int) throws(LuaError) {
        try check()
        guard offset >= 0, count >= 0, offset <= builder.bytes.count - count else {
            throw LuaError(kind: .conversion, message: "string bytes \(offset)+\(count) out of range")
        }
        builder.op(LDR_OP_STRING, offset: offset, length: count)
    }

    /// The JSON null sentinel (`json.null`).
    public mutating func addNull() throws(LuaError) {
        try check()
        builder.op(LDR_OP_NULL)
    }

    /// Starts a list (a table with the array marker) of `count` elements.
    public mutating func beginList(count: Int) throws(LuaError) {
        try check()
        depth += 1
        builder.op(LDR_OP_TABLE, integer: lua_Integer(clamping: count))
    }

    /// Stores the value just added as element `index` (1-based) of the list being built.
    public mutating func setElement(_ index: Int) { builder.op(LDR_OP_SETINDEX, integer: lua_Integer(index)) }

    /// Ends the list being built.
    public mutating func endList() {
        builder.op(LDR_OP_MARKARRAY)
        depth -= 1
    }

    /// Starts a table with room for `count` entries.
    public mutating func beginTable(count: Int) throws(LuaError) {
        try check()
        depth += 1
        builder.op(LDR_OP_TABLE, length: Int(Int32(clamping: count)))
    }

    /// Stores the value just added under the key added before it, in the table being built.
    public mutating func setField() { builder.op(LDR_OP_SETFIELD) }

    /// Ends the table being built.
    public mutating func endTable() { depth -= 1 }

    /// A value inside `depth` lists and tables, as ``LuaStack/push(_:)`` counts them.
    private func check() throws(LuaError) {
        guard depth <= builder.maxDepth else {
            throw LuaError(kind: .conversion, message: "value nested deeper than \(builder.maxDepth) levels")
        }
    }
}

extension LuaStack {
    /// Pushes the values a builder describes, in C under protection, and returns how many
    /// values it left (`count`, as the caller built them).
    @discardableResult
    public func push(built builder: LuaValueBuilder, count: Int32) throws(LuaError) -> Int32 {
        try reserve(count + 1)
        try build(builder.builder)
        return count
    }
}
