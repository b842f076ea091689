import Foundation
import FuzzSupport

// libFuzzer drives fuzzFaultSpec; see FuzzSupport/FuzzerDriver.swift.
exit(runFuzzer(fuzzFaultSpec))
