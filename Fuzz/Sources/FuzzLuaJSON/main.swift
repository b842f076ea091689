import Foundation
import FuzzSupport

// libFuzzer drives fuzzLuaJSON; see FuzzSupport/FuzzerDriver.swift.
exit(runFuzzer(fuzzLuaJSON))
