import Foundation
import XCTest
@testable import HelperCore

final class QEMUCommandLineTests: XCTestCase {
    let bundle = VMBundle(name: "dev", url: URL(fileURLWithPath: "/tmp/home/vms/dev"))

    func config(_ boot: BootConfig, arch: String = "x86_64") -> VMConfig {
        VMConfig(os: .linux, arch: arch, cpuCount: 2, memoryBytes: 512 << 20, diskBytes: 1 << 30,
                 macAddress: "02:11:22:33:44:55", boot: boot, createdAt: "")
    }

    func value(after flag: String, in args: [String]) -> [String] {
        args.indices.filter { args[$0] == flag && $0 + 1 < args.count }.map { args[$0 + 1] }
    }

    func testSupervisedProcessesDieWithTheHostWhereSetprivExists() {
        let folder = URL(fileURLWithPath: "/tmp/home/vms/dev")
        let (process, arguments) = QEMUBackend.supervisedProcess("/usr/bin/qemu-system-x86_64", ["-nodefaults"], in: folder)
        XCTAssertEqual(process.currentDirectoryURL?.path, folder.path)
        XCTAssertEqual(process.arguments, arguments)
        if let setpriv = QEMUBackend.findExecutable("setpriv") {
            XCTAssertEqual(process.executableURL?.path, setpriv)
            XCTAssertEqual(arguments, ["--pdeathsig", "KILL", "--", "/usr/bin/qemu-system-x86_64", "-nodefaults"])
        } else {
            XCTAssertEqual(process.executableURL?.path, "/usr/bin/qemu-system-x86_64")
            XCTAssertEqual(arguments, ["-nodefaults"])
        }
    }

    func testKernelBootOnTCG() throws {
        let launch = QEMULaunch(config: config(.kernel(kernel: "/k/vmlinuz", initrd: "/k/initrd", cmdline: "console=ttyS0")),
                                bundle: bundle, accelerator: "tcg", sshPort: 40022, firmware: nil)
        let args = try launch.arguments()
        XCTAssertEqual(launch.executable, "qemu-system-x86_64")
        XCTAssertTrue(args.starts(with: ["-nodefaults", "-no-user-config", "-display", "none"]))
        XCTAssertEqual(value(after: "-accel", in: args), ["tcg"])
        XCTAssertFalse(args.contains("host"), "no -cpu host without KVM")
        // qemu64 (TCG's default) cannot run x86-64-v2 distributions.
        XCTAssertEqual(value(after: "-cpu", in: args), ["max"])
        XCTAssertEqual(value(after: "-smp", in: args), ["2"])
        XCTAssertEqual(value(after: "-m", in: args), ["512M"])
        XCTAssertEqual(value(after: "-kernel", in: args), ["/k/vmlinuz"])
        XCTAssertEqual(value(after: "-initrd", in: args), ["/k/initrd"])
        XCTAssertEqual(value(after: "-append", in: args), ["console=ttyS0"])
        XCTAssertEqual(value(after: "-netdev", in: args), ["user,id=net0,hostfwd=tcp:127.0.0.1:40022-:22"])
        XCTAssertTrue(value(after: "-device", in: args).contains("virtio-net-pci,netdev=net0,mac=02:11:22:33:44:55"))
        XCTAssertTrue(value(after: "-drive", in: args).contains("if=none,id=disk0,format=raw,file=disk.img,cache=writeback"))
        XCTAssertEqual(value(after: "-qmp", in: args), ["unix:qmp.sock,server=on,wait=off"])
        XCTAssertEqual(value(after: "-serial", in: args), ["chardev:console0"])
    }

    func testEFIWithISOOnKVM() throws {
        let fw = UEFIFirmware(code: "/fw/CODE.fd", varsTemplate: "/fw/VARS.fd")
        let launch = QEMULaunch(config: config(.efi(iso: "/isos/debian.iso")), bundle: bundle, accelerator: "kvm", sshPort: 2222, firmware: fw)
        let args = try launch.arguments()
        XCTAssertEqual(value(after: "-cpu", in: args), ["host"])
        let drives = value(after: "-drive", in: args)
        XCTAssertTrue(drives.contains("if=pflash,format=raw,unit=0,readonly=on,file=/fw/CODE.fd"))
        XCTAssertTrue(drives.contains("if=pflash,format=raw,unit=1,file=efi-vars.fd"))
        XCTAssertTrue(drives.contains("if=none,id=cd0,media=cdrom,readonly=on,file=/isos/debian.iso"))
        XCTAssertTrue(value(after: "-device", in: args).contains("ide-cd,drive=cd0,bootindex=0"))
        XCTAssertFalse(args.contains("-kernel"))
    }

    /// Options of one kind's values, split at commas: "if=none,id=disk0" → ["if": "none", "id": "disk0"].
    func options(_ value: String) -> [String: String] {
        var out: [String: String] = [:]
        for part in value.split(separator: ",") {
            let kv = part.split(separator: "=", maxSplits: 1).map(String.init)
            out[kv[0]] = kv.count > 1 ? kv[1] : ""
        }
        return out
    }

    /// Every backend a device names exists, and every disk, network and character backend is
    /// attached to a device: a drive with nothing attaching it is a guest without that disk.
    func assertWired(_ args: [String], file: StaticString = #filePath, line: UInt = #line) {
        let devices = value(after: "-device", in: args).map(options)
        let drives = value(after: "-drive", in: args).map(options).filter { $0["if"] == "none" }.compactMap { $0["id"] }
        let netdevs = value(after: "-netdev", in: args).map { String($0.split(separator: ",")[1].dropFirst(3)) }
        for id in drives { XCTAssertTrue(devices.contains { $0["drive"] == id }, "drive \(id) is attached to no device", file: file, line: line) }
        for id in netdevs { XCTAssertTrue(devices.contains { $0["netdev"] == id }, "netdev \(id) is attached to no device", file: file, line: line) }
        for device in devices {
            if let id = device["drive"] { XCTAssertTrue(drives.contains(id), "a device names drive \(id), which is not defined", file: file, line: line) }
            if let id = device["netdev"] { XCTAssertTrue(netdevs.contains(id), "a device names netdev \(id), which is not defined", file: file, line: line) }
        }
        let chardevs = value(after: "-chardev", in: args).map { String($0.split(separator: ",").first { $0.hasPrefix("id=") }?.dropFirst(3) ?? "") }
        for id in chardevs { XCTAssertTrue(value(after: "-serial", in: args).contains("chardev:\(id)"), "chardev \(id) is on no serial port", file: file, line: line) }
    }

    func testEachDeviceIsAttached() throws {
        // Kernel boot: the disk on virtio-blk, the user network on virtio-net, the RNG, the serial console.
        let kernel = try QEMULaunch(config: config(.kernel(kernel: "/k/vmlinuz", initrd: nil, cmdline: "console=ttyS0")),
                                    bundle: bundle, accelerator: "tcg", sshPort: 40022, firmware: nil).arguments()
        var devices = value(after: "-device", in: kernel)
        XCTAssertTrue(value(after: "-drive", in: kernel).contains("if=none,id=disk0,format=raw,file=disk.img,cache=writeback"))
        XCTAssertTrue(devices.contains("virtio-blk-pci,drive=disk0,bootindex=1"), "\(devices)")
        XCTAssertTrue(devices.contains("virtio-net-pci,netdev=net0,mac=02:11:22:33:44:55"), "\(devices)")
        XCTAssertTrue(devices.contains("virtio-rng-pci"), "\(devices)")
        XCTAssertEqual(value(after: "-chardev", in: kernel), ["stdio,id=console0,signal=off"])
        XCTAssertEqual(value(after: "-serial", in: kernel), ["chardev:console0"])
        assertWired(kernel)

        // UEFI on x86 with an ISO: both pflash units, the CD on IDE booting first, the disk after it.
        let fw = UEFIFirmware(code: "/fw/CODE.fd", varsTemplate: "/fw/VARS.fd")
        let efi = try QEMULaunch(config: config(.efi(iso: "/isos/d.iso")), bundle: bundle, accelerator: "tcg", sshPort: 2222, firmware: fw).arguments()
        devices = value(after: "-device", in: efi)
        let drives = value(after: "-drive", in: efi)
        XCTAssertTrue(drives.contains("if=pflash,format=raw,unit=0,readonly=on,file=/fw/CODE.fd"), "\(drives)")
        XCTAssertTrue(drives.contains("if=pflash,format=raw,unit=1,file=efi-vars.fd"), "\(drives)")
        XCTAssertTrue(drives.contains("if=none,id=cd0,media=cdrom,readonly=on,file=/isos/d.iso"), "\(drives)")
        XCTAssertTrue(devices.contains("ide-cd,drive=cd0,bootindex=0"), "\(devices)")
        XCTAssertTrue(devices.contains("virtio-blk-pci,drive=disk0,bootindex=1"), "\(devices)")
        XCTAssertTrue(devices.contains("virtio-net-pci,netdev=net0,mac=02:11:22:33:44:55"), "\(devices)")
        assertWired(efi)

        // UEFI on arm64: the CD on a virtio-scsi controller.
        let arm = try QEMULaunch(config: config(.efi(iso: "/isos/d.iso"), arch: "arm64"), bundle: bundle, accelerator: "tcg", sshPort: 2222, firmware: fw).arguments()
        devices = value(after: "-device", in: arm)
        XCTAssertTrue(devices.contains("virtio-scsi-pci,id=scsi0"), "\(devices)")
        XCTAssertTrue(devices.contains("scsi-cd,drive=cd0,bus=scsi0.0,bootindex=0"), "\(devices)")
        XCTAssertTrue(devices.contains("virtio-blk-pci,drive=disk0,bootindex=1"), "\(devices)")
        assertWired(arm)
    }

    func testArm64UsesVirtMachine() throws {
        let launch = QEMULaunch(config: config(.kernel(kernel: "/k", initrd: nil, cmdline: "c"), arch: "arm64"),
                                bundle: bundle, accelerator: "tcg", sshPort: 1, firmware: nil)
        let args = try launch.arguments()
        XCTAssertEqual(launch.executable, "qemu-system-aarch64")
        XCTAssertEqual(value(after: "-machine", in: args), ["virt"])
        XCTAssertEqual(value(after: "-cpu", in: args), ["max"])
        XCTAssertFalse(args.contains("-initrd"))
    }

    func testEFIWithoutFirmwareAndMacOSGuestsAreRefused() {
        let efi = QEMULaunch(config: config(.efi(iso: nil)), bundle: bundle, accelerator: "tcg", sshPort: 1, firmware: nil)
        XCTAssertThrowsError(try efi.arguments()) { XCTAssertEqual(($0 as? HelperError)?.kind, "unsupported") }
        let mac = QEMULaunch(config: config(.macOS), bundle: bundle, accelerator: "tcg", sshPort: 1, firmware: nil)
        XCTAssertThrowsError(try mac.arguments()) { XCTAssertTrue(($0 as? HelperError)?.message.contains("Apple silicon") ?? false) }
    }

    func testFirmwareLookupPicksFirstPresentPairOrNamesThePackage() throws {
        let present: Set<String> = ["/usr/share/OVMF/OVMF_CODE.fd", "/usr/share/OVMF/OVMF_VARS.fd"]
        let fw = try UEFIFirmware.locate(arch: "x86_64", exists: { present.contains($0) })
        XCTAssertEqual(fw, UEFIFirmware(code: "/usr/share/OVMF/OVMF_CODE.fd", varsTemplate: "/usr/share/OVMF/OVMF_VARS.fd"))
        XCTAssertThrowsError(try UEFIFirmware.locate(arch: "arm64", exists: { _ in false })) { error in
            XCTAssertTrue((error as? HelperError)?.message.contains("qemu-efi-aarch64") ?? false)
        }
    }

    func testMissingBootFilesAreNamed() {
        let c = config(.kernel(kernel: "/nonexistent/vmlinuz", initrd: nil, cmdline: ""))
        XCTAssertThrowsError(try QEMUBackend.checkBootFiles(c)) { error in
            XCTAssertEqual(error as? HelperError, .missingFile(what: "kernel", path: "/nonexistent/vmlinuz"))
            XCTAssertEqual((error as? HelperError)?.code, 1002)
            XCTAssertEqual((error as? HelperError)?.message, "The kernel file /nonexistent/vmlinuz does not exist; check the path and try again.")
        }
    }
}
