/// Parses HTTP dates (RFC 9110 §5.6.7): the IMF-fixdate form `Sun, 06 Nov 1994 08:49:37 GMT`,
/// the obsolete RFC 850 form `Sunday, 06-Nov-94 08:49:37 GMT` and asctime `Sun Nov  6 08:49:37 1994`.
enum HTTPDate {
    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    /// Unix milliseconds, or `nil` when `text` is not an HTTP date.
    static func parse(_ text: String) -> Int64? {
        let parts = text.split(whereSeparator: { $0 == " " || $0 == "," }).map(String.init)
        switch parts.count {
        case 6 where parts[5] == "GMT":  // IMF-fixdate
            guard let day = Int(parts[1]), let month = month(parts[2]), let year = Int(parts[3]) else { return nil }
            return millis(year: year, month: month, day: day, time: parts[4])
        case 4 where parts[3] == "GMT":  // RFC 850
            let date = parts[1].split(separator: "-").map(String.init)
            guard date.count == 3, let day = Int(date[0]), let month = month(date[1]), let shortYear = Int(date[2])
            else { return nil }
            let year = shortYear < 100 ? (shortYear < 70 ? 2000 + shortYear : 1900 + shortYear) : shortYear
            return millis(year: year, month: month, day: day, time: parts[2])
        case 5:  // asctime
            guard let month = month(parts[1]), let day = Int(parts[2]), let year = Int(parts[4]) else { return nil }
            return millis(year: year, month: month, day: day, time: parts[3])
        default:
            return nil
        }
    }

    private static func month(_ name: String) -> Int? {
        months.firstIndex(of: name.lowercased()).map { $0 + 1 }
    }

    private static func millis(year: Int, month: Int, day: Int, time: String) -> Int64? {
        let clock = time.split(separator: ":").compactMap { Int($0) }
        // Years outside 1...9999 are no HTTP date (and would overflow the arithmetic below).
        guard (1...9999).contains(year), clock.count == 3, (1...31).contains(day), (0...23).contains(clock[0]),
            (0...59).contains(clock[1]),
            (0...60).contains(clock[2])
        else { return nil }
        let days = daysSinceEpoch(year: year, month: month, day: day)
        let seconds = Int64(days) * 86_400 + Int64(clock[0] * 3600 + clock[1] * 60 + clock[2])
        return seconds * 1000
    }

    /// Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's civil-from-days inverse).
    private static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int {
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
