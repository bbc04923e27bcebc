import Foundation
import XCTest
import SystemCalls
@testable import HelperCore

/// The macOS run-time checks that are plain Swift, so they run here: the kernel format the VZ
/// Linux boot loader needs, the missing-entitlement error, and socket path limits.
final class MacRuntimeChecksTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = try temporaryFolder("mac")
    }


    private func header(_ bytes: [(Int, [UInt8])], count: Int = 64) -> [UInt8] {
        var h = [UInt8](repeating: 0, count: count)
        for (offset, b) in bytes { h.replaceSubrange(offset..<offset + b.count, with: b) }
        return h
    }

    func testKernelFormatsByMagic() {
        XCTAssertEqual(KernelFormat.detect(header([(0x38, [0x41, 0x52, 0x4D, 0x64])])), .arm64Image)
        // An Image with an EFI stub starts with MZ and still carries the arm64 magic.
        XCTAssertEqual(KernelFormat.detect(header([(0, [0x4D, 0x5A]), (0x38, [0x41, 0x52, 0x4D, 0x64])])), .arm64Image)
        XCTAssertEqual(KernelFormat.detect(header([(0, [0x1F, 0x8B, 0x08])])), .compressed("gzip"))
        XCTAssertEqual(KernelFormat.detect(header([(0, [0x28, 0xB5, 0x2F, 0xFD])])), .compressed("zstd"))
        XCTAssertEqual(KernelFormat.detect(header([(0, [0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00])])), .compressed("xz"))
        XCTAssertEqual(KernelFormat.detect(header([(0, Array("MZ".utf8)), (4, Array("zimg".utf8)), (24, Array("zstd".utf8))])),
                       .efiZboot("zstd"))
        XCTAssertEqual(KernelFormat.detect(header([(0, Array("MZ".utf8))])), .other)  // an x86 bzImage, say
        XCTAssertEqual(KernelFormat.detect([0x1F]), .other)
        XCTAssertEqual(KernelFormat.detect([]), .other)
    }

    func testKernelSentencesNameTheFileAndTheWayOut() throws {
        XCTAssertNil(KernelFormat.vzProblem(path: "/k/Image", .arm64Image))
        let gzip = try XCTUnwrap(KernelFormat.vzProblem(path: "/k/vmlinuz", .compressed("gzip")))
        XCTAssertTrue(gzip.contains("/k/vmlinuz") && gzip.contains("gunzip -c /k/vmlinuz > Image"), gzip)
        let zboot = try XCTUnwrap(KernelFormat.vzProblem(path: "/k/vmlinuz", .efiZboot("gzip")))
        XCTAssertTrue(zboot.contains("EFI zboot") && zboot.contains("disk or cloud image"), zboot)
    }

    func testCheckForVZReadsTheKernelFile() throws {
        let vmlinuz = folder.appendingPathComponent("vmlinuz")
        try Data([0x1F, 0x8B, 0x08, 0x00] + [UInt8](repeating: 0, count: 100)).write(to: vmlinuz)
        var config = VMConfig(os: .linux, arch: "arm64", cpuCount: 1, memoryBytes: 1 << 30, diskBytes: 1 << 30,
                              macAddress: "52:54:00:00:00:01",
                              boot: .kernel(kernel: vmlinuz.path, initrd: nil, cmdline: "console=hvc0"), createdAt: "2026-12-05T00:00:00Z")
        XCTAssertThrowsError(try KernelFormat.checkForVZ(config)) { error in
            XCTAssertEqual((error as? HelperError)?.kind, "unsupported")
        }
        let image = folder.appendingPathComponent("Image")
        var bytes = [UInt8](repeating: 0, count: 128)
        bytes.replaceSubrange(0x38..<0x3C, with: [0x41, 0x52, 0x4D, 0x64])
        try Data(bytes).write(to: image)
        config.boot = .kernel(kernel: image.path, initrd: nil, cmdline: "console=hvc0")
        XCTAssertNoThrow(try KernelFormat.checkForVZ(config))
        config.boot = .kernel(kernel: folder.appendingPathComponent("absent").path, initrd: nil, cmdline: "")
        XCTAssertThrowsError(try KernelFormat.checkForVZ(config)) { error in
            XCTAssertEqual((error as? HelperError)?.kind, "notFound")
        }
    }

    func testMissingEntitlementIsToldFromOtherConfigurationErrors() {
        let missing = NSError(domain: "VZErrorDomain", code: 2, userInfo: [
            NSLocalizedDescriptionKey: "Invalid virtual machine configuration.",
            NSLocalizedFailureReasonErrorKey: "The process doesn\u{2019}t have the \u{201C}com.apple.security.virtualization\u{201D} entitlement.",
        ])
        XCTAssertTrue(VZEntitlement.isMissingEntitlement(missing))
        let other = NSError(domain: "VZErrorDomain", code: 2, userInfo: [
            NSLocalizedDescriptionKey: "Invalid virtual machine configuration.",
            NSLocalizedFailureReasonErrorKey: "A boot loader must be specified.",
        ])
        XCTAssertFalse(VZEntitlement.isMissingEntitlement(other))
        XCTAssertTrue(VZEntitlement.missingSentence.contains("scripts/sign-helper.sh"))
    }

    func testSocketPathLimitIsTheSystems() {
        #if os(Linux)
        XCTAssertEqual(SocketCalls.unixPathLimit, 107)
        #else
        XCTAssertEqual(SocketCalls.unixPathLimit, 103)
        #endif
    }

    func testCreateRenameAndCloneRefuseANameWhoseSocketsWouldNotFit() throws {
        // 103 bytes is macOS's limit: a home this deep leaves room for short names only.
        let deep = folder.appendingPathComponent(String(repeating: "h", count: max(1, 103 - folder.path.utf8.count - 30)))
        let store = BundleStore(home: deep)
        let config = VMConfig(os: .linux, arch: "x86_64", cpuCount: 1, memoryBytes: 256 << 20, diskBytes: 1 << 20,
                              macAddress: "52:54:00:00:00:02", boot: .efi(iso: nil), createdAt: "2026-12-05T00:00:00Z")
        let fits = try store.bundle("a")
        XCTAssertNoThrow(try fits.checkSocketPaths(limit: 103))
        let long = try store.bundle(String(repeating: "n", count: 40))
        XCTAssertThrowsError(try long.checkSocketPaths(limit: 103)) { error in
            let text = "\(error)"
            XCTAssertEqual((error as? HelperError)?.kind, "unsupported")
            XCTAssertTrue(text.contains("103 bytes") && text.contains("shorter VMTUI_HOME"), text)
        }
        // The store applies the system's own limit; past it, create leaves nothing behind.
        let tooLong = String(repeating: "x", count: 63)
        let deeper = BundleStore(home: folder.appendingPathComponent(String(repeating: "d", count: 60)))
        XCTAssertThrowsError(try deeper.create(name: tooLong, config: config))
        XCTAssertFalse(try deeper.exists(tooLong))
    }
}
