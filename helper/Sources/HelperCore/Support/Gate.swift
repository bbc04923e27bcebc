import Foundation

/// Shut until `open()`, then open for good: async waiters resume at once, and later waits return
/// at once. serve holds its VM methods behind one until the store watcher's first look is taken.
final class Gate: @unchecked Sendable {
    private let lock = NSLock()
    private var isOpen = false
    private var waiters: [CheckedContinuation<Void, Never>] = []
    private let opened = DispatchSemaphore(value: 0)

    func open() {
        let resumed: [CheckedContinuation<Void, Never>] = lock.locked {
            guard !isOpen else { return [] }
            isOpen = true
            defer { waiters = [] }
            return waiters
        }
        for waiter in resumed { waiter.resume() }
        opened.signal()
    }

    func wait() async {
        await withCheckedContinuation { (waiter: CheckedContinuation<Void, Never>) in
            let now = lock.locked {
                if isOpen { return true }
                waiters.append(waiter)
                return false
            }
            if now { waiter.resume() }
        }
    }

    /// Blocks up to `timeout` seconds; true when the gate is open.
    func wait(timeout: TimeInterval) -> Bool {
        if lock.locked({ isOpen }) { return true }
        guard opened.wait(timeout: .now() + timeout) == .success else { return false }
        opened.signal() // for the next blocking waiter
        return true
    }
}
