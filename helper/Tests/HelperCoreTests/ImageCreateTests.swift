import Foundation
import XCTest
@testable import HelperCore

/// vm/create {image} and vm/configure's kernel fields through VMService (no qemu-img needed: the
/// images are raw; Qcow2ReaderTests covers qcow2).
final class ImageCreateTests: XCTestCase {
    var dir: URL!
    var store: BundleStore!
    var vms: VMService!

    override func setUpWithError() throws {
        dir = try temporaryFolder("imgcreate")
        store = BundleStore(home: dir.appendingPathComponent("home"))
        vms = VMService(store: store, limits: { _ in VMLimits(hostCores: 8, hostMemoryBytes: 16 << 30, freeDiskBytes: 1 << 40) })
    }


    /// A 4 MiB raw image with a marker at 1 MiB, read-only as a user's download might be.
    func rawImage() throws -> URL {
        let image = dir.appendingPathComponent("disk.raw")
        var bytes = Data(count: 4 << 20)
        bytes.replaceSubrange((1 << 20)..<((1 << 20) + 6), with: Array("vmtui!".utf8))
        try bytes.write(to: image)
        try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: image.path)
        return image
    }

    func params(_ name: String, image: String?, disk: UInt64? = nil, sha256: String? = nil, boot: BootConfig? = nil) -> VMCreateParams {
        VMCreateParams(name: name, os: nil, cpuCount: 1, memoryBytes: 256 << 20, diskBytes: disk, boot: boot,
                       sparseOvercommit: nil, ipsw: nil, image: image, sha256: sha256)
    }

    func testImageVMBootsEFIFromItsOwnDiskKeepsTheImageSizeOrGrows() throws {
        guard HelperBuild.backend == .qemu else { throw XCTSkip("checks the QEMU variable store") }
        let image = try rawImage()
        let before = try Data(contentsOf: image)

        let same = try vms.create(params("same", image: image.path))
        let grown = try vms.create(params("grown", image: image.path, disk: 64 << 20))

        XCTAssertEqual(same.boot, .efi(iso: nil))
        XCTAssertEqual(same.diskBytes, 4 << 20)
        XCTAssertEqual(grown.diskBytes, 64 << 20)
        let disk = try store.existing("grown").disk
        XCTAssertEqual(FileOps.logicalSize(disk), 64 << 20)
        XCTAssertEqual(try FileHandle(forReadingFrom: disk).readData(ofLength: 4 << 20), before)
        XCTAssertTrue(FileOps.isRegularFile(try store.existing("same").efiVars.path), "the VM's own EFI variable store")
        XCTAssertEqual(try Data(contentsOf: image), before, "the user's image must not change")
        // The new disk is the VM's to write, whatever the image's mode.
        XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: disk.path)[.posixPermissions] as? Int, 0o600)
    }

    func testSmallerDiskMissingImageAndWrongSHA256AreRefusedAndLeaveNoVM() throws {
        let image = try rawImage()
        XCTAssertThrowsError(try vms.create(params("small", image: image.path, disk: 1 << 20))) { error in
            XCTAssertEqual((error as? HelperError)?.kind, "invalidParams")
            XCTAssertTrue((error as? HelperError)?.message.contains("at least 4194304 bytes") == true, "\(error)")
        }
        XCTAssertThrowsError(try vms.create(params("gone", image: dir.appendingPathComponent("absent.qcow2").path))) { error in
            XCTAssertEqual((error as? HelperError)?.kind, "notFound")
        }
        XCTAssertThrowsError(try vms.create(params("sum", image: image.path, sha256: String(repeating: "0", count: 64)))) { error in
            XCTAssertTrue((error as? HelperError)?.message.contains("does not match the SHA-256") == true, "\(error)")
        }
        XCTAssertThrowsError(try vms.create(params("noboot", image: nil))) { error in
            XCTAssertEqual((error as? HelperError)?.kind, "invalidParams")
        }
        XCTAssertEqual(store.names(), [])
        let right = try SHA256Digester.hashFile(image) { _ in }
        XCTAssertNoThrow(try vms.create(params("sum", image: image.path, sha256: right.uppercased(), boot: .efi(iso: nil))))
    }

    func testConfigureChangesKernelInitrdAndCmdlineOfKernelVMsOnly() throws {
        let kernel = dir.appendingPathComponent("vmlinuz")
        let initrd = dir.appendingPathComponent("initrd")
        try Data("k".utf8).write(to: kernel)
        try Data("i".utf8).write(to: initrd)
        _ = try vms.create(params("k", image: nil, disk: 1 << 20, boot: .kernel(kernel: kernel.path, initrd: initrd.path, cmdline: "console=ttyS0")))
        let kernel2 = dir.appendingPathComponent("vmlinuz-2")
        try Data("k2".utf8).write(to: kernel2)

        var change = VMConfigureParams(name: "k")
        change.kernel = kernel2.path
        change.cmdline = "console=ttyS0 quiet"
        XCTAssertEqual(try vms.configure(change).boot, .kernel(kernel: kernel2.path, initrd: initrd.path, cmdline: "console=ttyS0 quiet"))

        var dropInitrd = VMConfigureParams(name: "k")
        dropInitrd.initrd = ""
        XCTAssertEqual(try vms.configure(dropInitrd).boot, .kernel(kernel: kernel2.path, initrd: nil, cmdline: "console=ttyS0 quiet"))

        var missing = VMConfigureParams(name: "k")
        missing.kernel = dir.appendingPathComponent("nope").path
        XCTAssertThrowsError(try vms.configure(missing)) { error in XCTAssertEqual((error as? HelperError)?.kind, "notFound") }
        XCTAssertEqual(try store.existing("k").loadConfig().boot, .kernel(kernel: kernel2.path, initrd: nil, cmdline: "console=ttyS0 quiet"))

        guard HelperBuild.backend == .qemu else { return }
        _ = try vms.create(params("efi", image: try rawImage().path))
        var onEFI = VMConfigureParams(name: "efi")
        onEFI.cmdline = "quiet"
        XCTAssertThrowsError(try vms.configure(onEFI)) { error in
            XCTAssertTrue((error as? HelperError)?.message.contains("not from a kernel") == true, "\(error)")
        }
    }
}
