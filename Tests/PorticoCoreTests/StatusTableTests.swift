import PorticoCore
import Testing

@Suite struct StatusTableTests {
    static let table: [(Int, String, Int)] = [
        (0, "OK", 200), (1, "CANCELLED", 499), (2, "UNKNOWN", 500), (3, "INVALID_ARGUMENT", 400),
        (4, "DEADLINE_EXCEEDED", 504), (5, "NOT_FOUND", 404), (6, "ALREADY_EXISTS", 409),
        (7, "PERMISSION_DENIED", 403), (8, "RESOURCE_EXHAUSTED", 429), (9, "FAILED_PRECONDITION", 400),
        (10, "ABORTED", 409), (11, "OUT_OF_RANGE", 400), (12, "UNIMPLEMENTED", 501), (13, "INTERNAL", 500),
        (14, "UNAVAILABLE", 503), (15, "DATA_LOSS", 500), (16, "UNAUTHENTICATED", 401), (17, "CODE_17", 500),
    ]

    @Test(arguments: table)
    func mapsEveryCode(code: Int, name: String, http: Int) {
        let status = GRPCStatusCode(rawValue: code)
        #expect(status.name == name)
        #expect(StatusTable.httpStatus(for: status) == http)
    }

    @Test func errorRendersCauseOnlyInDescription() {
        let error = GatewayError.internalError(cause: "boom")
        #expect(error.message == "internal error")
        #expect(error.httpStatus == 500)
        #expect(error.description.contains("boom"))
    }
}
