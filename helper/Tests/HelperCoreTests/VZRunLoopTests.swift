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
        let timer = Timer(timeInterval: 0.05, repeats: true) { _ in fired.update { $0 += 1 } }
        RunLoop.main.add(timer, forMode: .default)
        defer { timer.invalidate() }
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.5) { stopped.signal() }
        let start = Date()
        MainRunLoop.wait(for: stopped)
        let waited = Date().timeIntervalSince(start)
        XCTAssertGreaterThanOrEqual(waited, 0.45)
        XCTAssertLessThan(waited, 3)
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
        XCTAssertEqual(returned.wait(timeout: .now() + 5), .success)
    }
}
