import CLua
import LuaShim

/// A fixed list of field names, held as C strings for ``LuaStack/gather(_:fields:list:itemFields:maxItems:)``.
/// Make one per list (a `static let`) and keep it: it is immutable.
public final class LuaFieldNames: @unchecked Sendable {
    /// The names, in order.
    public let names: [String]
    let pointers: UnsafeMutablePointer<UnsafePointer<CChar>?>

    public init(_ names: [String]) {
        self.names = names
        pointers = .allocate(capacity: max(1, names.count))
        for (offset, name) in names.enumerated() {
            let text = Array(name.utf8CString)
            let copy = UnsafeMutablePointer<CChar>.allocate(capacity: text.count)
            copy.initialize(from: text, count: text.count)
            pointers[offset] = UnsafePointer(copy)
        }
    }

    deinit {
        for offset in names.indices { UnsafeMutablePointer(mutating: pointers[offset])?.deallocate() }
        pointers.deallocate()
    }

    /// The position of `name`, for reading it back from a ``LuaGathered``.
    public func index(of name: String) -> Int? { names.firstIndex(of: name) }
}

/// Where ``LuaStack/gather(_:fields:list:itemFields:maxItems:)`` left the values it read:
/// the table's fields, then the elements of its list field, each followed by its own fields.
/// The values stay on the stack until the caller resets the top to ``base``.
public struct LuaGathered {
    /// The stack top before the values were pushed.
    public let base: Int32
    /// The number of elements of the list field; `nil` when it held more than the maximum.
    public let count: Int?
    let fieldCount: Int32
    let itemFieldCount: Int32

    /// The stack index of the table's field number `offset`.
    public func field(_ offset: Int) -> Int32 { base + 1 + Int32(offset) }

    /// The stack index of element `offset` (0-based) of the list.
    public func item(_ offset: Int) -> Int32 { base + fieldCount + 1 + Int32(offset) * (itemFieldCount + 1) }

    /// The stack index of field number `field` of element `offset` of the list.
    public func itemField(_ offset: Int, _ field: Int) -> Int32 { item(offset) + 1 + Int32(field) }
}

extension LuaStack {
    /// Reads, raw and in one protected call, the `fields` of the table at `index`, and, when
    /// field number `list` is a table of at most `maxItems` elements, each element of it
    /// with its `itemFields`. No metamethod runs and nothing is converted: the values are
    /// pushed for typed reads (``type(at:)``, ``string(at:)``, ``boolean(at:)``, ...).
    /// A host function that needs a few fields of a large table reads them this way instead
    /// of converting the whole table.
    public func gather(
        _ index: Int32, fields: LuaFieldNames, list: Int, itemFields: LuaFieldNames, maxItems: Int = 10_000
    ) throws(LuaError) -> LuaGathered {
        let base = top
        var count: Int32 = 0
        let status = ldr_gather(
            thread, index, fields.pointers, Int32(fields.names.count), Int32(list), itemFields.pointers,
            Int32(itemFields.names.count), Int32(clamping: maxItems), &count)
        try check(status, base: base, doing: "read a table")
        return LuaGathered(
            base: base, count: count < 0 ? nil : Int(count), fieldCount: Int32(fields.names.count),
            itemFieldCount: Int32(itemFields.names.count))
    }

    /// The boolean at `index` when it is a boolean.
    public func boolean(at index: Int32) -> Bool? {
        lua_type(thread, index) == LUA_TBOOLEAN ? lua_toboolean(thread, index) != 0 : nil
    }

    /// The number at `index` when it is an integer (or a float with an integral value).
    public func integer(at index: Int32) -> Int64? {
        guard lua_type(thread, index) == LUA_TNUMBER else { return nil }
        var isInteger: Int32 = 0
        let value = lua_tointegerx(thread, index, &isInteger)
        return isInteger != 0 ? value : nil
    }
}
