/// An amount of money, as `demo.common.v1.Money` carries it.
struct DemoMoney: Sendable, Hashable {
    var currencyCode: String
    var units: Int64
    var nanos: Int32

    /// The sum of `count` times this amount; the demo keeps every amount in one currency.
    func times(_ count: Int32) -> DemoMoney {
        let totalNanos = Int64(nanos) * Int64(count)
        return DemoMoney(
            currencyCode: currencyCode,
            units: units * Int64(count) + totalNanos / 1_000_000_000,
            nanos: Int32(totalNanos % 1_000_000_000)
        )
    }

    static func + (lhs: DemoMoney, rhs: DemoMoney) -> DemoMoney {
        let nanos = Int64(lhs.nanos) + Int64(rhs.nanos)
        return DemoMoney(
            currencyCode: lhs.currencyCode,
            units: lhs.units + rhs.units + nanos / 1_000_000_000,
            nanos: Int32(nanos % 1_000_000_000)
        )
    }
}

/// A user of the demo shop (`demo.users.v1.User`).
struct DemoUser: Sendable, Hashable {
    var userID: String
    var displayName: String
    var email: String
    /// The `demo.users.v1.Role` number.
    var role: Int32
    /// Seconds since the Unix epoch.
    var createdAt: Int64
    var labels: [String: String]
}

/// A product of the demo catalogue (`demo.products.v1.Product`).
struct DemoProduct: Sendable, Hashable {
    var productID: String
    var name: String
    var description: String
    /// The `demo.products.v1.Category` number.
    var category: Int32
    var price: DemoMoney
    var stock: Int64
    var tags: [String]
    var updatedAt: Int64
}

/// One line of an order (`demo.orders.v1.OrderItem`).
struct DemoOrderItem: Sendable, Hashable {
    var productID: String
    var quantity: Int32
    var unitPrice: DemoMoney? = nil
}

/// An order of the demo shop (`demo.orders.v1.Order`).
struct DemoOrder: Sendable, Hashable {
    var orderID: String
    var userID: String
    var userName: String
    var items: [DemoOrderItem]
    /// The `demo.orders.v1.OrderStatus` number.
    var status: Int32
    var total: DemoMoney?
    var createdAt: Int64
    var note: String?
}

/// The `demo.orders.v1.OrderStatus` numbers the demo uses.
enum DemoOrderStatus {
    static let pending: Int32 = 1
    static let paid: Int32 = 2
    static let shipped: Int32 = 3
    static let cancelled: Int32 = 4
}
