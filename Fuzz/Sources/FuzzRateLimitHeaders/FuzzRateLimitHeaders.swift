// Fuzzes what a server's response headers can make ldrun wait: RateLimitHeaders
// (X-Ratelimit-*, Retry-After as seconds or an HTTP date) at any "now". The input is an
// 8-byte clock followed by up to four newline-separated header values; absurd numbers,
// negative values, dates before 1970 or after 9999 must never trap, and every wait they
// produce lies between zero and RateLimitHeaders.maximumWait.

import FuzzSupport
import NIOHTTP1
import ReleaseCore

func fuzzRateLimitHeaders(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let nowMillis = input.byte() & 1 == 0 ? input.int64() : 1_767_225_600_000 + Int64(input.byte())
    let names = ["Retry-After", "X-Ratelimit-Reset", "X-Ratelimit-Global-Remaining", "X-Ratelimit-Route-Remaining"]
    var headers = HTTPHeaders()
    var values: [String] = []
    for name in names where !input.isAtEnd {
        let value = input.text(until: UInt8(ascii: "\n"))
        values.append(value)
        headers.add(name: name, value: value)
    }

    let parsed = RateLimitHeaders(headers: headers, nowMillis: nowMillis)
    if let wait = parsed.retryAfter { requireWithinLimit(wait, "Retry-After \(values.first.debugDescription)") }
    if let wait = parsed.untilReset(nowMillis: nowMillis) { requireWithinLimit(wait, "X-Ratelimit-Reset") }
    // Another clock reading of the same reset (time moved on, or went back).
    if let wait = parsed.untilReset(nowMillis: input.int64()) { requireWithinLimit(wait, "X-Ratelimit-Reset later") }
    if let first = values.first {
        require(
            RateLimitHeaders.parseRetryAfter(first, nowMillis: nowMillis) == parsed.retryAfter,
            "parseRetryAfter and the headers disagree on \(first.debugDescription)")
    }
    return 0
}

func requireWithinLimit(_ wait: Duration, _ what: String) {
    require(wait >= .zero && wait <= RateLimitHeaders.maximumWait, "\(what) gave a wait of \(wait)")
}
