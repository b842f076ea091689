import Foundation
import FuzzSupport

// libFuzzer drives fuzzRateLimitHeaders; see FuzzSupport/FuzzerDriver.swift.
exit(runFuzzer(fuzzRateLimitHeaders))
