import PorticoConfig
import Testing

@Suite struct ValueParserTests {
    static let durations: [(String, Duration?)] = [
        ("250ms", .milliseconds(250)), ("2s", .seconds(2)), ("1.5s", .milliseconds(1500)), ("1m30s", .seconds(90)),
        ("1h", .seconds(3600)), ("10us", .microseconds(10)), ("7ns", .nanoseconds(7)),
        ("5", nil), ("", nil), ("s", nil), ("2 s", nil), ("-1s", nil), ("1d", nil),
    ]

    @Test(arguments: durations)
    func parsesDurations(text: String, expected: Duration?) {
        #expect(DurationParser.parse(text) == expected)
    }

    static let sizes: [(String, Int?)] = [
        ("1024", 1024), ("64KiB", 65536), ("4MiB", 4 << 20), ("1MB", 1_000_000), ("2GiB", 2 << 30),
        ("", nil), ("MiB", nil), ("1.5MiB", nil), ("4mib", nil), ("99999999999999999999", nil),
    ]

    @Test(arguments: sizes)
    func parsesByteSizes(text: String, expected: Int?) {
        #expect(ByteSizeParser.parse(text) == expected)
    }

    static let addresses: [(String, HostPort?)] = [
        ("127.0.0.1:8080", HostPort(host: "127.0.0.1", port: 8080)),
        ("[::1]:50051", HostPort(host: "::1", port: 50051)),
        ("localhost:0", HostPort(host: "localhost", port: 0)),
        ("localhost", nil), (":80", nil), ("a:70000", nil), ("::1:80", nil), ("[::1]80", nil),
    ]

    @Test(arguments: addresses)
    func parsesAddresses(text: String, expected: HostPort?) {
        #expect(HostPort(parsing: text) == expected)
    }

    static let dates: [(String, String?)] = [
        ("2027-06-30", "Wed, 30 Jun 2027 00:00:00 GMT"), ("1970-01-01", "Thu, 01 Jan 1970 00:00:00 GMT"),
        ("2024-02-29", "Thu, 29 Feb 2024 00:00:00 GMT"), ("2023-02-29", nil), ("2027-6-30", nil), ("tomorrow", nil),
    ]

    @Test(arguments: dates)
    func parsesCalendarDates(text: String, httpDate: String?) {
        #expect(CalendarDate(parsing: text)?.httpDate == httpDate)
    }

    static let expansions: [(String, String?)] = [
        ("plain", "plain"), ("${HOST}:1", "h:1"), ("${MISSING:-d}", "d"), ("${EMPTY:-d}", "d"), ("${EMPTY}", ""),
        ("$$HOST", "$HOST"), ("a$b", "a$b"), ("${MISSING}", nil), ("${HOST", nil), ("${1X}", nil),
    ]

    @Test(arguments: expansions)
    func expandsEnvironmentReferences(text: String, expected: String?) {
        let expander = EnvironmentExpander(environment: ["HOST": "h", "EMPTY": ""])
        #expect((try? expander.expand(text)) == expected)
    }
}
