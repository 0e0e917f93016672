@testable import PorticoDemo
import PorticoCore
import Testing

@Suite struct DemoStoreTests {
    let users = UserStore()
    let products = ProductStore()

    @Test func pagesThroughUsersInIDOrder() throws {
        let first = try users.list(role: 0, pageSize: 2, pageToken: "")
        #expect(first.users.map(\.userID) == ["u1", "u2"])
        #expect(first.next == "2")
        let second = try users.list(role: 0, pageSize: 2, pageToken: first.next)
        #expect(second.users.map(\.userID) == ["u3"])
        #expect(second.next.isEmpty)
        #expect(throws: DemoFailure.invalidArgument("page_token is not a token this service issued")) {
            try users.list(role: 0, pageSize: 2, pageToken: "x")
        }
    }

    @Test func filtersProductsByCategoryTagsAndStock() throws {
        let classics = try products.list(category: 1, tags: ["classic"], minStock: 1, pageSize: 0, pageToken: "")
        #expect(classics.products.map(\.productID) == ["p1", "p5"])
        #expect(try products.list(category: 0, tags: [], minStock: nil, pageSize: 0, pageToken: "").products.count == 5)
    }

    @Test func pricesANewOrderFromTheCatalogue() throws {
        let orders = OrderStore(users: users, products: products)
        let order = try orders.create(
            userID: "u2",
            items: [DemoOrderItem(productID: "p3", quantity: 3, unitPrice: nil), DemoOrderItem(productID: "p5", quantity: 1, unitPrice: nil)],
            note: nil,
            now: 0
        )
        #expect(order.orderID == "o3")
        #expect(order.userName == "Alan Turing")
        #expect(order.items.map(\.unitPrice) == [DemoSeed.products[2].price, DemoSeed.products[4].price])
        #expect(order.total == DemoMoney(currencyCode: "EUR", units: 293, nanos: 490_000_000))
        #expect(try orders.get("o3") == order)
    }

    @Test func refusesOrdersItCannotPrice() {
        let orders = OrderStore(users: users, products: products)
        #expect(throws: DemoFailure.notFound("user \"nobody\" not found")) {
            try orders.create(userID: "nobody", items: [DemoOrderItem(productID: "p1", quantity: 1)], note: nil, now: 0)
        }
        #expect(throws: DemoFailure.invalidArgument("order_items[0].product_id: product \"p9\" does not exist")) {
            try orders.create(userID: "u1", items: [DemoOrderItem(productID: "p9", quantity: 1)], note: nil, now: 0)
        }
        #expect(throws: DemoFailure.invalidArgument("order_items[0].quantity must be positive")) {
            try orders.create(userID: "u1", items: [DemoOrderItem(productID: "p1", quantity: 0)], note: nil, now: 0)
        }
    }

    @Test func updatesOnlyTheMaskedFields() throws {
        var change = try users.get("u2")
        change.displayName = "A. M. Turing"
        change.email = "changed@example.com"
        let updated = try users.update(change, paths: ["display_name"])
        #expect(updated.displayName == "A. M. Turing")
        #expect(updated.email == "alan@example.com")
        #expect(throws: DemoFailure.invalidArgument("update_mask names \"user_id\", which cannot be updated")) {
            try users.update(change, paths: ["user_id"])
        }
    }

    @Test func cancelsAndReplaysHistory() throws {
        let orders = OrderStore(users: users, products: products)
        #expect(try orders.history("o1") == [DemoOrderStatus.pending, DemoOrderStatus.paid])
        #expect(try orders.cancel("o2").status == DemoOrderStatus.cancelled)
        #expect(try orders.history("o2") == [DemoOrderStatus.pending, DemoOrderStatus.cancelled])
    }
}
