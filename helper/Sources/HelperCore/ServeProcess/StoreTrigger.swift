import Foundation

/// What wakes the store watcher: a kernel report that something under `vms/` changed (inotify on
/// Linux), or a timer (elsewhere, and wherever inotify is refused).
protocol StoreTrigger: AnyObject, Sendable {
    /// Blocks until the store may have changed; false once `close` was called.
    func wait() -> Bool
    /// The bundles seen in the last look, so their folders are watched too. True when a folder
    /// is watched from now on: a change made before that is only seen by looking again.
    func watch(bundles: [VMBundle]) -> Bool
    func close()
}

/// Wakes every `interval`: a look at 50 bundles is a few hundred stat calls (see
/// scripts/bench/serve-watch.ts for what that costs).
final class PollTrigger: StoreTrigger, @unchecked Sendable {
    private let interval: TimeInterval
    private let condition = NSCondition()
    private var closed = false

    init(interval: TimeInterval = 0.5) {
        self.interval = interval
    }

    func wait() -> Bool {
        condition.locked {
            let until = Date().addingTimeInterval(interval)
            while !closed && Date() < until { _ = condition.wait(until: until) }
            return !closed
        }
    }

    func watch(bundles: [VMBundle]) -> Bool { false }

    func close() {
        condition.locked {
            closed = true
            condition.broadcast()
        }
    }
}

enum StoreTriggers {
    /// inotify where the kernel offers it, unless `VMTUI_STORE_WATCH=poll`; else a poll.
    static func make(_ store: BundleStore, environment: [String: String]) -> StoreTrigger {
        #if os(Linux)
        if environment["VMTUI_STORE_WATCH"] != "poll" {
            do { return try InotifyTrigger(store: store) } catch {
                Log.error("watching \(store.vmsDirectory.path) with inotify failed (\(error)); looking for changes every 0.5 s instead.")
            }
        }
        #endif
        return PollTrigger()
    }
}
