import Foundation
import XCTest
@testable import HelperCore

/// The cloud-init seed: the FAT12 writer (checked by dosfstools and mtools where they are, as in
/// the Linux toolchain root), the seed's files, the provisioning params, and identity on clone.
final class ProvisionTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = try temporaryFolder("provision")
    }


    func tool(_ name: String) -> String? {
        ["/usr/sbin/", "/sbin/", "/usr/bin/", "/usr/local/bin/", "/opt/homebrew/bin/"].map { $0 + name }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Runs a tool, returning its exit status and output (stdout and stderr).
    func run(_ path: String, _ args: [String]) throws -> (Int32, String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        p.arguments = args
        p.environment = ["MTOOLS_SKIP_CHECK": "1", "PATH": "/usr/sbin:/usr/bin:/sbin:/bin"]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    func write(_ data: Data, _ name: String) throws -> URL {
        let url = dir.appendingPathComponent(name)
        try data.write(to: url)
        return url
    }

    // MARK: FAT12

    func testVolumeLayoutAndLongNames() throws {
        let image = try FATImage.make(label: "cidata", files: [.init(name: "meta-data", contents: Data("a".utf8))],
                                      date: Date(timeIntervalSince1970: 1_700_000_000))
        XCTAssertEqual(image.count % 512, 0)
        XCTAssertGreaterThanOrEqual(image.count, 1 << 20)
        XCTAssertEqual(Array(image[510...511]), [0x55, 0xAA])
        XCTAssertEqual(String(decoding: image[43..<54], as: UTF8.self), "CIDATA     ")
        XCTAssertEqual(String(decoding: image[54..<62], as: UTF8.self), "FAT12   ")
        let short = FATImage.shortName("meta-data", index: 0)
        XCTAssertEqual(short, "META-D~1   ")
        // The long-name entry's checksum must match its short entry's name, or readers drop the long name.
        let entries = FATImage.longEntries("meta-data", checksum: FATImage.checksum(short))
        XCTAssertEqual(entries.count, 32)
        XCTAssertEqual(entries[0], 0x41)
        XCTAssertEqual(entries[13], FATImage.checksum(short))
        XCTAssertEqual(FATImage.packFAT12([0xFF8, 0xFFF, 0x003, 0xFFF]), Data([0xF8, 0xFF, 0xFF, 0x03, 0xF0, 0xFF]))
    }

    func testMtoolsReadsTheFilesBackAndFsckFindsNothingWrong() throws {
        guard let fsck = tool("fsck.vfat"), let mtype = tool("mtype"), let mdir = tool("mdir") else {
            throw XCTSkip("fsck.vfat and mtools are not installed here")
        }
        let userData = "#cloud-config\nhostname: dev\n"
        let big = Data((0..<300_000).map { UInt8($0 % 251) })
        let image = try FATImage.make(label: "CIDATA", files: [
            .init(name: "meta-data", contents: Data("instance-id: x\n".utf8)),
            .init(name: "user-data", contents: Data(userData.utf8)),
            .init(name: "empty", contents: Data()),
            .init(name: "a-rather-long-file-name-of-thirty-nine.bin", contents: big),
        ])
        let url = try write(image, "seed.img")
        let (fsckStatus, fsckOut) = try run(fsck, ["-n", url.path])
        XCTAssertEqual(fsckStatus, 0, fsckOut)
        let (_, listing) = try run(mdir, ["-i", url.path, "::"])
        XCTAssertTrue(listing.contains("Volume in drive : is CIDATA"), listing)
        XCTAssertTrue(listing.contains("meta-data") && listing.contains("user-data"), listing)
        let (status, text) = try run(mtype, ["-i", url.path, "::user-data"])
        XCTAssertEqual(status, 0)
        XCTAssertEqual(text, userData)
        let out = dir.appendingPathComponent("copied.bin")
        let (copyStatus, copyOut) = try run(tool("mcopy")!, ["-i", url.path, "::a-rather-long-file-name-of-thirty-nine.bin", out.path])
        XCTAssertEqual(copyStatus, 0, copyOut)
        XCTAssertEqual(try Data(contentsOf: out), big)
    }

    func testLargeFilesGetLargerClustersAndStayFAT12() throws {
        let big = Data(repeating: 7, count: 5 << 20)
        let image = try FATImage.make(label: "CIDATA", files: [.init(name: "user-data", contents: big)])
        XCTAssertGreaterThan(image[13], 1, "sectors per cluster")
        XCTAssertEqual(String(decoding: image[54..<62], as: UTF8.self), "FAT12   ")
        if let fsck = tool("fsck.vfat") {
            let (status, out) = try run(fsck, ["-n", try write(image, "big.img").path])
            XCTAssertEqual(status, 0, out)
        }
    }

    func testBadNamesAndLabelsAreRefused() {
        XCTAssertThrowsError(try FATImage.make(label: "cidata!", files: []))
        XCTAssertThrowsError(try FATImage.make(label: "CIDATA", files: [.init(name: "../x", contents: Data())]))
        XCTAssertThrowsError(try FATImage.make(label: "CIDATA", files: [.init(name: "a", contents: Data()), .init(name: "A", contents: Data())]))
    }

    // MARK: Seed files

    let provision = ProvisionConfig(user: "alice", sshAuthorizedKeys: ["ssh-ed25519 AAAAC3Nza alice@host"],
                                    sshKeyFiles: ["/home/alice/.ssh/id_ed25519.pub"], userData: nil, instanceId: "vmtui-1")

    func testMetaDataAndCloudConfig() throws {
        XCTAssertEqual(NoCloudSeed.metaData(vmName: "web_1", instanceId: "vmtui-1"),
                       "instance-id: \"vmtui-1\"\nlocal-hostname: \"web-1\"\n")
        let text = try NoCloudSeed.userData(vmName: "web.1", provision: provision)
        XCTAssertTrue(text.hasPrefix("#cloud-config\n"))
        XCTAssertTrue(text.contains("hostname: \"web-1\"\n"))
        XCTAssertTrue(text.contains("  - name: \"alice\"\n"))
        XCTAssertTrue(text.contains("    sudo: \"ALL=(ALL) NOPASSWD:ALL\"\n"))
        XCTAssertTrue(text.contains("      - \"ssh-ed25519 AAAAC3Nza alice@host\"\n"))
        XCTAssertTrue(text.contains("cloud-init-per, instance, vmtui-machine-id"))
        XCTAssertTrue(text.contains("growpart:\n  mode: auto\n  devices: [\"/\"]\n"), "the root partition grows with its disk")
        XCTAssertTrue(text.contains("\nresize_rootfs: true\n"), "and its file system with it")
        XCTAssertFalse(text.contains("PRIVATE"))
    }

    func testUserDataRidesAlongAsASecondPart() throws {
        var p = provision
        p.userData = "#!/bin/sh\necho hello > /dev/console\n"
        let text = try NoCloudSeed.userData(vmName: "dev", provision: p)
        XCTAssertTrue(text.hasPrefix("Content-Type: multipart/mixed; boundary=\""))
        XCTAssertTrue(text.contains("Content-Type: text/cloud-config"))
        XCTAssertTrue(text.contains("Content-Type: text/x-shellscript"))
        XCTAssertTrue(text.contains("\n#!/bin/sh\necho hello > /dev/console\n"))
        let boundary = text.split(separator: "\"")[1]
        XCTAssertTrue(text.hasSuffix("--\(boundary)--\n"))
        XCTAssertEqual(try NoCloudSeed.contentType(ofUserData: "#cloud-config\nruncmd: []\n"), "text/cloud-config")
        XCTAssertThrowsError(try NoCloudSeed.contentType(ofUserData: "runcmd: []\n"))
    }

    // MARK: Params

    func testDefaultsKeysUserAndWhenThereIsNoSeed() throws {
        let ssh = dir.appendingPathComponent(".ssh")
        try FileManager.default.createDirectory(at: ssh, withIntermediateDirectories: true)
        try "ssh-ed25519 AAAAkey1 me@here\n".write(to: ssh.appendingPathComponent("id_ed25519.pub"), atomically: true, encoding: .utf8)
        try "-----BEGIN OPENSSH PRIVATE KEY-----\n".write(to: ssh.appendingPathComponent("id_ed25519"), atomically: true, encoding: .utf8)
        var params = VMCreateParams(name: "dev", os: nil, cpuCount: nil, memoryBytes: nil, diskBytes: nil, boot: nil,
                                    sparseOvercommit: nil, ipsw: nil, image: "/images/debian.raw", sha256: nil)
        let made = try XCTUnwrap(Provisioning.make(params, home: dir.path, hostUser: "root"))
        XCTAssertEqual(made.user, "vmtui", "root is no guest user")
        XCTAssertEqual(made.sshAuthorizedKeys, ["ssh-ed25519 AAAAkey1 me@here"])
        XCTAssertEqual(made.sshKeyFiles, [ssh.appendingPathComponent("id_ed25519.pub").path])
        XCTAssertTrue(made.instanceId.hasPrefix("vmtui-"))
        XCTAssertEqual(try Provisioning.make(params, home: dir.path, hostUser: "bob")?.user, "bob")

        params.sshKeyFiles = [ssh.appendingPathComponent("id_ed25519").path]
        XCTAssertThrowsError(try Provisioning.make(params, home: dir.path, hostUser: "bob")) { error in
            XCTAssertTrue((error as? HelperError)?.message.contains("private key") == true, "\(error)")
        }
        params.sshKeyFiles = nil
        params.user = "Bad Name"
        XCTAssertThrowsError(try Provisioning.make(params, home: dir.path, hostUser: "bob"))
        params.user = nil
        params.provision = false
        XCTAssertNil(try Provisioning.make(params, home: dir.path, hostUser: "bob"))
        params.provision = nil
        params.image = nil
        XCTAssertNil(try Provisioning.make(params, home: dir.path, hostUser: "bob"), "a kernel or ISO VM gets no seed unless asked")
        params.userData = dir.appendingPathComponent("missing").path
        XCTAssertThrowsError(try Provisioning.make(params, home: dir.path, hostUser: "bob"))
    }

    func testConfigKeepsProvisionAndQEMUAttachesTheSeedReadOnly() throws {
        var config = VMConfig(os: .linux, arch: "x86_64", cpuCount: 1, memoryBytes: 256 << 20, diskBytes: 1 << 30,
                              macAddress: "02:11:22:33:44:55", boot: .efi(iso: nil), createdAt: "")
        config.provision = provision
        let decoded = try JSONDecoder().decode(VMConfig.self, from: try config.encoded())
        XCTAssertEqual(decoded.provision, provision)
        let bundle = VMBundle(name: "dev", url: dir)
        let fw = UEFIFirmware(code: "/fw/CODE.fd", varsTemplate: "/fw/VARS.fd")
        let args = try QEMULaunch(config: decoded, bundle: bundle, accelerator: "tcg", sshPort: 40022, firmware: fw).arguments()
        XCTAssertTrue(args.contains("if=none,id=seed0,format=raw,readonly=on,file=seed.img"))
        XCTAssertTrue(args.contains("virtio-blk-pci,drive=seed0"))
        config.provision = nil
        let plain = try QEMULaunch(config: config, bundle: bundle, accelerator: "tcg", sshPort: 40022, firmware: fw).arguments()
        XCTAssertFalse(plain.contains { $0.contains("seed") })

        try bundle.writeSeed(decoded)
        let seed = try Data(contentsOf: bundle.seed)
        XCTAssertEqual(String(decoding: seed[43..<54], as: UTF8.self), "CIDATA     ")
        try bundle.writeSeed(config)
        XCTAssertFalse(FileManager.default.fileExists(atPath: bundle.seed.path), "no provisioning, no seed")
    }

    func testCloneGetsANewInstanceAndSnapshotRestoreKeepsIt() throws {
        let store = BundleStore(home: dir)
        var config = VMConfig(os: .linux, arch: "x86_64", cpuCount: 1, memoryBytes: 256 << 20, diskBytes: 1 << 20,
                              macAddress: "02:11:22:33:44:55", boot: .efi(iso: nil), createdAt: "")
        config.provision = provision
        let source = try store.create(name: "src", config: config)
        let (_, cloned, _) = try SnapshotStore.cloneVM(store, source: source, target: "copy")
        XCTAssertNotEqual(cloned.provision?.instanceId, provision.instanceId)
        XCTAssertEqual(cloned.provision?.user, "alice")
        XCTAssertEqual(cloned.provision?.sshAuthorizedKeys, provision.sshAuthorizedKeys)
        XCTAssertNotEqual(cloned.macAddress, config.macAddress)
        XCTAssertEqual(try store.existing("copy").loadConfig().provision?.instanceId, cloned.provision?.instanceId)

        _ = try SnapshotStore.create(source, name: "s1", note: nil)
        _ = try SnapshotStore.restore(source, name: "s1")
        XCTAssertEqual(try source.loadConfig().provision?.instanceId, provision.instanceId)
    }
}
