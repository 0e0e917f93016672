import PorticoCore
import Synchronization

/// The orders backend's data: orders in memory, priced from the product catalogue.
final class OrderStore: Sendable {
    private let orders: Mutex<[DemoOrder]>
    private let users: UserStore
    private let products: ProductStore

    init(users: UserStore, products: ProductStore, seed: [DemoOrder] = DemoSeed.orders) {
        orders = Mutex(seed)
        self.users = users
        self.products = products
    }

    func get(_ orderID: String) throws(DemoFailure) -> DemoOrder {
        guard !orderID.isEmpty else { throw .invalidArgument("order_id is required") }
        guard let order = orders.withLock({ $0.first { $0.orderID == orderID } }) else {
            throw .notFound("order \"\(orderID)\" not found")
        }
        return order
    }

    func list(userID: String, status: Int32, pageSize: Int32, pageToken: String) throws(DemoFailure) -> (orders: [DemoOrder], next: String) {
        let matching = orders.withLock { $0 }.filter { order in
            (userID.isEmpty || order.userID == userID) && (status == 0 || order.status == status)
        }
        let page = try DemoPage.slice(matching, size: pageSize, token: pageToken)
        return (page.items, page.next)
    }

    /// Creates a pending order; unit prices and the total come from the catalogue, the name from the user.
    func create(userID: String, items: [DemoOrderItem], note: String?, now: Int64) throws(DemoFailure) -> DemoOrder {
        let user = try users.get(userID)
        guard !items.isEmpty else { throw .invalidArgument("an order needs at least one item") }
        var priced: [DemoOrderItem] = []
        var total: DemoMoney?
        for (index, item) in items.enumerated() {
            guard item.quantity > 0 else {
                throw .invalidArgument("order_items[\(index)].quantity must be positive")
            }
            let product: DemoProduct
            do {
                product = try products.get(item.productID)
            } catch {
                throw .invalidArgument("order_items[\(index)].product_id: product \"\(item.productID)\" does not exist")
            }
            priced.append(DemoOrderItem(productID: item.productID, quantity: item.quantity, unitPrice: product.price))
            let line = product.price.times(item.quantity)
            total = total.map { $0 + line } ?? line
        }
        return orders.withLock { orders in
            let order = DemoOrder(
                orderID: "o\(orders.count + 1)", userID: user.userID, userName: user.displayName, items: priced,
                status: DemoOrderStatus.pending, total: total, createdAt: now, note: note
            )
            orders.append(order)
            return order
        }
    }

    func cancel(_ orderID: String) throws(DemoFailure) -> DemoOrder {
        try orders.withLock { (orders: inout [DemoOrder]) throws(DemoFailure) -> DemoOrder in
            guard let index = orders.firstIndex(where: { $0.orderID == orderID }) else {
                throw .notFound("order \"\(orderID)\" not found")
            }
            guard orders[index].status != DemoOrderStatus.shipped else {
                throw DemoFailure(code: .failedPrecondition, message: "order \"\(orderID)\" has shipped and cannot be cancelled")
            }
            orders[index].status = DemoOrderStatus.cancelled
            return orders[index]
        }
    }

    /// The status history of an order as the watch stream replays it: from pending to its current status.
    func history(_ orderID: String) throws(DemoFailure) -> [Int32] {
        let order = try get(orderID)
        if order.status == DemoOrderStatus.cancelled {
            return [DemoOrderStatus.pending, DemoOrderStatus.cancelled]
        }
        return Array(DemoOrderStatus.pending...max(order.status, DemoOrderStatus.pending))
    }
}
