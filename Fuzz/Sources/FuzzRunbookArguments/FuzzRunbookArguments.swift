// Fuzzes `-a key=value` parsing (RunbookArguments.parse): the input is a list of options
// separated by NUL bytes, as argv would carry them. Parsing never traps; it refuses
// exactly the options with no `=` or an empty key; accepted options give back each key's
// last value, and `key=value` rebuilt from the result parses to the same arguments.

import FuzzSupport
import RunbookHost

func fuzzRunbookArguments(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    var options: [String] = []
    while !input.isAtEnd { options.append(input.text(until: 0)) }

    let malformed = options.first { option in
        guard let equals = option.firstIndex(of: "=") else { return true }
        return equals == option.startIndex
    }
    do {
        let arguments = try RunbookArguments.parse(options)
        require(malformed == nil, "accepted \(malformed.debugDescription)")
        var expected: [String: String] = [:]
        for option in options {
            let equals = option.firstIndex(of: "=")!
            expected[String(option[..<equals])] = String(option[option.index(after: equals)...])
        }
        require(arguments == expected, "\(options) gave \(arguments)")
        require(arguments.keys.allSatisfy { !$0.isEmpty }, "an empty key in \(arguments)")
        let rebuilt = arguments.map { "\($0.key)=\($0.value)" }
        require((try? RunbookArguments.parse(rebuilt)) == arguments, "\(rebuilt) does not read back")
    } catch {
        require(malformed == error.option, "refused \(error.option.debugDescription), not the first malformed option")
        require(error.description == "-a expects key=value, got '\(error.option)'", error.description)
    }
    return 0
}
