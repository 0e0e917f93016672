import Foundation
import NIOCore
import PorticoCodec
import PorticoHTTP2

/// `demo.orders.v1.OrderService` over the ``OrderStore``.
struct OrderService {
    let store: OrderStore
    let handlers: DemoHandlers
    /// How far apart `WatchOrder` sends an order's status events, so a watching client sees them arrive.
    static let watchSpacing = TimeAmount.milliseconds(700)

    func register(in registry: inout GRPCServiceRegistry) {
        let store = store
        handlers.unary(&registry, "GetOrder", request: "demo.orders.v1.GetOrderRequest") { request throws(DemoFailure) in
            Self.message(try store.get(request.string("order_id")))
        }
        handlers.unary(&registry, "ListOrders", request: "demo.orders.v1.ListOrdersRequest") { request throws(DemoFailure) in
            let page = try store.list(
                userID: request.string("user_id"), status: request.int32("status"),
                pageSize: request.int32("page_size"), pageToken: request.string("page_token")
            )
            return ProtoMessage("demo.orders.v1.ListOrdersResponse", [
                "orders": .list(page.orders.map { .message(Self.message($0)) }),
                "next_page_token": .string(page.next),
            ])
        }
        handlers.unary(&registry, "CreateOrder", request: "demo.orders.v1.CreateOrderRequest") { request throws(DemoFailure) in
            Self.message(try Self.create(request, in: store))
        }
        handlers.clientStreaming(&registry, "ImportOrders", request: "demo.orders.v1.CreateOrderRequest") { requests throws(DemoFailure) in
            var orders: [ProtoValue] = []
            for request in requests { orders.append(.message(Self.message(try Self.create(request, in: store)))) }
            return ProtoMessage("demo.orders.v1.ImportOrdersResponse", ["orders": .list(orders)])
        }
        handlers.unary(&registry, "CancelOrder", request: "demo.orders.v1.CancelOrderRequest") { request throws(DemoFailure) in
            Self.message(try store.cancel(request.string("order_id")))
        }
        handlers.serverStreaming(&registry, "WatchOrder", request: "demo.orders.v1.WatchOrderRequest", spacing: Self.watchSpacing) { request throws(DemoFailure) in
            let order = try store.get(request.string("order_id"))
            return try store.history(order.orderID).enumerated().map { step, status in
                ProtoMessage("demo.orders.v1.OrderEvent", [
                    "order_id": .string(order.orderID),
                    "status": .enumNumber(status),
                    "at": DemoMessages.timestamp(order.createdAt + Int64(step) * 3_600),
                ])
            }
        }
    }

    /// Creates the order a `CreateOrderRequest` describes.
    private static func create(_ request: ProtoMessage, in store: OrderStore) throws(DemoFailure) -> DemoOrder {
        let items = request.list("order_items").compactMap { value -> DemoOrderItem? in
            guard case .message(let item) = value else { return nil }
            return DemoOrderItem(productID: item.string("product_id"), quantity: item.int32("quantity"))
        }
        return try store.create(
            userID: request.string("user_id"), items: items, note: request.optionalString("note"), now: Int64(Date().timeIntervalSince1970)
        )
    }

    static func message(_ order: DemoOrder) -> ProtoMessage {
        var fields: [String: ProtoValue] = [
            "order_id": .string(order.orderID),
            "user_id": .string(order.userID),
            "user_name": .string(order.userName),
            "order_items": .list(order.items.map { item in
                var itemFields: [String: ProtoValue] = ["product_id": .string(item.productID), "quantity": .int32(item.quantity)]
                if let price = item.unitPrice { itemFields["unit_price"] = DemoMessages.money(price) }
                return .message(ProtoMessage("demo.orders.v1.OrderItem", itemFields))
            }),
            "status": .enumNumber(order.status),
            "created_at": DemoMessages.timestamp(order.createdAt),
        ]
        if let total = order.total { fields["total"] = DemoMessages.money(total) }
        if let note = order.note { fields["note"] = .string(note) }
        return ProtoMessage("demo.orders.v1.Order", fields)
    }
}
