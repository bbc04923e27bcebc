import Foundation
import XCTest
@testable import HelperCore

/// vm/create's restore-image rules and vm/install on a host without Virtualization.framework.
final class VMInstallTests: XCTestCase {
    var home: URL!

    override func setUpWithError() throws {
        home = try temporaryFolder("install")
    }


    private func params(os: GuestOS, boot: BootConfig = .macOS, ipsw: String?) -> VMCreateParams {
        VMCreateParams(name: "mac", os: os, cpuCount: 4, memoryBytes: 8 << 30, diskBytes: 64 << 30, boot: boot,
                       sparseOvercommit: true, ipsw: ipsw)
    }

    private func invalidField(_ body: () throws -> Any?) -> String? {
        do { _ = try body(); return nil } catch let error as HelperError {
            if case .invalidParams(let field, _) = error { return field }
            return "other: \(error.message)"
        } catch { return "other: \(error)" }
    }

    func testMacOSNeedsAnExistingRestoreImageAndMacOSBoot() throws {
        XCTAssertEqual(invalidField { try VMService.restoreImage(self.params(os: .macos, ipsw: nil), os: .macos) }, "ipsw")
        XCTAssertEqual(invalidField { try VMService.restoreImage(self.params(os: .macos, boot: .efi(iso: nil), ipsw: "/x.ipsw"), os: .macos) }, "boot")
        XCTAssertEqual(invalidField { try VMService.restoreImage(self.params(os: .linux, boot: .efi(iso: nil), ipsw: "/x.ipsw"), os: .linux) }, "ipsw")

        let missing = home.appendingPathComponent("missing.ipsw").path
        do {
            _ = try VMService.restoreImage(params(os: .macos, ipsw: missing), os: .macos)
            XCTFail("a missing restore image was accepted")
        } catch let error as HelperError {
            XCTAssertEqual(error.code, 1002)
            XCTAssertTrue(error.message.contains(missing), error.message)
        }

        let image = home.appendingPathComponent("sub/../UniversalMac.ipsw")
        FileManager.default.createFile(atPath: home.appendingPathComponent("UniversalMac.ipsw").path, contents: Data("x".utf8))
        XCTAssertEqual(try VMService.restoreImage(params(os: .macos, ipsw: image.path), os: .macos),
                       home.appendingPathComponent("UniversalMac.ipsw").standardizedFileURL.path)
        XCTAssertNil(try VMService.restoreImage(params(os: .linux, boot: .efi(iso: nil), ipsw: nil), os: .linux))
    }

    func testConfigKeepsTheRestoreImage() throws {
        var config = SnapshotFixture.config()
        config.ipsw = "/images/UniversalMac.ipsw"
        let decoded = try JSONDecoder().decode(VMConfig.self, from: try config.encoded())
        XCTAssertEqual(decoded.ipsw, "/images/UniversalMac.ipsw")
        XCTAssertNil(decoded.extra["ipsw"], "ipsw is a known key, not an unknown one")
    }

    func testInstallOnQEMUSaysMacOSNeedsAMac() async throws {
        #if os(Linux)
        let fixture = SnapshotFixture(home: home)
        _ = try fixture.vms.create(VMCreateParams(name: "dev", os: .linux, cpuCount: 1, memoryBytes: 256 << 20,
                                                  diskBytes: 16 << 20, boot: .efi(iso: nil), sparseOvercommit: nil, ipsw: nil))
        do {
            try await fixture.vms.install("dev")
            XCTFail("vm/install ran on QEMU")
        } catch let error as HelperError {
            XCTAssertEqual(error.code, 1010)
            XCTAssertTrue(error.message.contains("Apple silicon Mac"), error.message)
            XCTAssertTrue(error.message.contains("--iso"), "the sentence says how Linux guests install: \(error.message)")
        }
        do {
            try await fixture.vms.install("nope")
            XCTFail("vm/install found a VM that does not exist")
        } catch let error as HelperError {
            XCTAssertEqual(error.code, 1002)
        }
        #endif
    }
}
