import FuzzSupport
import PorticoRouting

/// Path templates and the matcher on arbitrary bytes: the first line is a template, the rest a request path.
/// The template either parses or is refused; the path is matched against a table of the bundled demo's kind
/// of templates, with the fuzzed one added when it parses and does not conflict with them.
let fixedTemplates = [
    "/v1/users/{user_id}", "/v1/orders/{order_id=*}:cancel", "/v1/{name=shelves/*/books/*}", "/v1/files/{path=**}",
    "/v1/products", "/v1/orders/{order.id}/items/{item_id}", "/v2/{parent=projects/*}/items:search",
]

let fixedRoutes: [Route<Int>] = fixedTemplates.enumerated().map { index, text in
    guard let template = try? PathTemplate(text) else { fatalError("the fixed template \(text) does not parse") }
    return Route(method: "GET", template: template, value: index)
}

let fixedTable: RouteTable<Int> = {
    guard let table = try? RouteTable(fixedRoutes) else { fatalError("the fixed templates conflict") }
    return table
}()

public func fuzzPathTemplate(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let lines = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
    let path = lines.count > 1 ? String(lines[1]) : String(lines.first ?? "")
    _ = fixedTable.match(method: "GET", path: path)
    if let template = try? PathTemplate(String(lines.first ?? "")),
        let table = try? RouteTable(fixedRoutes + [Route(method: "GET", template: template, value: fixedRoutes.count)])
    {
        _ = table.match(method: "GET", path: path)
    }
    return 0
}

#if FUZZING
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    fuzzPathTemplate(data, size)
}

@_cdecl("FuzzPathTemplate_main")
public func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzDriver.run(argc, argv, fuzzPathTemplate)
}
#else
@main enum Replay {
    static func main() { FuzzReplay.run(CommandLine.arguments, fuzzPathTemplate) }
}
#endif
