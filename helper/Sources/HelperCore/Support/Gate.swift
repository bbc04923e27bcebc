import Foundation

/// Shut until `open()`, then open for good: async waiters resume at once, and later waits return
/// at once. serve holds its VM methods behind one until the store watcher's first look is taken.
final class Gate: @unchecked Sendable {
    private let lock = NSLock()
    private var opened = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    var isOpen: Bool { lock.locked { opened } }

    func open() {
        let resumed: [CheckedContinuation<Void, Never>] = lock.locked {
            guard !opened else { return [] }
            opened = true
            defer { waiters = [] }
            return waiters
        }
        for waiter in resumed { waiter.resume() }
    }

    func wait() async {
        await withCheckedContinuation { (waiter: CheckedContinuation<Void, Never>) in
            let now = lock.locked {
                if opened { return true }
                waiters.append(waiter)
                return false
            }
            if now { waiter.resume() }
        }
    }
}
