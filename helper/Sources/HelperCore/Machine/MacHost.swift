#if os(macOS) || DARWIN_CHECK
import Foundation
import SystemCalls

/// Host facts on macOS, read with sysctl and ProcessInfo.
enum MacHost {
    static func read(home: String) throws -> HostInfo {
        let disk = try DiskSpace.of(home)
        let version = ProcessInfo.processInfo.operatingSystemVersion
        var versionText = "\(version.majorVersion).\(version.minorVersion)"
        if version.patchVersion > 0 { versionText += ".\(version.patchVersion)" }
        #if arch(arm64) || DARWIN_CHECK
        // Two macOS guests at a time (Apple's licence); every running macOS bundle holds one slot.
        let slots: MacOSSlots? = VZMacOSSlots.slots(home: URL(fileURLWithPath: home, isDirectory: true))
        let rosetta = VZHostProbe.rosetta()
        let nested = VZHostProbe.nestedVirtualizationSupported()
        #else
        let slots: MacOSSlots? = nil
        let rosetta = RosettaStatus.notSupported
        let nested = false
        #endif
        return HostInfo(
            hostname: SystemFacts.hostname(),
            os: OSInfo(name: "macOS", version: versionText, kernel: SystemFacts.kernelRelease()),
            arch: Arch.current,
            chip: sysctlString("machdep.cpu.brand_string") ?? "Unknown Mac CPU",
            cpuCores: Int(sysctlInteger("hw.logicalcpu", as: Int32.self) ?? Int32(ProcessInfo.processInfo.activeProcessorCount)),
            memoryBytes: sysctlInteger("hw.memsize", as: UInt64.self) ?? ProcessInfo.processInfo.physicalMemory,
            memoryUsedBytes: HostLoad.memory()?.usedBytes ?? 0,
            freeDiskBytes: disk.freeBytes,
            totalDiskBytes: disk.totalBytes,
            vmtuiHome: home,
            virtualization: virtualization(),
            macosSlots: slots,
            rosetta: rosetta,
            nestedVirtualization: nested,
            saveRestore: HelperBuild.saveRestoreSupported)
    }

    private static func virtualization() -> VirtualizationInfo {
        #if arch(arm64) || DARWIN_CHECK
        if let problem = VZEntitlement.problem {
            return VirtualizationInfo(accelerator: .vz, hardware: false, note: problem)
        }
        #endif
        if sysctlInteger("kern.hv_support", as: Int32.self) == 1 {
            return VirtualizationInfo(accelerator: .vz, hardware: true, note: "Virtualization.framework is available.")
        }
        return VirtualizationInfo(accelerator: .vz, hardware: false,
                                  note: "This Mac offers no hardware virtualization (kern.hv_support is 0); VMs cannot start here.")
    }

    static func sysctlString(_ name: String) -> String? { HostCounters.sysctlString(name) }

    static func sysctlInteger<T: FixedWidthInteger>(_ name: String, as type: T.Type) -> T? {
        HostCounters.sysctlInteger(name, as: type)
    }
}
#endif
