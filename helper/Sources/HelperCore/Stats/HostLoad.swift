import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The host's cumulative CPU ticks and its memory in use: /proc on Linux, Mach on macOS.
public enum HostLoad {
    public static func cpuTicks() -> CPUTicks? {
        #if os(Linux)
        return (try? ProcessSampler.readSmallFile("/proc/stat")).flatMap(ProcFS.parseCPUTicks)
        #elseif os(macOS)
        return machCPUTicks()
        #else
        return nil
        #endif
    }

    public static func memory() -> MemoryUse? {
        #if os(Linux)
        return (try? ProcessSampler.readSmallFile("/proc/meminfo")).flatMap(ProcFS.parseMemInfo)
        #elseif os(macOS)
        return machMemory()
        #else
        return nil
        #endif
    }

    #if os(macOS)
    /// host_statistics HOST_CPU_LOAD_INFO: ticks per state (user, system, idle, nice).
    static func machCPUTicks() -> CPUTicks? {
        var info = host_cpu_load_info_data_t()
        var count = mach_msg_type_number_t(MemoryLayout<host_cpu_load_info_data_t>.size / MemoryLayout<integer_t>.size)
        let result = withUnsafeMutablePointer(to: &info) { pointer in
            pointer.withMemoryRebound(to: integer_t.self, capacity: Int(count)) {
                host_statistics(mach_host_self(), HOST_CPU_LOAD_INFO, $0, &count)
            }
        }
        guard result == KERN_SUCCESS else { return nil }
        let ticks = info.cpu_ticks
        let busy = UInt64(ticks.0) + UInt64(ticks.1) + UInt64(ticks.3)
        return CPUTicks(busy: busy, total: busy + UInt64(ticks.2))
    }

    /// Memory in use as Activity Monitor counts it: app memory (internal − purgeable), wired and
    /// compressed pages.
    static func machMemory() -> MemoryUse? {
        var stats = vm_statistics64_data_t()
        var count = mach_msg_type_number_t(MemoryLayout<vm_statistics64_data_t>.size / MemoryLayout<integer_t>.size)
        let result = withUnsafeMutablePointer(to: &stats) { pointer in
            pointer.withMemoryRebound(to: integer_t.self, capacity: Int(count)) {
                host_statistics64(mach_host_self(), HOST_VM_INFO64, $0, &count)
            }
        }
        guard result == KERN_SUCCESS else { return nil }
        var total: UInt64 = 0
        var size = MemoryLayout<UInt64>.size
        guard sysctlbyname("hw.memsize", &total, &size, nil, 0) == 0 else { return nil }
        let page = UInt64(vm_kernel_page_size)
        let app = UInt64(stats.internal_page_count) - min(UInt64(stats.internal_page_count), UInt64(stats.purgeable_count))
        let used = (app + UInt64(stats.wire_count) + UInt64(stats.compressor_page_count)) * page
        return MemoryUse(usedBytes: min(used, total), totalBytes: total)
    }
    #endif
}
