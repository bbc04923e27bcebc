import Foundation
import XCTest
@testable import HelperCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

final class VZErrorMappingTests: XCTestCase {
    let context = VZErrorContext(vmName: "mac1", action: "start", state: "stopped", path: "/vms/mac1/disk.img")

    func vzError(_ code: Int, _ message: String = "The operation couldn’t be completed.", userInfo: [String: Any] = [:]) -> NSError {
        var info = userInfo
        info[NSLocalizedDescriptionKey] = message
        return NSError(domain: "VZErrorDomain", code: code, userInfo: info)
    }

    func map(_ code: Int, _ message: String = "Framework words.", context: VZErrorContext? = nil) -> HelperError {
        VZErrorMapping.helperError(vzError(code, message), context: context ?? self.context)
    }

    func testEveryCodeGivesASentenceOfTheRightKind() {
        let expected: [Int: String] = [
            1: "backend", 2: "backend", 3: "invalidState", 4: "invalidState", 5: "backend", 6: "backend",
            7: "backend", 8: "diskFull", 9: "cancelled", 10: "unsupported", 11: "backend", 12: "backend",
            10001: "backend", 10002: "backend", 10003: "unsupported", 10004: "backend", 10005: "backend",
            10006: "unsupported", 10007: "backend", 424242: "backend",
        ]
        var messages = Set<String>()
        for (code, kind) in expected {
            let error = map(code)
            XCTAssertEqual(error.kind, kind, "code \(code): \(error.message)")
            XCTAssertTrue(error.message.hasSuffix("."), "code \(code): \(error.message)")
            XCTAssertFalse(error.message.contains(".."), "code \(code): \(error.message)")
            XCTAssertTrue(error.message.first?.isUppercase ?? false, "code \(code): \(error.message)")
            messages.insert(error.message)
        }
        // No two codes read the same (3 and 4 are both "invalid state").
        XCTAssertEqual(messages.count, expected.count - 1)
    }

    func testLimitOfTwoMacOSVMsNamesTheRunningOnes() {
        var c = context
        c.runningMacOSVMs = ["build", "mac1", "test"]
        let two = map(6, context: c).message
        XCTAssertTrue(two.hasPrefix("Only two macOS VMs can run at a time"), two)
        XCTAssertTrue(two.contains("'build' and 'test' are running"), two)
        XCTAssertFalse(two.contains("'mac1' and"), two)
        XCTAssertTrue(two.contains("start VM 'mac1' again"), two)

        c.runningMacOSVMs = ["build"]
        XCTAssertTrue(map(6, context: c).message.contains("'build' is running"))

        c.runningMacOSVMs = ["mac1"]
        let none = map(6, context: c).message
        XCTAssertTrue(none.contains("restart"), none)
        XCTAssertTrue(none.contains("another app"), none)
    }

    func testListFormatting() {
        XCTAssertEqual(VZErrorMapping.list(["a"]), "'a'")
        XCTAssertEqual(VZErrorMapping.list(["a", "b"]), "'a' and 'b'")
        XCTAssertEqual(VZErrorMapping.list(["a", "b", "c"]), "'a', 'b' and 'c'")
    }

    func testInvalidConfigurationFromALockedAuxiliaryStorage() {
        let underlying = NSError(domain: NSPOSIXErrorDomain, code: Int(EAGAIN))
        let error = vzError(2, "Failed to lock auxiliary storage.", userInfo: [NSUnderlyingErrorKey: underlying])
        let message = VZErrorMapping.helperError(error, context: context).message
        XCTAssertTrue(message.hasPrefix("Another process has the files of VM 'mac1' open"), message)
        XCTAssertTrue(map(2, "Invalid memory size.").message.contains("Invalid memory size"))
        XCTAssertTrue(map(2).message.contains("vmtui configure"))
    }

    func testStateErrorsCarryTheState() {
        var c = context
        c.state = "paused"
        c.action = "pause"
        for code in [3, 4] {
            XCTAssertEqual(map(code, context: c), .invalidState(name: "mac1", state: "paused", action: "pause"))
        }
    }

    func testSpaceCancelSaveRestoreAndSupport() {
        XCTAssertEqual(map(8), .diskFull(path: "/vms/mac1/disk.img"))
        XCTAssertEqual(map(9), .cancelled("The request to start VM 'mac1'"))
        XCTAssertEqual(map(10, "Nested virtualization is not supported.").message,
                       "This Mac cannot start VM 'mac1': Nested virtualization is not supported. Update macOS, or change the VM's settings.")
        XCTAssertTrue(map(11).message.contains("still paused"))
        var restore = context
        restore.path = "/vms/mac1/state.save"
        let message = map(12, context: restore).message
        XCTAssertTrue(message.contains("Delete /vms/mac1/state.save"), message)
    }

    func testInstallErrors() {
        var c = context
        c.action = "install macOS into"
        c.path = "/ipsw/UniversalMac.ipsw"
        XCTAssertTrue(map(10001, context: c).message.contains("internet connection"))
        XCTAssertTrue(map(10004, context: c).message.contains("/ipsw/UniversalMac.ipsw"))
        XCTAssertTrue(map(10005, context: c).message.contains("download the IPSW again"))
        let update = map(10006, context: c).message
        XCTAssertTrue(update.contains("device-support update"), update)
        XCTAssertTrue(update.contains("softwareupdate"), update)
        XCTAssertTrue(map(10007, context: c).message.contains("Installing macOS into VM 'mac1' failed"))
    }

    func testUnknownCodesKeepTheFrameworksWords() {
        let message = map(30001, "USB controller not found.").message
        XCTAssertEqual(message, "Could not start VM 'mac1': USB controller not found (Virtualization.framework error 30001).")
    }

    func testOtherErrors() {
        XCTAssertEqual(VZErrorMapping.helperError(NSError(domain: NSPOSIXErrorDomain, code: Int(ENOSPC)), context: context),
                       .diskFull(path: "/vms/mac1/disk.img"))
        let other = NSError(domain: "NSCocoaErrorDomain", code: 4, userInfo: [NSLocalizedDescriptionKey: "The file doesn’t exist."])
        XCTAssertEqual(VZErrorMapping.helperError(other, context: context), .backend("Could not start VM 'mac1': The file doesn’t exist."))
        let helper = HelperError.unsupported("Already a sentence.")
        XCTAssertEqual(VZErrorMapping.helperError(helper, context: context), helper)
    }

    func testFrameworkSentenceTrimsAndAddsTheReason() {
        let error = NSError(domain: "VZErrorDomain", code: 2, userInfo: [
            NSLocalizedDescriptionKey: "Invalid virtual machine configuration.",
            NSLocalizedFailureReasonErrorKey: "The storage device attachment is invalid.",
        ])
        XCTAssertEqual(VZErrorMapping.sentence(error), "Invalid virtual machine configuration: The storage device attachment is invalid")
        XCTAssertEqual(VZErrorMapping.sentence(NSError(domain: "VZErrorDomain", code: 2, userInfo: [NSLocalizedDescriptionKey: ""])), "no details given")
    }

    func testIsVZError() {
        XCTAssertTrue(VZErrorMapping.isVZError(vzError(6), code: 6))
        XCTAssertFalse(VZErrorMapping.isVZError(vzError(6), code: 2))
        XCTAssertFalse(VZErrorMapping.isVZError(NSError(domain: NSPOSIXErrorDomain, code: 6), code: 6))
    }

    func testStateRawValuesMapToVMStates() {
        let names = (0...9).map { VZStateMapping.vmState(rawValue: $0)?.rawValue }
        XCTAssertEqual(names, ["stopped", "running", "paused", "error", "starting", "pausing", "resuming", "stopping", "saving", "restoring"])
        XCTAssertNil(VZStateMapping.vmState(rawValue: 10))
        XCTAssertNil(VZStateMapping.vmState(rawValue: -1))
    }
}
