import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where QEMU's UEFI firmware lives (Debian's ovmf / qemu-efi-aarch64 packages, and common others).
public struct UEFIFirmware: Equatable, Sendable {
    public var code: String
    public var varsTemplate: String

    static let candidates: [String: [(String, String)]] = [
        "x86_64": [
            ("/usr/share/OVMF/OVMF_CODE_4M.fd", "/usr/share/OVMF/OVMF_VARS_4M.fd"),
            ("/usr/share/OVMF/OVMF_CODE.fd", "/usr/share/OVMF/OVMF_VARS.fd"),
            ("/usr/share/edk2/ovmf/OVMF_CODE.fd", "/usr/share/edk2/ovmf/OVMF_VARS.fd"),
            ("/usr/share/edk2/x64/OVMF_CODE.4m.fd", "/usr/share/edk2/x64/OVMF_VARS.4m.fd"),
        ],
        "arm64": [
            ("/usr/share/AAVMF/AAVMF_CODE.fd", "/usr/share/AAVMF/AAVMF_VARS.fd"),
            ("/usr/share/edk2/aarch64/QEMU_EFI-pflash.raw", "/usr/share/edk2/aarch64/vars-template-pflash.raw"),
        ],
    ]

    /// The first pair present on this host, or an error saying which package provides it.
    public static func locate(arch: String, exists: (String) -> Bool = FileOps.isRegularFile) throws -> UEFIFirmware {
        for (code, vars) in candidates[arch] ?? [] where exists(code) && exists(vars) {
            return UEFIFirmware(code: code, varsTemplate: vars)
        }
        let pkg = arch == "arm64" ? "qemu-efi-aarch64" : "ovmf"
        throw HelperError.unsupported("UEFI firmware for \(arch) guests is not installed; install the '\(pkg)' package (or boot the guest from a kernel instead).")
    }

    /// Gives a VM its own writable copy of the variable store template. Written through a temporary
    /// sibling (a killed copy must not leave a short store behind) with mode 0644, whatever the
    /// template's mode (read-only in some distributions' firmware packages).
    public func makeVariableStore(at url: URL) throws {
        guard let template = FileManager.default.contents(atPath: varsTemplate) else {
            let reason = access(varsTemplate, R_OK) == 0 ? EIO : errno
            throw HelperError.io(path: varsTemplate, errno: reason, action: "read the EFI variable store template")
        }
        try FileOps.atomicWrite(template, to: url)
    }
}

/// Everything that decides a qemu-system command line, gathered so the builder stays pure.
public struct QEMULaunch: Equatable, Sendable {
    public var config: VMConfig
    public var bundle: VMBundle
    public var accelerator: String       // "kvm" or "tcg"
    public var sshPort: UInt16           // host port forwarded to guest port 22
    public var firmware: UEFIFirmware?   // required for EFI boot
    public var shareTransport: QEMUShareTransport
    /// "vmx" or "svm" for a guest with nested virtualization (KVM with nesting on), else nil.
    public var nestingCPUFlag: String?

    public init(config: VMConfig, bundle: VMBundle, accelerator: String, sshPort: UInt16, firmware: UEFIFirmware?,
                shareTransport: QEMUShareTransport = .ninep, nestingCPUFlag: String? = nil) {
        self.config = config
        self.bundle = bundle
        self.accelerator = accelerator
        self.sshPort = sshPort
        self.firmware = firmware
        self.shareTransport = shareTransport
        self.nestingCPUFlag = nestingCPUFlag
    }

    public var executable: String { config.arch == "arm64" ? "qemu-system-aarch64" : "qemu-system-x86_64" }

    /// The arguments after the executable. Relative socket paths: qemu runs with the bundle as its
    /// working directory, which keeps unix socket paths short.
    public func arguments() throws -> [String] {
        var a: [String] = ["-nodefaults", "-no-user-config", "-display", "none", "-monitor", "none"]
        a += ["-name", "vmtui-\(bundle.name)"]
        let cpu = (accelerator == "kvm" ? "host" : "max") + (nestingCPUFlag.map { ",+\($0)" } ?? "")
        if config.arch == "arm64" {
            a += ["-machine", "virt", "-cpu", cpu]
        } else {
            // TCG's default (qemu64) lacks SSE4 and POPCNT, which x86-64-v2 distributions need.
            a += ["-machine", "q35", "-cpu", cpu]
        }
        a += ["-accel", accelerator]
        let memoryMiB = max(1, config.memoryBytes >> 20)
        a += ["-smp", String(config.cpuCount), "-m", "\(memoryMiB)M"]
        a += QEMUShares.arguments(config.shares, transport: shareTransport, memoryMiB: memoryMiB)
        switch config.boot {
        case let .kernel(kernel, initrd, cmdline):
            a += ["-kernel", kernel]
            if let initrd { a += ["-initrd", initrd] }
            a += ["-append", cmdline]
        case let .efi(iso):
            guard let fw = firmware else {
                throw HelperError.unsupported("UEFI boot needs firmware, and none was found on this host.")
            }
            a += ["-drive", "if=pflash,format=raw,unit=0,readonly=on,file=\(fw.code)"]
            a += ["-drive", "if=pflash,format=raw,unit=1,file=\(bundle.efiVars.lastPathComponent)"]
            if let iso {
                a += ["-drive", "if=none,id=cd0,media=cdrom,readonly=on,file=\(iso)"]
                a += config.arch == "arm64"
                    ? ["-device", "virtio-scsi-pci,id=scsi0", "-device", "scsi-cd,drive=cd0,bus=scsi0.0,bootindex=0"]
                    : ["-device", "ide-cd,drive=cd0,bootindex=0"]
            }
        case .macOS:
            throw HelperError.unsupported("macOS guests need Virtualization.framework on an Apple silicon Mac; QEMU cannot run them.")
        }
        a += ["-drive", "if=none,id=disk0,format=raw,file=\(bundle.disk.lastPathComponent),cache=writeback"]
        a += ["-device", "virtio-blk-pci,drive=disk0,bootindex=1"]
        // The cloud-init seed (Provision/): read-only, after the boot disk.
        if config.provision != nil {
            a += ["-drive", "if=none,id=seed0,format=raw,readonly=on,file=\(bundle.seed.lastPathComponent)"]
            a += ["-device", "virtio-blk-pci,drive=seed0"]
        }
        // No -no-reboot: a guest reboot resets the machine (QMP RESET) and the host stays.
        a += ["-netdev", QEMUForwards.netdev(sshPort: Int(sshPort), forwards: config.forwards)]
        a += ["-device", "virtio-net-pci,netdev=net0,mac=\(config.macAddress)"]
        a += ["-device", "virtio-rng-pci"]
        a += QEMUDisplay.arguments(display: config.display, arch: config.arch, vnc: config.vncServer)
        // The serial console is qemu's stdin/stdout, owned by the host process.
        a += ["-chardev", "stdio,id=console0,signal=off", "-serial", "chardev:console0"]
        a += ["-qmp", "unix:\(bundle.qmpSocket.lastPathComponent),server=on,wait=off"]
        a += ["-pidfile", "qemu.pid"]
        return a
    }
}
