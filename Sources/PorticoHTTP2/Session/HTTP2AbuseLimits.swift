import NIOCore

/// A way an HTTP/2 peer can make a server work without asking for anything.
package enum HTTP2Abuse: String, Sendable, CaseIterable {
    /// Streams opened and reset at once, faster than the budget (CVE-2023-44487).
    case rapidReset = "rapid_reset"
    /// PING, SETTINGS, PRIORITY, empty DATA or CONTINUATION and unknown frames, faster than the budget
    /// (CVE-2019-9512, -9515, -9518).
    case controlFrameFlood = "control_frames"
    /// A header block spread over more CONTINUATION frames than allowed (CVE-2024-27316 and its kin).
    case continuationFlood = "continuation_frames"
}

/// The budgets a server session holds an untrusted peer to.
///
/// Each budget is a token bucket: `burst` frames at once, refilled at `perSecond`. A peer that empties one is
/// sent GOAWAY with `ENHANCE_YOUR_CALM`; the streams it already opened still finish.
package struct HTTP2AbuseLimits: Sendable, Hashable {
    /// RST_STREAM frames from the peer.
    package var resetBurst: Double
    package var resetsPerSecond: Double
    /// Frames that carry no request: PING and SETTINGS (not acknowledgements), PRIORITY, empty DATA or
    /// CONTINUATION without END_STREAM, and frame types HTTP/2 does not define.
    package var controlFrameBurst: Double
    package var controlFramesPerSecond: Double
    /// CONTINUATION frames after one HEADERS frame at which the session ends (nghttp2 fails it one later).
    package var maxContinuationFrames: Int
    /// SETTINGS and PING acknowledgements queued for a peer that does not read; more close the session.
    package var maxQueuedAcknowledgements: Int
    /// Entries in one SETTINGS frame.
    package var maxSettingsEntries: Int

    package init(
        resetBurst: Double = 200, resetsPerSecond: Double = 50, controlFrameBurst: Double = 500, controlFramesPerSecond: Double = 100,
        maxContinuationFrames: Int = 8, maxQueuedAcknowledgements: Int = 1000, maxSettingsEntries: Int = 32
    ) {
        self.resetBurst = resetBurst
        self.resetsPerSecond = resetsPerSecond
        self.controlFrameBurst = controlFrameBurst
        self.controlFramesPerSecond = controlFramesPerSecond
        self.maxContinuationFrames = maxContinuationFrames
        self.maxQueuedAcknowledgements = maxQueuedAcknowledgements
        self.maxSettingsEntries = maxSettingsEntries
    }
}

/// One session's budgets as they are spent; confined to the session's event loop.
struct HTTP2AbuseGuard {
    private var resets: TokenBucket
    private var controlFrames: TokenBucket
    /// Whether the session has already been ended for abuse.
    var isTerminated = false
    private let maxContinuationFrames: Int
    private var continuationFrames = 0

    init(_ limits: HTTP2AbuseLimits) {
        maxContinuationFrames = limits.maxContinuationFrames
        resets = TokenBucket(burst: limits.resetBurst, perSecond: limits.resetsPerSecond)
        controlFrames = TokenBucket(burst: limits.controlFrameBurst, perSecond: limits.controlFramesPerSecond)
    }

    /// Spends a token for an RST_STREAM from the peer; `false` when none is left.
    mutating func admitReset() -> Bool { resets.take() }

    /// Counts a HEADERS (`continues: false`) or CONTINUATION frame of a header block; `false` once the block
    /// has run to ``HTTP2AbuseLimits/maxContinuationFrames`` CONTINUATION frames.
    mutating func admitHeaderFrame(continues: Bool) -> Bool {
        continuationFrames = continues ? continuationFrames + 1 : 0
        return continuationFrames < maxContinuationFrames
    }

    /// Spends a token for a frame that carries no request; `false` when none is left.
    mutating func admitControlFrame() -> Bool { controlFrames.take() }

    private struct TokenBucket {
        let burst: Double
        let perSecond: Double
        var tokens: Double
        var refilled = NIODeadline.now()

        init(burst: Double, perSecond: Double) {
            self.burst = burst
            self.perSecond = perSecond
            tokens = burst
        }

        mutating func take() -> Bool {
            if tokens < 1 {
                let now = NIODeadline.now()
                tokens = min(burst, tokens + Double((now - refilled).nanoseconds) / 1e9 * perSecond)
                refilled = now
                guard tokens >= 1 else { return false }
            }
            tokens -= 1
            return true
        }
    }
}
