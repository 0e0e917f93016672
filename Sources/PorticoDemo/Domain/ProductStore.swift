/// The products backend's data: a fixed catalogue.
struct ProductStore: Sendable {
    private let products: [DemoProduct]

    init(products: [DemoProduct] = DemoSeed.products) {
        self.products = products
    }

    func get(_ productID: String) throws(DemoFailure) -> DemoProduct {
        guard !productID.isEmpty else { throw .invalidArgument("product_id is required") }
        guard let product = products.first(where: { $0.productID == productID }) else {
            throw .notFound("product \"\(productID)\" not found")
        }
        return product
    }

    /// Products of a category (0 for all) that carry every tag given and have at least `minStock` in stock.
    func list(
        category: Int32,
        tags: [String],
        minStock: Int64?,
        pageSize: Int32,
        pageToken: String
    ) throws(DemoFailure) -> (products: [DemoProduct], next: String) {
        let matching = products.filter { product in
            (category == 0 || product.category == category)
                && tags.allSatisfy(product.tags.contains)
                && product.stock >= (minStock ?? 0)
        }
        let page = try DemoPage.slice(matching, size: pageSize, token: pageToken)
        return (page.items, page.next)
    }
}
