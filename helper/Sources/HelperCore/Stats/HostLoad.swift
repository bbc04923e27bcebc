import Foundation
import SystemCalls
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The host's cumulative CPU ticks and its memory in use: /proc on Linux, Mach on macOS.
public enum HostLoad {
    public static func cpuTicks() -> CPUTicks? {
        #if os(Linux) && !DARWIN_CHECK
        return (try? ProcessSampler.readSmallFile("/proc/stat")).flatMap(ProcFS.parseCPUTicks)
        #elseif os(macOS) || DARWIN_CHECK
        return machCPUTicks()
        #else
        return nil
        #endif
    }

    public static func memory() -> MemoryUse? {
        #if os(Linux) && !DARWIN_CHECK
        return (try? ProcessSampler.readSmallFile("/proc/meminfo")).flatMap(ProcFS.parseMemInfo)
        #elseif os(macOS) || DARWIN_CHECK
        return machMemory()
        #else
        return nil
        #endif
    }

    #if os(macOS) || DARWIN_CHECK
    static func machCPUTicks() -> CPUTicks? {
        HostCounters.cpuTicks().map { CPUTicks(busy: $0.busy, total: $0.total) }
    }

    static func machMemory() -> MemoryUse? {
        HostCounters.memory().map { MemoryUse(usedBytes: $0.used, totalBytes: $0.total) }
    }
    #endif
}
