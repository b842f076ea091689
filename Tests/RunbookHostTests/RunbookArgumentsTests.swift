import RunbookHost
import Testing

@Suite struct RunbookArgumentsTests {
    @Test func optionsSplitAtTheFirstEquals() throws {
        let arguments = try RunbookArguments.parse(["flag=checkout", "query=a=b", "empty=", "flag=cart"])
        #expect(arguments == ["flag": "cart", "query": "a=b", "empty": ""])
    }

    @Test func noOptionsGiveNoArguments() throws {
        #expect(try RunbookArguments.parse([]).isEmpty)
    }

    @Test(arguments: ["", "flag", "=value", "=", "==x"])
    func malformedOptionsAreRefusedByName(option: String) {
        #expect {
            _ = try RunbookArguments.parse(["ok=1", option])
        } throws: { error in
            (error as? RunbookArguments.Invalid)?.description == "-a expects key=value, got '\(option)'"
        }
    }
}
