import Foundation

/// A backend whose hypervisor may deliver work through the main thread's run loop
/// (Virtualization.framework). VMHost keeps that run loop turning while such a guest runs.
public protocol MainRunLoopBackend: VMBackend {}

enum MainRunLoop {
    /// Waits for `semaphore`. On the main thread it turns the main run loop meanwhile, so work
    /// scheduled there (main-queue blocks, timers, framework callbacks) still runs.
    static func wait(for semaphore: DispatchSemaphore) {
        guard Thread.isMainThread else {
            semaphore.wait()
            return
        }
        // Without a source the run loop would return at once and this would spin; the timer is one.
        let keepAlive = Timer(timeInterval: 0.1, repeats: true) { _ in }
        RunLoop.main.add(keepAlive, forMode: .default)
        defer { keepAlive.invalidate() }
        while semaphore.wait(timeout: .now()) == .timedOut {
            _ = RunLoop.main.run(mode: .default, before: Date(timeIntervalSinceNow: 0.1))
        }
    }
}
