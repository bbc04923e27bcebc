import Foundation
import XCTest
@testable import HelperCore

/// QEMU UEFI guests need their own writable copy of the firmware's variable store.
final class UEFIVariableStoreTests: XCTestCase {
    var home: URL!

    override func setUpWithError() throws {
        home = try temporaryFolder("efivars")
    }


    func testCopyIsWritableEvenFromAReadOnlyTemplateAndLeavesNoTemporaries() throws {
        let template = home.appendingPathComponent("VARS.fd")
        let bytes = Data((0..<4096).map { UInt8($0 % 251) })
        try bytes.write(to: template)
        try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: template.path)
        let fw = UEFIFirmware(code: "/unused/CODE.fd", varsTemplate: template.path)
        let store = home.appendingPathComponent("vm").appendingPathComponent("efi-vars.fd")
        try FileManager.default.createDirectory(at: store.deletingLastPathComponent(), withIntermediateDirectories: true)

        try fw.makeVariableStore(at: store)

        XCTAssertEqual(try Data(contentsOf: store), bytes)
        let mode = try FileManager.default.attributesOfItem(atPath: store.path)[.posixPermissions] as? Int
        XCTAssertEqual(mode, 0o600, "this user's only, as every file in a bundle")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: store.deletingLastPathComponent().path), ["efi-vars.fd"])
    }

    func testMissingTemplateIsAnIOErrorNamingIt() {
        let fw = UEFIFirmware(code: "/unused/CODE.fd", varsTemplate: home.appendingPathComponent("absent.fd").path)
        XCTAssertThrowsError(try fw.makeVariableStore(at: home.appendingPathComponent("efi-vars.fd"))) { error in
            XCTAssertEqual((error as? HelperError)?.kind, "io")
            XCTAssertTrue((error as? HelperError)?.message.contains("absent.fd") == true, "\(error)")
        }
    }

    /// vm/create gives an ISO VM its store at once (needs the firmware package, as the QEMU backend does).
    func testCreatingAnEFIVMMakesItsVariableStore() throws {
        guard HelperBuild.backend == .qemu else { throw XCTSkip("the VZ backend makes its own store") }
        let fw = try UEFIFirmware.locate(arch: Arch.current.rawValue)
        let iso = home.appendingPathComponent("install.iso")
        try Data(repeating: 0, count: 2048).write(to: iso)
        let store = BundleStore(home: home.appendingPathComponent("home"))
        let vms = VMService(store: store, limits: { _ in VMLimits(hostCores: 8, hostMemoryBytes: 16 << 30, freeDiskBytes: 1 << 40) })

        let info = try vms.create(VMCreateParams(name: "inst", os: nil, cpuCount: 1, memoryBytes: 256 << 20,
                                                 diskBytes: 64 << 20, boot: .efi(iso: iso.path), sparseOvercommit: nil))

        XCTAssertEqual(info.boot, .efi(iso: iso.path))
        let vars = try store.existing("inst").efiVars
        XCTAssertEqual(try Data(contentsOf: vars), FileManager.default.contents(atPath: fw.varsTemplate))
    }
}
