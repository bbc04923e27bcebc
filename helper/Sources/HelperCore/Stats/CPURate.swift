/// Turns successive samples of each VM's process into a CPU rate (% of one core).
public struct CPURateTracker: Sendable {
    private struct Previous: Sendable {
        var pid: Int32
        var cpuSeconds: Double
        var uptimeSeconds: Double
        var percent: Double
    }

    private var previous: [String: Previous] = [:]

    public init() {}

    /// Over the time since the previous sample of the same process; for the first sample of a
    /// process (a new pid, or CPU time that went backwards) the average since it started.
    /// Times are the process's own age, so both ends of a delta come from one clock.
    public mutating func percent(name: String, pid: Int32, cpuSeconds: Double, uptimeSeconds: Double) -> Double {
        var result: Double
        if let p = previous[name], p.pid == pid, cpuSeconds >= p.cpuSeconds {
            // Two samples within the clock's resolution: keep the last rate rather than divide by zero.
            result = uptimeSeconds > p.uptimeSeconds
                ? (cpuSeconds - p.cpuSeconds) / (uptimeSeconds - p.uptimeSeconds) * 100
                : p.percent
        } else {
            result = uptimeSeconds > 0 ? cpuSeconds / uptimeSeconds * 100 : 0
        }
        result = max(0, result)
        previous[name] = Previous(pid: pid, cpuSeconds: cpuSeconds, uptimeSeconds: uptimeSeconds, percent: result)
        return result
    }

    /// Forgets every VM not in `names`, so one that stops and starts again begins afresh.
    public mutating func keep(only names: Set<String>) {
        previous = previous.filter { names.contains($0.key) }
    }
}

/// The host's busy share across successive samples.
public struct HostCPURate: Sendable {
    private var previous: CPUTicks?
    private var lastPercent = 0.0

    public init() {}

    /// Since the previous sample; the first one since boot.
    public mutating func percent(_ now: CPUTicks?) -> Double {
        guard let now else { return lastPercent }
        if let value = now.busyPercent(since: previous) { lastPercent = value }
        previous = now
        return lastPercent
    }
}

extension Double {
    /// Two decimals are plenty for a percentage and keep the JSON short.
    func roundedToHundredths() -> Double { (self * 100).rounded() / 100 }
}
