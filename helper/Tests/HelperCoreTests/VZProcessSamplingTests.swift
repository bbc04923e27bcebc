import Foundation
import XCTest
@testable import HelperCore

final class VZProcessSamplingTests: XCTestCase {
    let service = "/System/Library/Frameworks/Virtualization.framework/Versions/A/XPCServices/com.apple.Virtualization.VirtualMachine.xpc/Contents/MacOS/com.apple.Virtualization.VirtualMachine"
    let disk: Set<String> = ["/Users/ann/.vmtui/vms/dev/disk.img", "/private/Users/ann/.vmtui/vms/dev/disk.img"]

    func testRecognisesTheServiceExecutable() {
        XCTAssertTrue(VZProcessSampling.isVirtualMachineService(executablePath: service))
        XCTAssertFalse(VZProcessSampling.isVirtualMachineService(executablePath: "/usr/local/bin/vmtui-helper"))
        XCTAssertFalse(VZProcessSampling.isVirtualMachineService(executablePath: service + ".backup"))
    }

    func testChoosesTheServiceHoldingThisBundlesDisk() {
        let candidates = [
            VZProcessSampling.Candidate(pid: 700, executablePath: service, openPaths: ["/dev/null", "/Users/ann/.vmtui/vms/other/disk.img"]),
            VZProcessSampling.Candidate(pid: 701, executablePath: service, openPaths: ["/dev/null", "/private/Users/ann/.vmtui/vms/dev/disk.img"]),
            // The host process has the disk open too (it made the attachment), but it is not the VM.
            VZProcessSampling.Candidate(pid: 650, executablePath: "/opt/vmtui/vmtui-helper", openPaths: ["/Users/ann/.vmtui/vms/dev/disk.img"]),
        ]
        XCTAssertEqual(VZProcessSampling.choose(candidates, diskPaths: disk), 701)
    }

    func testNoAnswerWhenNoneOrTwoHoldTheDisk() {
        let none = [VZProcessSampling.Candidate(pid: 700, executablePath: service, openPaths: ["/Users/ann/.vmtui/vms/other/disk.img"])]
        XCTAssertNil(VZProcessSampling.choose(none, diskPaths: disk))
        XCTAssertNil(VZProcessSampling.choose([], diskPaths: disk))
        let unknownExecutable = [VZProcessSampling.Candidate(pid: 702, executablePath: nil, openPaths: Array(disk))]
        XCTAssertNil(VZProcessSampling.choose(unknownExecutable, diskPaths: disk))
        let two = [
            VZProcessSampling.Candidate(pid: 700, executablePath: service, openPaths: ["/Users/ann/.vmtui/vms/dev/disk.img"]),
            VZProcessSampling.Candidate(pid: 703, executablePath: service, openPaths: ["/private/Users/ann/.vmtui/vms/dev/disk.img"]),
        ]
        XCTAssertNil(VZProcessSampling.choose(two, diskPaths: disk))
    }

    func testPathSpellingsIncludeTheResolvedPath() throws {
        let dir = try temporaryFolder("vzpid")
        let real = dir.appendingPathComponent("disk.img")
        XCTAssertTrue(FileManager.default.createFile(atPath: real.path, contents: Data()))
        let link = dir.appendingPathComponent("link.img")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: real)
        let spellings = VZProcessSampling.pathSpellings(of: link)
        XCTAssertTrue(spellings.contains(link.path))
        XCTAssertTrue(spellings.contains { $0.hasSuffix("/disk.img") }, "\(spellings)")
    }

    #if os(Linux)
    func testThereIsNoVMServiceOnLinux() {
        XCTAssertNil(VZProcessSampling.vmProcessID(disk: URL(fileURLWithPath: "/nonexistent/disk.img")))
    }
    #endif
}
