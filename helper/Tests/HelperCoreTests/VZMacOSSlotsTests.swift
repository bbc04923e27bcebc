import Foundation
import XCTest
@testable import HelperCore

final class VZMacOSSlotsTests: XCTestCase {
    func testCountsRunningMacOSBundlesOnly() {
        let bundles = [
            VZMacOSSlots.Bundle(name: "zeta", lockHeld: true, os: .macos),
            VZMacOSSlots.Bundle(name: "alpha", lockHeld: true, os: .macos),
            VZMacOSSlots.Bundle(name: "stopped-mac", lockHeld: false, os: .macos),
            VZMacOSSlots.Bundle(name: "linux", lockHeld: true, os: .linux),
            VZMacOSSlots.Bundle(name: "broken", lockHeld: true, os: nil),
        ]
        XCTAssertEqual(VZMacOSSlots.running(bundles), ["alpha", "zeta"])
        XCTAssertEqual(VZMacOSSlots.running([]), [])
    }

    func testScansTheStoreWithRealLocks() throws {
        let home = try temporaryFolder("vzslots", create: false)
        let store = BundleStore(home: home)
        func make(_ name: String, _ os: GuestOS) throws -> VMBundle {
            let boot: BootConfig = os == .macos ? .macOS : .efi(iso: nil)
            let config = VMConfig(os: os, arch: "arm64", cpuCount: 1, memoryBytes: 1 << 30, diskBytes: 1 << 20,
                                  macAddress: MACAddress.randomLocallyAdministered(), boot: boot, createdAt: "")
            return try store.create(name: name, config: config)
        }
        let running = try make("mac-running", .macos)
        _ = try make("mac-stopped", .macos)
        let linux = try make("linux-running", .linux)
        let broken = try make("broken", .macos)
        try Data("{".utf8).write(to: broken.config)

        let locks = try [running, linux, broken].map { try HostLock.acquire($0.lock, name: $0.name) }
        XCTAssertEqual(VZMacOSSlots.running(VZMacOSSlots.scan(home: home)), ["mac-running"])
        XCTAssertEqual(VZMacOSSlots.slots(home: home), MacOSSlots(used: 1, max: 2, vms: ["mac-running"]))
        withExtendedLifetime(locks) {}
    }
}
