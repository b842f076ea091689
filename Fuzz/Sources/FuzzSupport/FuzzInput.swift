/// Reads a fuzzer's input as a sequence of values: bytes, integers, doubles and text.
/// Every read succeeds; past the end it yields zeros and empty strings, so a target can
/// take what it needs from inputs of any length.
public struct FuzzInput {
    private let bytes: [UInt8]
    private var position = 0

    /// The input libFuzzer hands to `LLVMFuzzerTestOneInput`.
    public init(_ data: UnsafePointer<UInt8>?, _ size: Int) {
        bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    }

    /// An input from bytes (for replaying a corpus file by hand).
    public init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Whether everything has been read.
    public var isAtEnd: Bool { position >= bytes.count }

    /// All bytes, whatever has been read.
    public var all: [UInt8] { bytes }

    /// The next byte, or zero at the end.
    public mutating func byte() -> UInt8 {
        guard position < bytes.count else { return 0 }
        defer { position += 1 }
        return bytes[position]
    }

    /// The next eight bytes as a little-endian bit pattern.
    public mutating func uint64() -> UInt64 {
        var value: UInt64 = 0
        for shift in stride(from: 0, to: 64, by: 8) { value |= UInt64(byte()) << UInt64(shift) }
        return value
    }

    /// The next eight bytes as an `Int64`.
    public mutating func int64() -> Int64 { Int64(bitPattern: uint64()) }

    /// The next eight bytes as a `Double` (any bit pattern: NaN, infinities, subnormals).
    public mutating func double() -> Double { Double(bitPattern: uint64()) }

    /// The bytes up to the next `separator` (which is consumed), or to the end.
    public mutating func bytes(until separator: UInt8) -> [UInt8] {
        var result: [UInt8] = []
        while position < bytes.count {
            let next = bytes[position]
            position += 1
            if next == separator { break }
            result.append(next)
        }
        return result
    }

    /// Text up to the next `separator`, invalid UTF-8 repaired as U+FFFD.
    public mutating func text(until separator: UInt8) -> String {
        String(decoding: bytes(until: separator), as: UTF8.self)
    }

    /// Everything not read yet.
    public mutating func rest() -> [UInt8] {
        defer { position = bytes.count }
        return position < bytes.count ? Array(bytes[position...]) : []
    }
}

/// Stops the process, which libFuzzer reports as a crash and saves the input, when a
/// property the target checks does not hold.
public func require(
    _ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String,
    file: StaticString = #fileID, line: UInt = #line
) {
    if !condition() { fatalError("property violated: \(message())", file: file, line: line) }
}
