import Foundation
import XCTest
@testable import HelperCore

/// Shared folders (rules, QEMU's virtiofs and 9p arguments, the guest's mounts) and the checks on
/// Rosetta, nested virtualization and the keyboard.
final class SharesTests: XCTestCase {
    var root: URL!

    override func setUpWithError() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("vmtui-shares-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: root) }

    func folder(_ name: String) throws -> String {
        let url = root.appendingPathComponent(name, isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.path
    }

    func assertInvalid(_ body: @autoclosure () throws -> Any, _ words: [String], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try body(), file: file, line: line) { error in
            guard let e = error as? HelperError else { return XCTFail("not a HelperError: \(error)", file: file, line: line) }
            for w in words { XCTAssertTrue(e.message.contains(w), "'\(w)' not in: \(e.message)", file: file, line: line) }
            XCTAssertTrue(e.message.hasSuffix("."), e.message, file: file, line: line)
        }
    }

    // MARK: Rules

    func testDefaultTagsComeFromFolderNamesAndAreMadeUnique() throws {
        let src = try folder("My Src")
        let other = try folder("b/My Src")
        let shares = try ShareRules.add([ShareParams(path: src), ShareParams(path: other, readOnly: true)], to: [], vmName: "dev")
        XCTAssertEqual(shares.map(\.tag), ["My-Src", "My-Src-2"])
        XCTAssertEqual(shares.map(\.readOnly), [false, true])
        XCTAssertEqual(ShareRules.defaultTag(for: "/x/.hidden", taken: []), "hidden")
        XCTAssertEqual(ShareRules.defaultTag(for: "/", taken: []), "share")
        XCTAssertEqual(ShareRules.defaultTag(for: "/x/rosetta", taken: []), "rosetta-2", "the Rosetta tag is kept")
        XCTAssertEqual(ShareRules.defaultTag(for: "/x/" + String(repeating: "a", count: 50), taken: []).count, 30)
    }

    func testBadSharesAreRefusedWithWhatToDo() throws {
        let path = try folder("data")
        assertInvalid(try ShareRules.add([ShareParams(path: root.appendingPathComponent("nope").path)], to: [], vmName: "dev"), ["does not exist"])
        let file = root.appendingPathComponent("file.txt")
        XCTAssertTrue(FileManager.default.createFile(atPath: file.path, contents: Data("x".utf8)))
        assertInvalid(try ShareRules.add([ShareParams(path: file.path)], to: [], vmName: "dev"), ["is a file, not a folder"])
        assertInvalid(try ShareRules.add([ShareParams(path: "")], to: [], vmName: "dev"), ["empty"])
        for tag in ["", "a/b", "-x", String(repeating: "t", count: 36), "a b"] {
            assertInvalid(try ShareRules.add([ShareParams(path: path, tag: tag)], to: [], vmName: "dev"), ["tag"])
        }
        assertInvalid(try ShareRules.add([ShareParams(path: path, tag: "rosetta")], to: [], vmName: "dev"), ["Rosetta"])
        let one = try ShareRules.add([ShareParams(path: path, tag: "d")], to: [], vmName: "dev")
        assertInvalid(try ShareRules.add([ShareParams(path: path, tag: "d")], to: one, vmName: "dev"), ["already has", "--unshare d"])
        assertInvalid(try ShareRules.remove(["x"], from: one, vmName: "dev"), ["no share with the tag 'x'", "its shares are d"])
        XCTAssertEqual(try ShareRules.remove(["d"], from: one, vmName: "dev"), [])
        XCTAssertNoThrow(try ShareRules.checkStillThere(one, vmName: "dev"))
        try FileManager.default.removeItem(atPath: path)
        assertInvalid(try ShareRules.checkStillThere(one, vmName: "dev"), ["is no longer there", "--unshare d"])
    }

    func testASymlinkIsFollowedOnceAndItsTargetKept() throws {
        let real = try folder("real")
        let link = root.appendingPathComponent("link").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: real)
        let shares = try ShareRules.add([ShareParams(path: link, tag: "l")], to: [], vmName: "dev")
        XCTAssertEqual(shares.first?.path, URL(fileURLWithPath: real).resolvingSymlinksInPath().path)
    }

    func testFeatureFlagsLiveInConfigExtraKeys() throws {
        var c = VMConfig(os: .macos, arch: "arm64", cpuCount: 1, memoryBytes: 1 << 30, diskBytes: 1 << 30,
                         macAddress: "02:11:22:33:44:55", boot: .macOS, createdAt: "")
        c.keyboard = .usb
        c.rosetta = true
        let decoded = try JSONCoding.decode(VMConfig.self, from: try c.encoded())
        XCTAssertEqual(decoded.keyboard, .usb)
        XCTAssertTrue(decoded.rosetta)
        XCTAssertFalse(decoded.nestedVirtualization)
        XCTAssertEqual(VZGuestOptions(config: decoded).rosetta, true, "the key the VZ plan reads")
    }

    // MARK: QEMU

    let bundle = VMBundle(name: "dev", url: URL(fileURLWithPath: "/tmp/home/vms/dev"))

    func launch(_ shares: [SharedFolder], transport: QEMUShareTransport, nesting: String? = nil, accel: String = "tcg") -> QEMULaunch {
        var c = VMConfig(os: .linux, arch: "x86_64", cpuCount: 1, memoryBytes: 768 << 20, diskBytes: 1 << 30,
                         macAddress: "02:11:22:33:44:55", boot: .kernel(kernel: "/k", initrd: nil, cmdline: "console=ttyS0"), createdAt: "")
        c.shares = shares
        return QEMULaunch(config: c, bundle: bundle, accelerator: accel, sshPort: 40022, firmware: nil,
                          shareTransport: transport, nestingCPUFlag: nesting)
    }

    func values(_ flag: String, _ args: [String]) -> [String] {
        args.indices.filter { args[$0] == flag && $0 + 1 < args.count }.map { args[$0 + 1] }
    }

    let shares = [SharedFolder(tag: "src", path: "/home/me/src", readOnly: false),
                  SharedFolder(tag: "data", path: "/srv/a,b", readOnly: true)]

    func testVirtiofsSharesGuestMemoryAndConnectsToEachVirtiofsd() throws {
        let args = try launch(shares, transport: .virtiofs(virtiofsd: "/usr/libexec/virtiofsd")).arguments()
        XCTAssertEqual(values("-m", args), ["768M"])
        XCTAssertEqual(values("-object", args), ["memory-backend-memfd,id=mem0,size=768M,share=on"])
        XCTAssertEqual(values("-numa", args), ["node,memdev=mem0"])
        XCTAssertTrue(values("-chardev", args).contains("socket,id=vfs0,path=virtiofs-0.sock"))
        XCTAssertTrue(values("-chardev", args).contains("socket,id=vfs1,path=virtiofs-1.sock"))
        let devices = values("-device", args)
        XCTAssertTrue(devices.contains("vhost-user-fs-pci,chardev=vfs0,tag=src"))
        XCTAssertTrue(devices.contains("vhost-user-fs-pci,chardev=vfs1,tag=data"))
        XCTAssertFalse(args.contains("-fsdev"))

        XCTAssertEqual(QEMUShares.virtiofsdArguments(shares[0], index: 0),
                       ["--socket-path", "virtiofs-0.sock", "--shared-dir", "/home/me/src", "--sandbox", "none", "--cache", "auto"])
        XCTAssertEqual(QEMUShares.virtiofsdArguments(shares[1], index: 1).last, "--readonly", "read-only on the host side")
    }

    func testNinePNeedsNoSharedMemoryAndIsReadOnlyOnTheHost() throws {
        let args = try launch(shares, transport: .ninep).arguments()
        XCTAssertTrue(values("-object", args).isEmpty)
        XCTAssertTrue(values("-numa", args).isEmpty)
        XCTAssertEqual(values("-fsdev", args), ["local,id=fs0,path=/home/me/src,security_model=none",
                                                "local,id=fs1,path=/srv/a,,b,security_model=none,readonly=on"])
        let devices = values("-device", args)
        XCTAssertTrue(devices.contains("virtio-9p-pci,fsdev=fs0,mount_tag=src"))
        XCTAssertTrue(devices.contains("virtio-9p-pci,fsdev=fs1,mount_tag=data"))
    }

    func testNoSharesNoSharedMemory() throws {
        let args = try launch([], transport: .virtiofs(virtiofsd: "/v")).arguments()
        XCTAssertFalse(args.contains("-object") || args.contains("-numa") || args.contains("-fsdev"))
    }

    func testTransportIsVirtiofsWhereVirtiofsdIsInstalledElse9pWithASentence() {
        XCTAssertEqual(QEMUShareTransport.pick(path: "/a:/b", chosen: nil, executable: { $0 == "/b/virtiofsd" }), .virtiofs(virtiofsd: "/b/virtiofsd"))
        XCTAssertEqual(QEMUShareTransport.pick(path: "/a", chosen: nil, executable: { $0 == "/usr/libexec/virtiofsd" }), .virtiofs(virtiofsd: "/usr/libexec/virtiofsd"))
        XCTAssertEqual(QEMUShareTransport.pick(path: "/b", chosen: "none", executable: { _ in true }), .ninep, "VMTUI_VIRTIOFSD=none")
        XCTAssertEqual(QEMUShareTransport.pick(path: "/b", chosen: "/opt/vfsd", executable: { _ in true }), .virtiofs(virtiofsd: "/opt/vfsd"))
        let none = QEMUShareTransport.pick(path: "/a", chosen: nil, executable: { _ in false })
        XCTAssertEqual(none, .ninep)
        XCTAssertEqual(none.info.transport, "9p")
        XCTAssertTrue(none.info.note?.contains("apt install virtiofsd") == true)
        XCTAssertNil(QEMUShareTransport.virtiofs(virtiofsd: "/v").info.note)
    }

    func testNestedPassesTheCPUFlag() throws {
        XCTAssertEqual(values("-cpu", try launch([], transport: .ninep, nesting: "vmx", accel: "kvm").arguments()), ["host,+vmx"])
        XCTAssertEqual(values("-cpu", try launch([], transport: .ninep, accel: "kvm").arguments()), ["host"])
    }

    // MARK: Guest features

    func linux() -> VMConfig {
        VMConfig(os: .linux, arch: "x86_64", cpuCount: 1, memoryBytes: 1 << 30, diskBytes: 1 << 30,
                 macAddress: "02:11:22:33:44:55", boot: .efi(iso: nil), createdAt: "")
    }

    func testNestedIsRefusedUnderTCGAndWithoutKVMNesting() throws {
        var c = linux()
        c.nestedVirtualization = true
        assertInvalid(try GuestFeatures.check(c, name: "dev", host: FeatureHost(.qemu(kvm: false, kvmNested: false, cpuFlag: "vmx"))),
                      [GuestFeatures.nestedUnderTCG])
        assertInvalid(try GuestFeatures.check(c, name: "dev", host: FeatureHost(.qemu(kvm: true, kvmNested: false, cpuFlag: "vmx"))),
                      ["'nested' parameter is off", "kvm_intel nested=1"])
        XCTAssertNoThrow(try GuestFeatures.check(c, name: "dev", host: FeatureHost(.qemu(kvm: true, kvmNested: true, cpuFlag: "vmx"))))
        let m2 = VZHostFacts(macOSMajor: 15, arch: "arm64", chipGeneration: 2, rosetta: .installed)
        c.arch = "arm64"
        assertInvalid(try GuestFeatures.check(c, name: "dev", host: FeatureHost(.vz(m2))), ["M3"])
    }

    func testRosettaOnlyForLinuxGuestsOnAppleSilicon() throws {
        var c = linux()
        c.rosetta = true
        assertInvalid(try GuestFeatures.check(c, name: "dev", host: FeatureHost(.qemu(kvm: true, kvmNested: true, cpuFlag: nil))),
                      ["Rosetta is only on Apple silicon Macs"])
        let sonoma = VZHostFacts(macOSMajor: 14, arch: "arm64", chipGeneration: 2, rosetta: .notInstalled)
        XCTAssertNoThrow(try GuestFeatures.check(c, name: "dev", host: FeatureHost(.vz(sonoma))), "installed later, before the start")
        var intel = sonoma
        intel.arch = "x86_64"
        intel.rosetta = .notSupported
        assertInvalid(try GuestFeatures.check(c, name: "dev", host: FeatureHost(.vz(intel))), ["Apple silicon"])
        c.os = .macos
        assertInvalid(try GuestFeatures.check(c, name: "dev", host: FeatureHost(.vz(sonoma))), ["Rosetta built in"])
    }

    func testKeyboardIsForMacOSGuests() throws {
        var c = linux()
        c.keyboard = .usb
        assertInvalid(try GuestFeatures.check(c, name: "dev", host: FeatureHost(.qemu(kvm: false, kvmNested: false, cpuFlag: nil))),
                      ["for macOS guests", "USB keyboard"])
        c.os = .macos
        c.keyboard = .mac
        let ventura = VZHostFacts(macOSMajor: 13, arch: "arm64", chipGeneration: 1, rosetta: .installed)
        assertInvalid(try GuestFeatures.check(c, name: "dev", host: FeatureHost(.vz(ventura))), ["macOS 14", "--keyboard usb"])
    }

    // MARK: Guest mounts

    func testCloudInitMountsEachTagAtBootAndRegistersRosetta() throws {
        let commands = GuestMounts.bootCommands(shares: shares, rosetta: true)
        XCTAssertEqual(commands.count, 3)
        XCTAssertTrue(commands[0].contains("mount -t virtiofs src /mnt/src"))
        XCTAssertTrue(commands[0].contains("mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144 src /mnt/src"))
        XCTAssertTrue(commands[2].contains("mount -t virtiofs rosetta /media/rosetta"))
        XCTAssertTrue(commands[2].contains(#"printf '%s' ':rosetta:M::\x7fELF\x02\x01\x01\x00"#))
        XCTAssertTrue(commands[2].hasSuffix(#":/media/rosetta/rosetta:CF' >/proc/sys/fs/binfmt_misc/register; }"#))

        let provision = ProvisionConfig(user: "alice", sshAuthorizedKeys: [], sshKeyFiles: [], userData: nil, instanceId: "i-1")
        let text = try NoCloudSeed.userData(vmName: "dev", provision: provision, bootCommands: commands)
        XCTAssertTrue(text.contains(#"  - [sh, -c, "mkdir -p /mnt/src && "#), text)
        XCTAssertTrue(text.contains(#"\\x7fELF"#), "the backslashes reach the guest as written: \(text)")
        XCTAssertFalse(try NoCloudSeed.userData(vmName: "dev", provision: provision).contains("/mnt/"))
    }
}
