#if os(Linux)
import Foundation
import Glibc

/// Decides between KVM and TCG. /dev/kvm existing is not enough: it can exist on a CPU without
/// vmx/svm (e.g. a PVM host, whose KVM runs only PVM-enabled guest kernels and fails on ordinary
/// ones), so the probe wants the CPU flag, opens the device and asks it to create a VM.
enum KVMProbe {
    /// _IO(KVMIO, 0x01) from <linux/kvm.h>.
    static let createVM: UInt = 0xAE01

    static func run(device: String = "/dev/kvm") -> VirtualizationInfo {
        let fd = open(device, O_RDWR | O_CLOEXEC)
        guard fd >= 0 else {
            let err = errno
            switch err {
            case ENOENT:
                return tcg("\(device) does not exist", advice: "Load the kvm module and enable virtualization in the firmware to use KVM.")
            case EACCES, EPERM:
                return tcg("\(device): permission denied", advice: "Add your user to the 'kvm' group to use KVM.")
            default:
                return tcg("\(device) does not open: \(Posix.describe(err))", advice: nil)
            }
        }
        defer { close(fd) }
        guard cpuHasVirtualizationFlag() else {
            let pvm = FileManager.default.fileExists(atPath: "/sys/module/kvm_pvm") ? " (its KVM is PVM, which runs only PVM-enabled guest kernels)" : ""
            return tcg("\(device): no hardware virtualization",
                       advice: "The CPU shows no vmx or svm flag\(pvm); enable VT-x/AMD-V in the firmware, or nested virtualization on the outer hypervisor.")
        }
        let vm = ioctl(fd, createVM, 0)
        guard vm >= 0 else {
            return tcg("\(device) cannot create a VM: \(Posix.describe(errno))", advice: nil)
        }
        close(vm)
        return VirtualizationInfo(accelerator: .kvm, hardware: true,
                                  note: "KVM is available; guests run with hardware virtualization.")
    }

    /// Whether guests could themselves use KVM (the kvm_intel/kvm_amd "nested" parameter).
    static func nestedEnabled() -> Bool {
        for module in ["kvm_intel", "kvm_amd"] {
            guard let value = try? String(contentsOfFile: "/sys/module/\(module)/parameters/nested", encoding: .utf8) else { continue }
            let flag = value.trimmingCharacters(in: .whitespacesAndNewlines)
            if flag == "Y" || flag == "1" { return true }
        }
        return false
    }

    /// The CPU feature a nested guest needs (vmx on Intel, svm on AMD); nil on arm64, where
    /// `-cpu host` carries what KVM offers.
    static func nestingCPUFlag() -> String? {
        #if arch(x86_64)
        guard let cpuinfo = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let flags = LinuxHost.field("flags", in: cpuinfo, separator: ":") else { return nil }
        let names = Set(flags.split(separator: " "))
        return names.contains("svm") ? "svm" : names.contains("vmx") ? "vmx" : nil
        #else
        return nil
        #endif
    }

    /// On x86 the flags name the extension; arm64 has no such flag, so assume it is there.
    static func cpuHasVirtualizationFlag() -> Bool {
        #if arch(x86_64)
        guard let cpuinfo = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let flags = LinuxHost.field("flags", in: cpuinfo, separator: ":") else { return false }
        let names = Set(flags.split(separator: " "))
        return names.contains("vmx") || names.contains("svm")
        #else
        return true
        #endif
    }

    private static func tcg(_ reason: String, advice: String?) -> VirtualizationInfo {
        let note = "KVM is not usable here (\(reason)); guests run under TCG emulation, slowly."
        return VirtualizationInfo(accelerator: .tcg, hardware: false, note: advice.map { note + " " + $0 } ?? note)
    }
}
#endif
