import PorticoCore
import PorticoRouting
import Testing

@Suite struct BoundFieldsTests {
    static let parameters = ["message_id", "revision", "sub.subfield", "message", "message.text", "book",
                             "book.name", "book.name.x", "book.title"].map { FieldBinding(fieldPath: $0.split(separator: ".").map(String.init), value: "1") }

    @Test func findsWhatBindsEachParameter() {
        let bound = BoundFields(pathFields: [["message_id"], ["book", "name"]], body: "message")
        let owners = Self.parameters.map { bound.owner(of: $0.fieldPath) }
        #expect(owners == [
            .path(["message_id"]), nil, nil, .body, .body, .path(["book", "name"]), .path(["book", "name"]),
            .path(["book", "name"]), nil,
        ])
    }

    @Test func ignorePolicyDropsBoundParameters() throws {
        let bound = BoundFields(pathFields: [["message_id"], ["book", "name"]], body: "message")
        let free = try bound.unboundParameters(Self.parameters, policy: .ignore)
        #expect(free.map(\.name) == ["revision", "sub.subfield", "book.title"])
    }

    static let rejections: [(BoundFields, String, String)] = [
        (BoundFields(pathFields: [["message_id"]], body: ""), "message_id",
         "query parameter \"message_id\" sets a field bound by the URL path"),
        (BoundFields(pathFields: [], body: "message"), "message.text",
         "query parameter \"message.text\" sets a field carried by the request body"),
        (BoundFields(pathFields: [["message_id"]], body: "*"), "revision",
         "query parameter \"revision\" is not accepted: this route takes every field not in the URL path from the request body"),
    ]

    @Test(arguments: rejections)
    func rejectPolicyAnswers400(bound: BoundFields, name: String, message: String) {
        let parameter = FieldBinding(fieldPath: name.split(separator: ".").map(String.init), value: "v")
        do {
            _ = try bound.unboundParameters([parameter], policy: .reject)
            Issue.record("accepted \(name)")
        } catch {
            #expect(error.message == message)
            #expect(error.httpStatus == 400)
        }
    }

    @Test func routeInitializerUsesTemplateAndBody() throws {
        let route = Route(method: "PATCH", template: try PathTemplate("/v1/{book.name=shelves/*}"), body: "book", value: 0)
        let bound = BoundFields(route: route)
        #expect(bound.pathFields == [["book", "name"]])
        #expect(bound.owner(of: ["book", "title"]) == .body)
        #expect(bound.owner(of: ["update_mask"]) == nil)
    }
}
