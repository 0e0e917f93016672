import NIOHTTP1
import PorticoCore

/// Selects the API version (`x-api-version`; 400 for an unknown one) and adds its `Deprecation` and `Sunset`
/// headers to the answer.
struct APIVersionStage: RequestStage {
    let eventName = "portico.api_version"

    func process(_ context: RequestContext) -> StageOutcome {
        do {
            let version = try context.exchange.snapshot.versions.select(context.request.headers)
            context.exchange.record.version = version.name
            context.exchange.version = version
            for (name, value) in version.responseHeaders { context.exchange.headers.add(name: name, value: value) }
            return .proceed
        } catch {
            return .answer(error)
        }
    }
}
