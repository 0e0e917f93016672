import Foundation
import PorticoCodec
import PorticoHTTP2

/// `demo.users.v1.UserService` over the ``UserStore``.
struct UserService {
    let store: UserStore
    let handlers: DemoHandlers

    func register(in registry: inout GRPCServiceRegistry) {
        let store = store
        handlers.unary(&registry, "GetUser", request: "demo.users.v1.GetUserRequest") { request throws(DemoFailure) in
            Self.message(try store.get(request.string("user_id")))
        }
        handlers.unary(&registry, "ListUsers", request: "demo.users.v1.ListUsersRequest") { request throws(DemoFailure) in
            let page = try store.list(role: request.int32("role"), pageSize: request.int32("page_size"), pageToken: request.string("page_token"))
            return ProtoMessage("demo.users.v1.ListUsersResponse", [
                "users": .list(page.users.map { .message(Self.message($0)) }),
                "next_page_token": .string(page.next),
            ])
        }
        handlers.unary(&registry, "CreateUser", request: "demo.users.v1.CreateUserRequest") { request throws(DemoFailure) in
            let draft = Self.user(from: request.message("user"))
            return Self.message(try store.create(draft, now: Int64(Date().timeIntervalSince1970)))
        }
        handlers.unary(&registry, "UpdateUser", request: "demo.users.v1.UpdateUserRequest") { request throws(DemoFailure) in
            let changes = Self.user(from: request.message("user"))
            return Self.message(try store.update(changes, paths: request.fieldMaskPaths("update_mask")))
        }
        handlers.unary(&registry, "DeleteUser", request: "demo.users.v1.DeleteUserRequest") { request throws(DemoFailure) in
            try store.delete(request.string("user_id"))
            return ProtoMessage("google.protobuf.Empty")
        }
    }

    static func message(_ user: DemoUser) -> ProtoMessage {
        ProtoMessage("demo.users.v1.User", [
            "user_id": .string(user.userID),
            "display_name": .string(user.displayName),
            "email": .string(user.email),
            "role": .enumNumber(user.role),
            "created_at": DemoMessages.timestamp(user.createdAt),
            "labels": .map(Dictionary(uniqueKeysWithValues: user.labels.map { (ProtoValue.string($0.key), ProtoValue.string($0.value)) })),
        ])
    }

    static func user(from message: ProtoMessage?) -> DemoUser {
        DemoUser(
            userID: message?.string("user_id") ?? "",
            displayName: message?.string("display_name") ?? "",
            email: message?.string("email") ?? "",
            role: message?.int32("role") ?? 0,
            createdAt: 0,
            labels: message?.stringMap("labels") ?? [:]
        )
    }
}
