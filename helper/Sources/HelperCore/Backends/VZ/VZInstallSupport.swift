import Foundation

/// A restore image states the least CPU and memory its macOS runs with; installing into a
/// smaller VM fails late and vaguely, so vmtui refuses early and says what to change.
public enum VZMacGuestRequirements {
    public static func check(cpuCount: Int, memoryBytes: UInt64, vmName: String,
                             minimumCPUCount: Int, minimumMemoryBytes: UInt64, version: String) throws {
        var short: [String] = []
        if cpuCount < minimumCPUCount { short.append("\(cpuCount) CPUs (it needs at least \(minimumCPUCount))") }
        if memoryBytes < minimumMemoryBytes {
            short.append("\(gib(memoryBytes)) of memory (it needs at least \(gib(minimumMemoryBytes)))")
        }
        guard !short.isEmpty else { return }
        throw HelperError.unsupported("macOS \(version) does not run in VM '\(vmName)': it has \(short.joined(separator: " and ")); raise them with 'vmtui configure' and install again.")
    }

    static func gib(_ bytes: UInt64) -> String {
        let value = Double(bytes) / Double(1 << 30)
        return value == value.rounded() ? "\(Int(value)) GiB" : String(format: "%.1f GiB", value)
    }
}

/// Progress reports at most once per `interval`, without repeats, and always the first and the
/// last (1.0) one. Not thread-safe: callers hold a lock.
public struct ProgressThrottle: Sendable {
    public let interval: TimeInterval
    private var last: (fraction: Double, at: Date)?

    public init(interval: TimeInterval = 1) { self.interval = interval }

    /// The fraction to report now (clamped to 0…1), or nil to skip this one.
    public mutating func admit(_ fraction: Double, at now: Date) -> Double? {
        let f = fraction.isFinite ? min(1, max(0, fraction)) : 0
        if let last {
            // Repeats are dropped at a resolution of 0.1 %.
            if (f * 1000).rounded() == (last.fraction * 1000).rounded() { return nil }
            if f < 1, now.timeIntervalSince(last.at) < interval { return nil }
        }
        last = (f, now)
        return f
    }
}
