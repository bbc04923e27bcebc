import Foundation
import XCTest
@testable import HelperCore

final class HostInfoTests: XCTestCase {
    func testValuesArePlausible() throws {
        let info = try HostInfoReader.read()
        XCTAssertGreaterThanOrEqual(info.cpuCores, 1)
        XCTAssertGreaterThan(info.memoryBytes, 64 << 20)
        XCTAssertGreaterThan(info.memoryUsedBytes, 0)
        XCTAssertLessThanOrEqual(info.memoryUsedBytes, info.memoryBytes)
        XCTAssertGreaterThan(info.totalDiskBytes, 0)
        XCTAssertLessThanOrEqual(info.freeDiskBytes, info.totalDiskBytes)
        XCTAssertFalse(info.hostname.isEmpty)
        XCTAssertFalse(info.chip.isEmpty)
        XCTAssertFalse(info.os.kernel.isEmpty)
        XCTAssertFalse(info.os.version.isEmpty)
        XCTAssertEqual(info.arch, Arch.current)
        XCTAssertTrue(info.virtualization.note.hasSuffix("."), info.virtualization.note)
        XCTAssertEqual(info.virtualization.hardware, info.virtualization.accelerator != .tcg)
        #if os(Linux)
        XCTAssertEqual(info.os.name, "Linux")
        XCTAssertNil(info.macosSlots)
        XCTAssertEqual(info.rosetta, .notSupported)
        XCTAssertFalse(info.saveRestore)
        XCTAssertNotEqual(info.virtualization.accelerator, .vz)
        #if arch(x86_64)
        if info.virtualization.accelerator == .kvm {
            XCTAssertTrue(KVMProbe.cpuHasVirtualizationFlag(), "KVM reported without vmx/svm")
        }
        #endif
        #endif
    }

    func testMissingHomeIsMeasuredFromItsParentAndNotCreated() throws {
        let base = try temporaryFolder("hostinfo", create: false)
        let home = base.appendingPathComponent("a/b/.vmtui").path
        let info = try HostInfoReader.read(environment: ["VMTUI_HOME": home, "HOME": "/nonexistent"])
        XCTAssertEqual(info.vmtuiHome, home)
        XCTAssertFalse(FileManager.default.fileExists(atPath: base.path), "host/info created VMTUI_HOME")
        let parent = try DiskSpace.of(FileManager.default.temporaryDirectory.path)
        XCTAssertEqual(info.totalDiskBytes, parent.totalBytes)
    }

    func testHomePath() {
        XCTAssertEqual(VMTUIHome.path(environment: ["HOME": "/home/u"]), "/home/u/.vmtui")
        XCTAssertEqual(VMTUIHome.path(environment: ["HOME": "/home/u", "VMTUI_HOME": ""]), "/home/u/.vmtui")
        XCTAssertEqual(VMTUIHome.path(environment: ["HOME": "/home/u", "VMTUI_HOME": "~/vms"]), "/home/u/vms")
        XCTAssertEqual(VMTUIHome.path(environment: ["HOME": "/home/u", "VMTUI_HOME": "/data/vmtui/"]), "/data/vmtui")
        let relative = VMTUIHome.path(environment: ["HOME": "/home/u", "VMTUI_HOME": "rel"])
        XCTAssertEqual(relative, (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent("rel"))
    }

    func testDiskSpaceFailureIsAnIOErrorSentence() {
        let path = "/" + String(repeating: "a", count: 5000)
        XCTAssertThrowsError(try DiskSpace.of(path)) { error in
            guard case HelperError.io(let failed, let err, _)? = error as? HelperError else { return XCTFail("\(error)") }
            XCTAssertEqual(failed, path)
            XCTAssertEqual(err, ENAMETOOLONG)
            XCTAssertTrue((error as? HelperError)?.message.hasPrefix("Could not measure the free space of /aaa") ?? false)
        }
    }

    #if os(Linux)
    func testKVMProbeExplainsAMissingDevice() {
        let result = KVMProbe.run(device: "/nonexistent/kvm")
        XCTAssertEqual(result.accelerator, .tcg)
        XCTAssertFalse(result.hardware)
        XCTAssertEqual(result.note, "KVM is not usable here (/nonexistent/kvm does not exist); guests run under TCG emulation, slowly. Load the kvm module and enable virtualization in the firmware to use KVM.")
    }

    func testLinuxFieldParsing() {
        let cpuinfo = "processor\t: 0\nmodel name\t: AMD EPYC 7B13\nflags\t\t: fpu vmx\n"
        XCTAssertEqual(LinuxHost.field("model name", in: cpuinfo, separator: ":"), "AMD EPYC 7B13")
        XCTAssertEqual(LinuxHost.field("PRETTY_NAME", in: "NAME=x\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n", separator: "="),
                       "\"Debian GNU/Linux 12 (bookworm)\"")
        XCTAssertNil(LinuxHost.field("model", in: cpuinfo, separator: ":"))
    }

    func testTheLaunchersDistributionWinsOverTheRootsOsRelease() {
        XCTAssertEqual(LinuxHost.distribution(environment: ["VMTUI_HOST_DISTRIBUTION": "Ubuntu 24.04.1 LTS"]), "Ubuntu 24.04.1 LTS")
        // Unset or empty: this file system's os-release, whatever it says.
        XCTAssertFalse(LinuxHost.distribution(environment: ["VMTUI_HOST_DISTRIBUTION": ""]).isEmpty)
    }
    #endif
}
