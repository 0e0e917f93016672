/// Every metric the gateway exports: its name (Prometheus conventions, `portico_` prefix, unit in the name),
/// its help text and, for histograms, its buckets. Label values are bounded: route templates, methods of the
/// route table, status codes, gRPC code names, configured versions and backends, and fixed reasons.
enum MetricCatalog {
    static let requests = "portico_requests_total"
    static let requestDuration = "portico_request_duration_seconds"
    static let requestsInFlight = "portico_requests_in_flight"
    static let requestBodyBytes = "portico_request_body_bytes_total"
    static let responseBodyBytes = "portico_response_body_bytes_total"
    static let transcodingDuration = "portico_transcoding_duration_seconds"
    static let backendCallDuration = "portico_backend_call_duration_seconds"
    static let backendRetries = "portico_backend_retries_total"
    static let backendRetryBudgetRefusals = "portico_backend_retry_budget_refusals_total"
    static let backendShed = "portico_backend_shed_total"
    static let backendConnections = "portico_backend_connections"
    static let backendActiveStreams = "portico_backend_active_streams"
    static let backendQueuedCalls = "portico_backend_queued_calls"
    static let backendConnectAttempts = "portico_backend_connect_attempts_total"
    static let backendGoAways = "portico_backend_goaways_total"
    static let endpointEjections = "portico_backend_endpoint_ejections_total"
    static let endpointHealthTransitions = "portico_backend_endpoint_health_transitions_total"
    static let breakerState = "portico_circuit_breaker_state"
    static let breakerTransitions = "portico_circuit_breaker_transitions_total"
    static let rateLimitDecisions = "portico_rate_limit_decisions_total"
    static let redisDecisions = "portico_rate_limit_redis_decisions_total"
    static let redisDecisionDuration = "portico_rate_limit_redis_decision_duration_seconds"
    static let authFailures = "portico_auth_failures_total"
    static let reloads = "portico_config_reloads_total"
    static let lastReloadSuccess = "portico_config_last_reload_success_timestamp_seconds"
    static let buildInfo = "portico_build_info"
    static let logLinesDropped = "portico_log_lines_dropped_total"
    static let cacheLookups = "portico_cache_lookups_total"
    static let cacheEntries = "portico_cache_entries"
    static let cacheBytes = "portico_cache_bytes"
    static let requestsShed = "portico_requests_shed_total"
    static let requestsClientLimited = "portico_requests_client_limited_total"
    static let connectionsRejected = "portico_connections_rejected_total"
    static let requestsTimedOut = "portico_requests_timed_out_total"
    static let http2Abuse = "portico_http2_abuse_total"

    private static let helpTexts: [String: String] = [
        http2Abuse: "HTTP/2 connections sent GOAWAY (ENHANCE_YOUR_CALM) for a flood, by kind (rapid_reset, control_frames, continuation_frames).",
        requests: "Requests answered, by route template, method, HTTP status, gRPC code and API version.",
        requestDuration: "Time from the request's arrival to its answer, by route template and method.",
        requestsInFlight: "Requests received and not yet answered.",
        requestBodyBytes: "Request body bytes received, by route template and method.",
        responseBodyBytes: "Response body bytes sent, by route template and method.",
        transcodingDuration: "Time spent transcoding between JSON and protobuf, by direction (request or response).",
        backendCallDuration: "Time of each call attempt to a backend, by backend.",
        backendRetries: "Backend calls sent again after a retryable failure, by backend.",
        backendRetryBudgetRefusals: "Retries the backend's retry budget refused, by backend.",
        backendShed: "Requests answered 503 without calling the backend, by backend and reason (open, half_open_busy, too_many_requests).",
        backendConnections: "Open or connecting HTTP/2 connections to the backend.",
        backendActiveStreams: "Calls running on an HTTP/2 stream to the backend.",
        backendQueuedCalls: "Calls waiting for a stream or a connection to the backend.",
        backendConnectAttempts: "Connection attempts made to the backend.",
        backendGoAways: "Backend connections retired by GOAWAY or stream exhaustion.",
        endpointEjections: "Backend endpoints ejected by outlier detection after failing calls in a row, by backend.",
        endpointHealthTransitions: "Backend endpoints taken out of rotation (to=unhealthy) or brought back (to=healthy) by their health checks.",
        breakerState: "1 for the circuit breaker's current state (closed, open, half_open) of each backend, else 0.",
        breakerTransitions: "Circuit breaker state changes, by backend and the state entered.",
        rateLimitDecisions: "Rate-limit decisions, by route template, method and decision (allowed or limited).",
        redisDecisions: "Rate-limit decisions asked of Redis (rate_limits.redis), by outcome: allowed, refused, fallback (Redis failed, the local limiter decided) or error (Redis failed, 503).",
        redisDecisionDuration: "Time of each rate-limit decision asked of Redis, up to its answer, its failure or its timeout.",
        authFailures: "Requests refused by authentication or authorization, by reason.",
        reloads: "Configuration reloads, by result (success or failure).",
        lastReloadSuccess: "Unix time of the last configuration that compiled and was installed.",
        buildInfo: "Always 1; the labels name the gateway's version.",
        logLinesDropped: "Access-log and log lines dropped because standard output did not keep up.",
        cacheLookups: "Response-cache lookups on cached routes, by route template, method and result (hit, stale, miss).",
        cacheEntries: "Answers held by the response cache.",
        cacheBytes: "Bytes held by the response cache (bodies, keys and headers).",
        connectionsRejected: "Connections closed as they were accepted, by the cap they would have passed (max_connections or per_client).",
        requestsTimedOut: "Requests answered 408 because their head or body did not arrive in time, by phase (head or body).",
        requestsClientLimited: "Requests answered 429 by rate_limits.per_client, before their route or credentials were looked at.",
        requestsShed: "Requests answered 503 at once because the gateway already worked on limits.max_in_flight requests.",
    ]

    /// The help text of a metric; empty for a metric not in the catalog.
    static func help(_ name: String) -> String {
        helpTexts[name] ?? ""
    }

    /// Request and backend latencies: 1 ms to 30 s.
    private static let latencyBuckets: [Duration] = [
        .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
        .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5),
        .seconds(10), .seconds(30),
    ]

    /// Transcoding and Redis decisions: 5 µs to 100 ms.
    private static let transcodingBuckets: [Duration] = [
        .microseconds(5), .microseconds(10), .microseconds(25), .microseconds(50), .microseconds(100),
        .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(5), .milliseconds(25),
        .milliseconds(100),
    ]

    /// The buckets of a duration histogram.
    static func durationBuckets(_ name: String) -> [Duration] {
        name == transcodingDuration || name == redisDecisionDuration ? transcodingBuckets : latencyBuckets
    }

    /// The buckets of value histograms: the catalog has none, a library's get powers of ten.
    static let valueBuckets: [Double] = [1, 10, 100, 1000, 10000, 100_000, 1_000_000]
}
