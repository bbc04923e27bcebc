import Foundation
import XCTest
@testable import HelperCore

final class VZInstallSupportTests: XCTestCase {
    func testRequirementsPassWhenMet() throws {
        try VZMacGuestRequirements.check(cpuCount: 4, memoryBytes: 4 << 30, vmName: "mac", minimumCPUCount: 4,
                                         minimumMemoryBytes: 4 << 30, version: "15.1 (24B83)")
    }

    func testRequirementsNameWhatIsShort() {
        func message(cpu: Int, memory: UInt64) -> String {
            do {
                try VZMacGuestRequirements.check(cpuCount: cpu, memoryBytes: memory, vmName: "mac", minimumCPUCount: 4,
                                                 minimumMemoryBytes: 4 << 30, version: "15.1 (24B83)")
                return "no error"
            } catch {
                return (error as? HelperError)?.message ?? "\(error)"
            }
        }
        let cpu = message(cpu: 2, memory: 8 << 30)
        XCTAssertTrue(cpu.contains("2 CPUs (it needs at least 4)"), cpu)
        XCTAssertFalse(cpu.contains("memory"), cpu)
        let memory = message(cpu: 4, memory: 3 << 29)
        XCTAssertTrue(memory.contains("1.5 GiB of memory (it needs at least 4 GiB)"), memory)
        let both = message(cpu: 1, memory: 1 << 30)
        XCTAssertTrue(both.contains("1 CPUs (it needs at least 4) and 1 GiB of memory"), both)
        XCTAssertTrue(both.hasPrefix("macOS 15.1 (24B83) does not run in VM 'mac'"), both)
        XCTAssertTrue(both.hasSuffix("install again."), both)
    }

    func testThrottleReportsAtMostOncePerIntervalWithoutRepeats() {
        var throttle = ProgressThrottle(interval: 1)
        let t0 = Date(timeIntervalSince1970: 1000)
        XCTAssertEqual(throttle.admit(0, at: t0), 0)
        XCTAssertNil(throttle.admit(0.1, at: t0.addingTimeInterval(0.5)))   // too soon
        XCTAssertEqual(throttle.admit(0.2, at: t0.addingTimeInterval(1.0)), 0.2)
        XCTAssertNil(throttle.admit(0.2, at: t0.addingTimeInterval(5)))     // a repeat
        XCTAssertNil(throttle.admit(0.20004, at: t0.addingTimeInterval(6))) // a repeat at 0.1 %
        XCTAssertEqual(throttle.admit(0.3, at: t0.addingTimeInterval(6)), 0.3)
        XCTAssertEqual(throttle.admit(1, at: t0.addingTimeInterval(6.1)), 1) // the end is never held back
        XCTAssertNil(throttle.admit(1, at: t0.addingTimeInterval(9)))
    }

    func testThrottleClampsFractions() {
        var throttle = ProgressThrottle(interval: 0)
        let t = Date()
        XCTAssertEqual(throttle.admit(-0.5, at: t), 0)
        XCTAssertEqual(throttle.admit(1.7, at: t), 1)
        var other = ProgressThrottle(interval: 0)
        XCTAssertEqual(other.admit(.nan, at: t), 0)
    }
}
