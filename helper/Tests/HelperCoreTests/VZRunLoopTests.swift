import Foundation
import XCTest
@testable import HelperCore

/// `MainRunLoop.wait`, which VMHost uses for VZ guests: the main run loop must keep turning
/// while the main thread waits for the guest to stop.
final class VZRunLoopTests: XCTestCase {
    func testMainThreadWaitKeepsTheRunLoopTurning() {
        XCTAssertTrue(Thread.isMainThread, "XCTest runs tests on the main thread")
        let stopped = DispatchSemaphore(value: 0)
        let fired = Locked(0)
        let signalled = Locked(false)
        let timer = Timer(timeInterval: 0.05, repeats: true) { _ in fired.update { $0 += 1 } }
        RunLoop.main.add(timer, forMode: .default)
        defer { timer.invalidate() }
        // The guest "stops" once the main run loop has fired the timer three times, or after a
        // deadline that only a hang reaches (then the count below fails the test instead).
        Thread {
            let deadline = Date().addingTimeInterval(30)
            while fired.current < 3 && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
            signalled.update { $0 = true }
            stopped.signal()
        }.start()
        MainRunLoop.wait(for: stopped)
        XCTAssertTrue(signalled.current, "wait returned before the semaphore was signalled")
        XCTAssertGreaterThanOrEqual(fired.current, 3, "timers on the main run loop must fire while waiting")
    }

    func testOtherThreadsJustWait() {
        let stopped = DispatchSemaphore(value: 0)
        let returned = DispatchSemaphore(value: 0)
        Thread {
            MainRunLoop.wait(for: stopped)
            returned.signal()
        }.start()
        XCTAssertEqual(returned.wait(timeout: .now() + 0.2), .timedOut)
        stopped.signal()
        XCTAssertEqual(returned.wait(timeout: .now() + 30), .success)
    }
}
