import Foundation

/// Throughput over the last few seconds (so a stall or a burst shows soon), and the ETA it gives.
/// Times are monotonic seconds. Not thread-safe.
public struct TransferRate: Sendable {
    public let window: TimeInterval
    /// (time, bytes so far), oldest first, at most one per `spacing`.
    private var samples: [(time: TimeInterval, bytes: UInt64)] = []
    private let spacing: TimeInterval

    public init(window: TimeInterval = 5, spacing: TimeInterval = 0.1) {
        self.window = window
        self.spacing = spacing
    }

    /// Records that `bytes` have been transferred in all by `time`.
    public mutating func record(bytes: UInt64, at time: TimeInterval) {
        if let last = samples.last, time - last.time < spacing {
            samples[samples.count - 1].bytes = bytes  // keep its time, so the window stays honest
        } else {
            samples.append((time, bytes))
        }
        // Keep one sample at or before the window's start, so the window is full.
        while samples.count > 2, time - samples[1].time >= window { samples.removeFirst() }
    }

    /// Bytes per second over the window; 0 until there are two samples apart in time.
    public func bytesPerSecond(at time: TimeInterval) -> Double {
        guard let first = samples.first, let last = samples.last, last.bytes >= first.bytes else { return 0 }
        let elapsed = max(time, last.time) - first.time
        guard elapsed > 0 else { return 0 }
        return Double(last.bytes - first.bytes) / elapsed
    }

    public mutating func reset() { samples.removeAll() }

    /// Whole seconds left at `bytesPerSecond` (rounded up); nil when it cannot be told.
    public static func eta(remaining: UInt64?, bytesPerSecond: Double) -> Double? {
        guard let remaining, bytesPerSecond > 0, bytesPerSecond.isFinite else { return nil }
        return (Double(remaining) / bytesPerSecond).rounded(.up)
    }
}

/// Lets a progress report through at most once per `interval`, except that the first one and
/// every change of phase always pass. Not thread-safe.
public struct ProgressGate: Sendable {
    public let interval: TimeInterval
    private var lastSent: TimeInterval?
    private var lastPhase: DownloadPhase?

    public init(interval: TimeInterval = 0.25) { self.interval = interval }

    public mutating func admit(_ phase: DownloadPhase, at time: TimeInterval) -> Bool {
        if phase == lastPhase, let lastSent, time - lastSent < interval { return false }
        lastSent = time
        lastPhase = phase
        return true
    }
}
