import Foundation

/// Monitoring (PROTOCOL.md, "Monitoring"): stats/subscribe, vm/stats, host/stats, and the per-VM
/// host's host/sample.

public struct StatsSubscribeParams: Codable, Equatable, Sendable {
    public var intervalMs: Int
    public init(intervalMs: Int) { self.intervalMs = intervalMs }
}

public struct StatsSubscribeResult: Codable, Equatable, Sendable {
    /// The interval used: the request's, clamped to 250 … 10 000.
    public var intervalMs: Int
    public init(intervalMs: Int) { self.intervalMs = intervalMs }
}

public enum StatsInterval {
    public static let minimumMs = 250
    public static let maximumMs = 10_000

    public static func clamp(_ ms: Int) -> Int { min(maximumMs, max(minimumMs, ms)) }
}

public enum AddressSource: String, Codable, Sendable {
    case dhcpLeases
    case arp
    case guestConsole
    case userNet
}

public struct GuestAddress: Codable, Equatable, Sendable {
    public var ip: String
    public var source: AddressSource
    /// Seconds since the source last showed this address.
    public var ageSeconds: Double

    public init(ip: String, source: AddressSource, ageSeconds: Double) {
        self.ip = ip
        self.source = source
        self.ageSeconds = ageSeconds
    }
}

public struct VMStats: Codable, Equatable, Sendable {
    public var name: String
    public var state: VMState
    /// % of one core over the last interval (the first sample: the average since the process started).
    public var cpuPercent: Double
    /// cpuPercent / host cores.
    public var hostCpuPercent: Double
    public var residentBytes: UInt64
    public var memoryBytes: UInt64
    public var diskAllocatedBytes: UInt64
    public var diskBytes: UInt64
    public var uptimeSeconds: Double
    public var vmPid: Int32?
    public var address: GuestAddress?
    public var sshAddress: String?
    /// Why this VM could not be (fully) sampled, as a sentence.
    public var error: String?
}

public struct VMStatsParams: Codable, Equatable, Sendable {
    public var time: String
    public var vms: [VMStats]
}

public struct HostStatsParams: Codable, Equatable, Sendable {
    public var time: String
    /// Busy share of all cores since the previous sample, 0 … 100.
    public var cpuPercent: Double
    public var memoryUsedBytes: UInt64
    public var memoryTotalBytes: UInt64
    public var freeDiskBytes: UInt64
    public var totalDiskBytes: UInt64
    /// nil where macOS guests cannot run; sent as an explicit `null`.
    public var macosSlots: MacOSSlots?

    enum CodingKeys: String, CodingKey {
        case time, cpuPercent, memoryUsedBytes, memoryTotalBytes, freeDiskBytes, totalDiskBytes, macosSlots
    }

    public init(time: String, cpuPercent: Double, memoryUsedBytes: UInt64, memoryTotalBytes: UInt64,
                freeDiskBytes: UInt64, totalDiskBytes: UInt64, macosSlots: MacOSSlots?) {
        self.time = time
        self.cpuPercent = cpuPercent
        self.memoryUsedBytes = memoryUsedBytes
        self.memoryTotalBytes = memoryTotalBytes
        self.freeDiskBytes = freeDiskBytes
        self.totalDiskBytes = totalDiskBytes
        self.macosSlots = macosSlots
    }

    // By hand only so that a missing `macosSlots` goes out as `null`.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(time, forKey: .time)
        try c.encode(cpuPercent, forKey: .cpuPercent)
        try c.encode(memoryUsedBytes, forKey: .memoryUsedBytes)
        try c.encode(memoryTotalBytes, forKey: .memoryTotalBytes)
        try c.encode(freeDiskBytes, forKey: .freeDiskBytes)
        try c.encode(totalDiskBytes, forKey: .totalDiskBytes)
        if let macosSlots { try c.encode(macosSlots, forKey: .macosSlots) } else { try c.encodeNil(forKey: .macosSlots) }
    }
}

/// What a per-VM host measures of its guest's process when asked (control socket only).
public struct HostSample: Codable, Equatable, Sendable {
    public var state: VMState
    /// CPU time the process has used since it started (user + system).
    public var cpuSeconds: Double
    public var residentBytes: UInt64
    public var vmPid: Int32?
    /// Seconds since the process started (since the host started while there is no process yet).
    public var uptimeSeconds: Double
    public var address: GuestAddress?
    public var sshAddress: String?
    /// Why the process could not be measured (not found yet); nil when it was.
    public var error: String?
}

public enum StatsSubscribeRequest: RPCRequestType {
    public typealias Params = StatsSubscribeParams
    public typealias Result = StatsSubscribeResult
    public static let method = "stats/subscribe"
}

public enum StatsUnsubscribeRequest: RPCRequestType {
    public typealias Params = EmptyParams
    public typealias Result = NullResult
    public static let method = "stats/unsubscribe"
}

/// Host control socket only.
public enum HostSampleRequest: HostRequestType {
    public typealias Params = VMNameParams
    public typealias Result = HostSample
    public static let method = "host/sample"
}

public enum VMStatsNotification: RPCNotificationType {
    public typealias Params = VMStatsParams
    public static let method = "vm/stats"
}

public enum HostStatsNotification: RPCNotificationType {
    public typealias Params = HostStatsParams
    public static let method = "host/stats"
}
