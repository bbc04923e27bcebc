import Foundation

/// `stats/subscribe` and `stats/unsubscribe` of a serve session. Each subscribed connection has
/// a thread that samples every interval and sends it `vm/stats` and `host/stats`; with no
/// subscriber there is no thread, no timer and no host is asked.
public final class StatsService: @unchecked Sendable {
    private let vms: VMService
    private let lock = NSLock()
    private var subscriptions: [ObjectIdentifier: StatsSubscription] = [:]

    public init(vms: VMService) {
        self.vms = vms
    }

    /// Starts or re-times the connection's subscription; returns the interval used.
    func subscribe(_ connection: Connection, intervalMs: Int) -> Int {
        let interval = StatsInterval.clamp(intervalMs)
        let key = ObjectIdentifier(connection)
        let made: StatsSubscription? = lock.locked {
            if let existing = subscriptions[key] {
                existing.retime(intervalMs: interval)
                return nil
            }
            let subscription = StatsSubscription(connection: connection, intervalMs: interval, vms: vms) { [weak self] in
                self?.forget(key)
            }
            subscriptions[key] = subscription
            return subscription
        }
        made?.start()
        return interval
    }

    /// Ends the connection's subscription. Once this returns, nothing more is sent for it.
    func unsubscribe(_ connection: Connection) {
        let ended = lock.locked { subscriptions.removeValue(forKey: ObjectIdentifier(connection)) }
        ended?.end()
    }

    /// Something changed (a VM started, stopped, appeared): every subscriber gets its next samples
    /// now rather than an interval after the last (but not sooner than `StatsSubscription.soonest`).
    func sampleSoon() {
        let all = lock.locked { Array(subscriptions.values) }
        all.forEach { $0.sampleSoon() }
    }

    /// How many connections are subscribed (their sampling threads are running).
    var subscriberCount: Int { lock.locked { subscriptions.count } }

    private func forget(_ key: ObjectIdentifier) {
        _ = lock.locked { subscriptions.removeValue(forKey: key) }
    }
}

extension StatsService: MethodService {
    public func register(on router: Router) {
        router.register(StatsSubscribeRequest.self) { p, context in
            StatsSubscribeResult(intervalMs: self.subscribe(context.connection, intervalMs: p.intervalMs))
        }
        router.register(StatsUnsubscribeRequest.self) { _, context in
            self.unsubscribe(context.connection)
            return NullResult()
        }
    }
}

/// One connection's sampling thread.
final class StatsSubscription: @unchecked Sendable {
    private let connection: Connection
    private let collector: VMStatsCollector
    private var host: HostStatsSampler
    private let onConnectionClosed: @Sendable () -> Void
    private let condition = NSCondition()
    // Guarded by condition.
    private var intervalMs: Int
    private var ended = false
    private var lastTick: Date?
    private var soon = false
    /// Samples asked for by `sampleSoon` come at most this often.
    static let soonest: TimeInterval = 0.25

    init(connection: Connection, intervalMs: Int, vms: VMService, onConnectionClosed: @escaping @Sendable () -> Void) {
        self.connection = connection
        self.intervalMs = intervalMs
        collector = VMStatsCollector(vms: vms)
        host = HostStatsSampler(home: vms.store.home)
        self.onConnectionClosed = onConnectionClosed
    }

    func start() {
        let thread = Thread { [self] in run() }
        thread.name = "vmtui-stats"
        thread.start()
    }

    /// The next samples come one new interval after the last ones (at once if that has passed).
    func retime(intervalMs: Int) {
        condition.locked {
            self.intervalMs = intervalMs
            condition.signal()
        }
    }

    func sampleSoon() {
        condition.locked {
            soon = true
            condition.signal()
        }
    }

    /// Waits for a sample being sent to finish, so nothing follows the unsubscribe's answer.
    func end() {
        condition.locked {
            ended = true
            condition.signal()
        }
    }

    /// When the next samples are due. Called with the condition locked.
    private func due(after last: Date) -> Date {
        let interval = Double(intervalMs) / 1000
        return last.addingTimeInterval(soon ? min(interval, Self.soonest) : interval)
    }

    private func run() {
        while true {
            let interval: Int? = condition.locked {
                while !ended, let last = lastTick, Date() < due(after: last) {
                    _ = condition.wait(until: due(after: last))
                }
                soon = false
                return ended ? nil : intervalMs
            }
            guard let interval else { return }
            if connection.isClosed {
                onConnectionClosed()
                return
            }
            let started = Date()
            // A host gets at least a second to answer, whatever the interval.
            let vms = collector.collect(timeout: max(1, Double(interval) / 1000))
            let time = VMEvent.format(started)
            let hostStats = host.sample(time: time)
            condition.locked {
                lastTick = started
                guard !ended else { return }
                connection.notify(VMStatsNotification.self, VMStatsParams(time: time, vms: vms))
                connection.notify(HostStatsNotification.self, hostStats)
            }
        }
    }
}

/// host/stats: the host's CPU since the previous sample, memory, disk and macOS slots.
struct HostStatsSampler {
    let home: URL
    private var cpu = HostCPURate()

    init(home: URL) { self.home = home }

    mutating func sample(time: String) -> HostStatsParams {
        let memory = HostLoad.memory()
        let disk = try? DiskSpace.of(home.path)
        return HostStatsParams(time: time, cpuPercent: cpu.percent(HostLoad.cpuTicks()).roundedToHundredths(),
                               memoryUsedBytes: memory?.usedBytes ?? 0, memoryTotalBytes: memory?.totalBytes ?? 0,
                               freeDiskBytes: disk?.freeBytes ?? 0, totalDiskBytes: disk?.totalBytes ?? 0,
                               macosSlots: VZMacOSSlots.slotsOnThisHost(home: home))
    }
}
