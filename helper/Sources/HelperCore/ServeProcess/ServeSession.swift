import Foundation

/// The lifecycle state of one `serve` session: whether `shutdown` came, and how the process ends.
public final class ServeSession: @unchecked Sendable {
    private let lock = NSLock()
    private var shutdownRequested = false
    private var exitStatus: Int32?
    private let ended = DispatchSemaphore(value: 0)

    public init() {}

    public var isShuttingDown: Bool { lock.locked { shutdownRequested } }

    func beginShutdown() {
        lock.locked { shutdownRequested = true }
    }

    /// The `exit` notification: 0 after `shutdown`, 1 without it (as in LSP).
    func exitRequested() {
        end(status: isShuttingDown ? 0 : 1)
    }

    /// Ends the session with `status`; the first call wins.
    public func end(status: Int32) {
        let first: Bool = lock.locked {
            guard exitStatus == nil else { return false }
            exitStatus = status
            return true
        }
        if first { ended.signal() }
    }

    /// Blocks until the session ends; returns the process exit status.
    public func waitForEnd() -> Int32 {
        ended.wait()
        return lock.locked { exitStatus ?? 0 }
    }
}

extension ServeSession {
    /// Like waitForEnd, but gives up after `timeout` seconds (nil); for tests.
    func wait(timeout: TimeInterval) -> Int32? {
        guard ended.wait(timeout: .now() + timeout) == .success else { return nil }
        ended.signal()  // leave it signalled for any other waiter
        return lock.locked { exitStatus }
    }
}
