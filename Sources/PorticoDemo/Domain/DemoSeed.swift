/// The data the demo starts with: three users, five products and two orders.
enum DemoSeed {
    static let epoch2026: Int64 = 1_767_225_600

    static let users: [DemoUser] = [
        DemoUser(userID: "u1", displayName: "Ada Lovelace", email: "ada@example.com", role: 2, createdAt: epoch2026, labels: ["tier": "gold"]),
        DemoUser(userID: "u2", displayName: "Alan Turing", email: "alan@example.com", role: 1, createdAt: epoch2026 + 86_400, labels: [:]),
        DemoUser(userID: "u3", displayName: "Grace Hopper", email: "grace@example.com", role: 1, createdAt: epoch2026 + 172_800, labels: ["team": "navy"]),
    ]

    static let products: [DemoProduct] = [
        DemoProduct(productID: "p1", name: "The Art of Computer Programming", description: "Volumes 1-4B", category: 1,
                    price: DemoMoney(currencyCode: "EUR", units: 199, nanos: 990_000_000), stock: 12, tags: ["classic", "algorithms"], updatedAt: epoch2026),
        DemoProduct(productID: "p2", name: "Structure and Interpretation of Computer Programs", description: "Second edition", category: 1,
                    price: DemoMoney(currencyCode: "EUR", units: 45, nanos: 0), stock: 0, tags: ["classic", "lisp"], updatedAt: epoch2026),
        DemoProduct(productID: "p3", name: "Go board", description: "19x19, wood", category: 2,
                    price: DemoMoney(currencyCode: "EUR", units: 89, nanos: 500_000_000), stock: 4, tags: ["strategy"], updatedAt: epoch2026),
        DemoProduct(productID: "p4", name: "Soldering iron", description: "Temperature controlled", category: 3,
                    price: DemoMoney(currencyCode: "EUR", units: 59, nanos: 0), stock: 30, tags: ["electronics"], updatedAt: epoch2026),
        DemoProduct(productID: "p5", name: "Gödel, Escher, Bach", description: "An eternal golden braid", category: 1,
                    price: DemoMoney(currencyCode: "EUR", units: 24, nanos: 990_000_000), stock: 7, tags: ["classic", "logic"], updatedAt: epoch2026),
    ]

    static let orders: [DemoOrder] = [
        DemoOrder(orderID: "o1", userID: "u1", userName: "Ada Lovelace",
                  items: [DemoOrderItem(productID: "p1", quantity: 1, unitPrice: products[0].price)],
                  status: DemoOrderStatus.paid, total: products[0].price, createdAt: epoch2026 + 3_600, note: nil),
        DemoOrder(orderID: "o2", userID: "u2", userName: "Alan Turing",
                  items: [DemoOrderItem(productID: "p3", quantity: 2, unitPrice: products[2].price)],
                  status: DemoOrderStatus.pending, total: products[2].price.times(2), createdAt: epoch2026 + 7_200, note: "gift wrap"),
    ]
}
