import ArgumentParser
import Foundation
import Logging
import OTel
import ServiceLifecycle
import Tracing

/// `--otlp-endpoint` and `--trace-sampling-ratio`: OpenTelemetry tracing, off unless a collector is named
/// here or in `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` / `OTEL_EXPORTER_OTLP_ENDPOINT`. The other `OTEL_*`
/// variables (service name, sampler, batch delays) apply as the OpenTelemetry specification says.
struct TracingOptions: ParsableArguments {
    @Option(help: "Export spans over OTLP/gRPC to this collector (http://host:4317). Tracing is off without it.")
    var otlpEndpoint: String?

    @Option(help: "The fraction of new traces sampled; a caller's sampling decision (traceparent) is followed.")
    var traceSamplingRatio: Double = 1.0

    /// The collector named by the option or the environment, if any.
    private var endpoint: String? {
        let environment = ProcessInfo.processInfo.environment
        return otlpEndpoint ?? environment["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"] ?? environment["OTEL_EXPORTER_OTLP_ENDPOINT"]
    }

    /// The tracer and the exporter service to run beside the gateway; `nil` when tracing is off.
    func makeTracer(logger: Logger) throws -> (tracer: any Tracer, exporter: any Service)? {
        guard let endpoint else { return nil }
        guard let sampler = OTel.Configuration.TracesConfiguration.SamplerConfiguration.parentBasedTraceIDRatio(ratio: traceSamplingRatio) else {
            throw ValidationError("--trace-sampling-ratio must be between 0 and 1")
        }
        var configuration = OTel.Configuration.default
        configuration.serviceName = "portico"
        configuration.diagnosticLogger = .custom(logger)
        configuration.logs.enabled = false
        configuration.metrics.enabled = false
        configuration.traces.sampler = sampler
        configuration.traces.otlpExporter.protocol = .grpc
        configuration.traces.otlpExporter.endpoint = endpoint
        let backend = try OTel.makeTracingBackend(configuration: configuration)
        return (backend.factory, backend.service)
    }
}
