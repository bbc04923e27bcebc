import Foundation
import SystemCalls
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One reading of a process: cumulative CPU time, resident memory and age.
public struct ProcessSample: Equatable, Sendable {
    /// User + system CPU time since the process started.
    public var cpuSeconds: Double
    public var residentBytes: UInt64
    /// Seconds since the process started.
    public var ageSeconds: Double
}

public enum ProcessSampleError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No such process, or it has exited and waits to be reaped.
    case gone(pid: Int32)
    case unreadable(pid: Int32, reason: String)

    public var description: String {
        switch self {
        case .gone(let pid):
            return "The process running the guest (pid \(pid)) has exited."
        case .unreadable(let pid, let reason):
            return "The process running the guest (pid \(pid)) cannot be measured (\(reason))."
        }
    }
}

/// Reads a process's CPU time and resident memory: /proc on Linux, libproc on macOS.
public enum ProcessSampler {
    public static func sample(pid: Int32) throws -> ProcessSample {
        #if os(Linux) && !DARWIN_CHECK
        return try sampleProc(pid: pid, root: "/proc")
        #elseif os(macOS) || DARWIN_CHECK
        return try sampleLibproc(pid: pid)
        #else
        throw ProcessSampleError.unreadable(pid: pid, reason: "this system is neither Linux nor macOS")
        #endif
    }

    /// `root` is /proc, or a folder laid out like it (tests).
    static func sampleProc(pid: Int32, root: String) throws -> ProcessSample {
        let statPath = "\(root)/\(pid)/stat"
        let text: String
        do { text = try readSmallFile(statPath) } catch let failure as FileReadError {
            if failure.errno == ENOENT || failure.errno == ESRCH { throw ProcessSampleError.gone(pid: pid) }
            throw ProcessSampleError.unreadable(pid: pid, reason: "\(statPath): \(Posix.describe(failure.errno))")
        }
        guard let stat = ProcFS.parsePidStat(text) else {
            throw ProcessSampleError.unreadable(pid: pid, reason: "\(statPath) has an unexpected format")
        }
        if stat.hasExited { throw ProcessSampleError.gone(pid: pid) }
        let ticksPerSecond = Double(max(1, sysconf(Int32(_SC_CLK_TCK))))
        let pageSize = UInt64(max(1, sysconf(Int32(_SC_PAGESIZE))))
        // statm and status agree (both are the kernel's RSS counters); stat's rss is the last resort.
        let resident = (try? readSmallFile("\(root)/\(pid)/statm")).flatMap(ProcFS.parseStatmResidentPages).map { $0 * pageSize }
            ?? (try? readSmallFile("\(root)/\(pid)/status")).flatMap(ProcFS.parseStatusResidentBytes)
            ?? stat.residentPages * pageSize
        let uptime = (try? readSmallFile("\(root)/uptime")).flatMap(ProcFS.parseUptime)
        let age = uptime.map { max(0, $0 - Double(stat.startTicks) / ticksPerSecond) } ?? 0
        return ProcessSample(cpuSeconds: Double(stat.userTicks + stat.systemTicks) / ticksPerSecond,
                             residentBytes: resident, ageSeconds: age)
    }

    struct FileReadError: Error { let errno: Int32 }

    /// A /proc file in one go (their size shows as 0, so no stat-sized read).
    static func readSmallFile(_ path: String) throws -> String {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw FileReadError(errno: errno) }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while bytes.count < 1 << 20 {
            let n = buffer.withUnsafeMutableBytes { Posix.read(fd, into: $0) }
            if n < 0 { throw FileReadError(errno: errno) }
            if n == 0 { break }
            bytes.append(contentsOf: buffer[0..<n])
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    #if os(macOS) || DARWIN_CHECK
    /// libproc's task times and BSD start time (SystemCalls.ProcessTable).
    static func sampleLibproc(pid: Int32) throws -> ProcessSample {
        switch ProcessTable.reading(pid: pid) {
        case .success(let r):
            return ProcessSample(cpuSeconds: r.cpuNanoseconds / 1_000_000_000, residentBytes: r.residentBytes,
                                 ageSeconds: max(0, Date().timeIntervalSince1970 - r.startedAt))
        case .failure(.gone):
            throw ProcessSampleError.gone(pid: pid)
        case .failure(.failed(let call, let err)):
            throw ProcessSampleError.unreadable(pid: pid, reason: "\(call): \(Posix.describe(err))")
        }
    }
    #endif
}
