import Foundation
import FuzzSupport

// libFuzzer drives fuzzDurations; see FuzzSupport/FuzzerDriver.swift.
exit(runFuzzer(fuzzDurations))
