#if os(Linux)
import Foundation
import Glibc

/// Host facts on Linux, read from /proc, /etc/os-release and sysconf.
enum LinuxHost {
    static func read(home: String) throws -> HostInfo {
        let disk = try DiskSpace.of(home)
        let kvm = KVMProbe.run()
        return HostInfo(
            hostname: SystemFacts.hostname(),
            os: OSInfo(name: "Linux", version: distribution(), kernel: SystemFacts.kernelRelease()),
            arch: Arch.current,
            chip: cpuModel(),
            cpuCores: max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN))),
            memoryBytes: memoryBytes(),
            memoryUsedBytes: HostLoad.memory()?.usedBytes ?? 0,
            freeDiskBytes: disk.freeBytes,
            totalDiskBytes: disk.totalBytes,
            vmtuiHome: home,
            virtualization: kvm,
            macosSlots: nil,
            rosetta: .notSupported,
            nestedVirtualization: kvm.accelerator == .kvm && KVMProbe.nestedEnabled(),
            saveRestore: HelperBuild.saveRestoreSupported)
    }

    /// The CPU's model name; arm64 kernels often give none, so fall back to the board's model.
    static func cpuModel() -> String {
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        for key in ["model name", "Hardware", "Processor"] {
            if let value = field(key, in: cpuinfo, separator: ":"), !value.isEmpty { return value }
        }
        if let model = try? String(contentsOfFile: "/sys/firmware/devicetree/base/model", encoding: .utf8) {
            let trimmed = model.trimmingCharacters(in: CharacterSet(charactersIn: "\0").union(.whitespacesAndNewlines))
            if !trimmed.isEmpty { return trimmed }
        }
        return "Unknown \(Arch.current.rawValue) CPU"
    }

    /// MemTotal from /proc/meminfo (in kB there), else the page count.
    static func memoryBytes() -> UInt64 {
        if let meminfo = try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8),
           let value = field("MemTotal", in: meminfo, separator: ":"),
           let kilobytes = UInt64(value.split(separator: " ").first ?? "") {
            return kilobytes * 1024
        }
        return UInt64(max(0, sysconf(Int32(_SC_PHYS_PAGES)))) * UInt64(max(0, sysconf(Int32(_SC_PAGESIZE))))
    }

    /// PRETTY_NAME from os-release, e.g. "Debian GNU/Linux 12 (bookworm)". Run inside the
    /// toolchain root, /etc/os-release is the root's: the launcher passes the machine's own name.
    static func distribution(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let named = environment["VMTUI_HOST_DISTRIBUTION"], !named.isEmpty { return named }
        for path in ["/etc/os-release", "/usr/lib/os-release"] {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8),
                  let value = field("PRETTY_NAME", in: text, separator: "=") else { continue }
            return value.trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
        }
        return "Linux"
    }

    /// The value of the first line "key<sep>value" (key compared after trimming).
    static func field(_ key: String, in text: String, separator: Character) -> String? {
        for line in text.split(separator: "\n") {
            guard let sep = line.firstIndex(of: separator),
                  line[..<sep].trimmingCharacters(in: .whitespaces) == key else { continue }
            return line[line.index(after: sep)...].trimmingCharacters(in: .whitespaces)
        }
        return nil
    }
}
#endif
