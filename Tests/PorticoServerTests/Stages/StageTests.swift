import NIOHTTP1
import PorticoConfig
import PorticoCore
import PorticoServer
import Testing

@Suite struct RequestIDStageTests {
    @Test(arguments: ["abc-123", "req_01J9Z", String(repeating: "x", count: 128)])
    func keepsAcceptableClientIDs(id: String) {
        #expect(RequestIDStage().requestID(for: ["x-request-id": id]) == id)
    }

    @Test(arguments: ["", "has space", "quote\"", String(repeating: "x", count: 129), "é"])
    func replacesUnsafeClientIDs(id: String) {
        let chosen = RequestIDStage().requestID(for: ["x-request-id": id])
        #expect(chosen != id)
        #expect(chosen.count == 32)
        #expect(chosen.allSatisfy { $0.isHexDigit && !$0.isUppercase })
    }

    @Test func generatesDistinctIDs() {
        let stage = RequestIDStage()
        let ids = Set((0..<1000).map { _ in stage.requestID(for: [:]) })
        #expect(ids.count == 1000)
    }

    @Test func generatesDistinctIDsOnManyThreadsAtOnce() async {
        let stage = RequestIDStage()
        let ids = await withTaskGroup(of: [String].self) { group in
            for _ in 0..<8 {
                group.addTask { (0..<2000).map { _ in stage.requestID(for: [:]) } }
            }
            return await group.reduce(into: [String]()) { $0 += $1 }
        }
        #expect(Set(ids).count == 16_000)
    }
}

@Suite struct APIVersionSelectorTests {
    let selector = APIVersionSelector(policy: VersionPolicy(
        header: "x-api-version",
        defaultVersion: "v2",
        supported: ["v2", "v1"],
        deprecated: ["v1": VersionDeprecation(since: CalendarDate(parsing: "2026-01-01"), sunset: CalendarDate(parsing: "2027-06-30")!)]
    ))

    @Test func defaultsWithoutTheHeader() throws {
        let version = try selector.select([:])
        #expect(version.name == "v2")
        #expect(version.index == 0)
        #expect(version.responseHeaders.isEmpty)
    }

    @Test func deprecatedVersionAnnouncesItsSunset() throws {
        let version = try selector.select(["X-API-Version": " v1 "])
        #expect(version.name == "v1")
        #expect(version.index == 1)
        #expect(version.responseHeaders.map(\.0) == ["deprecation", "sunset"])
        #expect(version.responseHeaders.map(\.1) == ["@1767225600", "Wed, 30 Jun 2027 00:00:00 GMT"])
    }

    @Test func unknownVersionIsABadRequestListingTheSupportedOnes() {
        let error = #expect(throws: GatewayError.self) { try selector.select(["x-api-version": "v9"]) }
        #expect(error?.httpStatus == 400)
        #expect(error?.message == "unsupported API version \"v9\" in x-api-version; supported versions: v2, v1")
    }
}
