import Foundation
import FuzzSupport

// libFuzzer drives fuzzRunbookArguments; see FuzzSupport/FuzzerDriver.swift.
exit(runFuzzer(fuzzRunbookArguments))
