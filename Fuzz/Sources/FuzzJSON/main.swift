import Foundation
import FuzzSupport

// libFuzzer drives fuzzJSON; see FuzzSupport/FuzzerDriver.swift.
exit(runFuzzer(fuzzJSON))
