/// UTC calendar time for people: the one RFC 3339 writer behind the evaluator's `DateTime` values and the
/// verifier's rejection details (`exp 1704070800 = 2024-01-01T01:00:00Z`).
public enum CivilTime {
    /// 0000-01-01T00:00:00Z in milliseconds: the earliest time RFC 3339 can write.
    public static let earliestMilliseconds: Int64 = -62_167_219_200_000
    /// 9999-12-31T23:59:59.999Z in milliseconds: the latest.
    public static let latestMilliseconds: Int64 = 253_402_300_799_999

    /// `2026-11-25T12:00:00Z`, with `.SSS` only when there are milliseconds. Years 0000 ... 9999 only (what
    /// RFC 3339 can write): a value outside is clamped rather than overflowing.
    public static func rfc3339(milliseconds: Int64) -> String {
        let milliseconds = min(max(milliseconds, earliestMilliseconds), latestMilliseconds)
        let seconds = milliseconds >= 0 ? milliseconds / 1000 : (milliseconds - 999) / 1000
        let millis = milliseconds - seconds * 1000
        var days = seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400
        let secondOfDay = seconds - days * 86400
        // Civil from days (Howard Hinnant's algorithm).
        days += 719_468
        let era = (days >= 0 ? days : days - 146_096) / 146_097
        let dayOfEra = days - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        func pad(_ n: Int64, _ width: Int) -> String {
            let text = String(n)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        var out = "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T"
        out += "\(pad(secondOfDay / 3600, 2)):\(pad(secondOfDay % 3600 / 60, 2)):\(pad(secondOfDay % 60, 2))"
        if millis != 0 { out += ".\(pad(millis, 3))" }
        return out + "Z"
    }

    /// Epoch seconds in RFC 3339 (clamped to 0000 ... 9999 like `rfc3339(milliseconds:)`).
    public static func rfc3339(seconds: Int64) -> String {
        let (product, overflow) = seconds.multipliedReportingOverflow(by: 1000)
        return rfc3339(milliseconds: overflow ? (seconds < 0 ? .min : .max) : product)
    }
}
