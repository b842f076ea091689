// Fuzzes the duration and size grammars: RunbookDuration (runbooks, --timeout),
// ByteSize (--memory-limit) and SimulatorDuration (--sim-phase-duration, fault latency).
// None may trap; what they accept lies inside their documented limits; the lenient and
// checked forms agree; a simulator duration's formatted form reads back the same.

import FuzzSupport
import ReleaseSimulator
import RunbookHost

func fuzzDurations(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let text = String(decoding: input.all, as: UTF8.self)
    let limit = Duration.seconds(Int64(RunbookDuration.maximumSeconds))

    let checked = try? RunbookDuration.parseChecked(text)
    require(RunbookDuration.parse(text) == checked, "parse and parseChecked disagree on \(text.debugDescription)")
    if let checked {
        require(checked >= .zero && checked <= limit, "\(text.debugDescription) gave \(checked)")
    }

    if let bytes = try? ByteSize.parse(text) {
        require(bytes >= 0 && bytes <= 1 << 50, "\(text.debugDescription) gave \(bytes) bytes")
    }

    if let simulated = try? SimulatorDuration.parse(text) {
        require(simulated >= .zero && simulated <= limit, "\(text.debugDescription) gave \(simulated)")
        let formatted = SimulatorDuration.format(simulated)
        require((try? SimulatorDuration.parse(formatted)) == simulated, "\(formatted) does not read back")
    }

    // Any number a runbook can pass as seconds.
    let seconds = input.double()
    if let duration = try? RunbookDuration.check(seconds: seconds) {
        require(duration >= .zero && duration <= limit, "\(seconds) seconds gave \(duration)")
    } else {
        require(!(seconds >= 0 && seconds <= RunbookDuration.maximumSeconds), "\(seconds) seconds refused")
    }
    return 0
}
