import Foundation

/// Parsers for the Linux /proc files the stats read. They take the text, so tests feed them fixed
/// strings; ProcessSampler and HostLoad do the reading.
public enum ProcFS {
    /// The fields of /proc/<pid>/stat that the stats use (proc(5)).
    public struct PidStat: Equatable, Sendable {
        /// R, S, D, Z (zombie: exited, not yet reaped), X (dead), …
        public var state: Character
        public var userTicks: UInt64
        public var systemTicks: UInt64
        /// Clock ticks after boot at which the process started.
        public var startTicks: UInt64
        public var residentPages: UInt64

        /// Whether the process has exited (its entry stays until the parent reaps it).
        public var hasExited: Bool { state == "Z" || state == "X" || state == "x" }
    }

    /// /proc/<pid>/stat. Field 2, the command name, is in parentheses and may itself hold spaces
    /// and parentheses, so the fields are counted from the last ')'.
    public static func parsePidStat(_ text: String) -> PidStat? {
        guard let close = text.lastIndex(of: ")") else { return nil }
        let fields = text[text.index(after: close)...].split(whereSeparator: { $0 == " " || $0 == "\n" })
        // fields[0] is field 3 (state); utime is field 14, stime 15, starttime 22, rss 24.
        guard fields.count >= 22, let state = fields[0].first,
              let user = UInt64(fields[11]), let system = UInt64(fields[12]),
              let start = UInt64(fields[19]), let rss = Int64(fields[21]) else { return nil }
        return PidStat(state: state, userTicks: user, systemTicks: system, startTicks: start, residentPages: UInt64(max(0, rss)))
    }

    /// Resident pages from /proc/<pid>/statm (its second field).
    public static func parseStatmResidentPages(_ text: String) -> UInt64? {
        let fields = text.split(whereSeparator: { $0 == " " || $0 == "\n" })
        guard fields.count >= 2 else { return nil }
        return UInt64(fields[1])
    }

    /// VmRSS from /proc/<pid>/status, in bytes; nil when absent (kernel threads, zombies).
    public static func parseStatusResidentBytes(_ text: String) -> UInt64? {
        kilobytes("VmRSS", in: text).map { $0 * 1024 }
    }

    /// The first number of /proc/uptime: seconds since boot.
    public static func parseUptime(_ text: String) -> Double? {
        text.split(whereSeparator: { $0 == " " || $0 == "\n" }).first.flatMap { Double($0) }
    }

    /// The aggregate "cpu" line of /proc/stat.
    public static func parseCPUTicks(_ text: String) -> CPUTicks? {
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("cpu ") }) else { return nil }
        let numbers = line.split(separator: " ").dropFirst().compactMap { UInt64($0) }
        // user nice system idle iowait irq softirq steal [guest guest_nice]; guest time is already
        // inside user and nice, so it is not added again.
        guard numbers.count >= 4 else { return nil }
        func at(_ i: Int) -> UInt64 { i < numbers.count ? numbers[i] : 0 }
        let idle = at(3) + at(4)
        let busy = at(0) + at(1) + at(2) + at(5) + at(6) + at(7)
        return CPUTicks(busy: busy, total: busy + idle)
    }

    /// Used and total memory from /proc/meminfo: used is MemTotal − MemAvailable (what programs
    /// could not get without swapping); kernels before 3.14 lack MemAvailable, then free + buffers + cached count as available.
    public static func parseMemInfo(_ text: String) -> MemoryUse? {
        guard let total = kilobytes("MemTotal", in: text) else { return nil }
        let available = kilobytes("MemAvailable", in: text)
            ?? (kilobytes("MemFree", in: text) ?? 0) + (kilobytes("Buffers", in: text) ?? 0) + (kilobytes("Cached", in: text) ?? 0)
        return MemoryUse(usedBytes: (total - min(total, available)) * 1024, totalBytes: total * 1024)
    }

    /// The value of a "Key:   123 kB" line.
    static func kilobytes(_ key: String, in text: String) -> UInt64? {
        for line in text.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":"), line[..<colon] == key else { continue }
            return line[line.index(after: colon)...].split(whereSeparator: { $0 == " " || $0 == "\t" }).first.flatMap { UInt64($0) }
        }
        return nil
    }
}

/// Cumulative CPU time of the whole host, in clock ticks (any unit: only shares are used).
public struct CPUTicks: Equatable, Sendable {
    public var busy: UInt64
    public var total: UInt64

    public init(busy: UInt64, total: UInt64) {
        self.busy = busy
        self.total = total
    }

    /// Busy share of all cores between `earlier` and this sample, 0 … 100; with no earlier
    /// sample, since boot. Nil when no time passed between the two.
    public func busyPercent(since earlier: CPUTicks?) -> Double? {
        let base = earlier ?? CPUTicks(busy: 0, total: 0)
        guard total > base.total, busy >= base.busy else { return nil }
        return min(100, Double(busy - base.busy) / Double(total - base.total) * 100)
    }
}

public struct MemoryUse: Equatable, Sendable {
    public var usedBytes: UInt64
    public var totalBytes: UInt64
}
