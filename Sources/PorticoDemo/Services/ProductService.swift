import PorticoCodec
import PorticoHTTP2

/// `demo.products.v1.ProductService` over the ``ProductStore``.
struct ProductService {
    let store: ProductStore
    let handlers: DemoHandlers

    func register(in registry: inout GRPCServiceRegistry) {
        let store = store
        handlers.unary(&registry, "GetProduct", request: "demo.products.v1.GetProductRequest") { request throws(DemoFailure) in
            Self.message(try store.get(request.string("product_id")))
        }
        handlers.unary(&registry, "ListProducts", request: "demo.products.v1.ListProductsRequest") { request throws(DemoFailure) in
            let tags = request.list("tags").compactMap { value -> String? in
                if case .string(let tag) = value { return tag }
                return nil
            }
            let page = try store.list(
                category: request.int32("category"), tags: tags, minStock: request.int64Wrapper("min_stock"),
                pageSize: request.int32("page_size"), pageToken: request.string("page_token")
            )
            return ProtoMessage("demo.products.v1.ListProductsResponse", [
                "products": .list(page.products.map { .message(Self.message($0)) }),
                "next_page_token": .string(page.next),
            ])
        }
        handlers.bidirectionalStreaming(&registry, "Quote", request: "demo.products.v1.QuoteRequest") { request throws(DemoFailure) in
            let product = try store.get(request.string("product_id"))
            let quantity = request.int32("quantity")
            guard quantity > 0 else { throw .invalidArgument("quantity must be at least 1") }
            return ProtoMessage("demo.products.v1.QuoteReply", [
                "product_id": .string(product.productID),
                "quantity": .int32(quantity),
                "total": DemoMessages.money(product.price.times(quantity)),
                "available": .bool(product.stock >= Int64(quantity)),
            ])
        }
    }

    static func message(_ product: DemoProduct) -> ProtoMessage {
        ProtoMessage("demo.products.v1.Product", [
            "product_id": .string(product.productID),
            "name": .string(product.name),
            "description": .string(product.description),
            "category": .enumNumber(product.category),
            "price": DemoMessages.money(product.price),
            "stock": .int64(product.stock),
            "tags": DemoMessages.strings(product.tags),
            "updated_at": DemoMessages.timestamp(product.updatedAt),
        ])
    }
}
