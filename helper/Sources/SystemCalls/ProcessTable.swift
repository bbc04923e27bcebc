#if canImport(Darwin)
#if DARWIN_CHECK
// The Linux check's stand-in Darwin must not reach HelperCore, where Glibc is loaded too.
@_implementationOnly import Darwin
#else
import Darwin
#endif

/// One libproc reading of a process: CPU time, resident memory, start time.
public struct TaskReading: Equatable, Sendable {
    public var cpuNanoseconds: Double
    public var residentBytes: UInt64
    /// Seconds since 1970 at which the process started.
    public var startedAt: Double
}

public enum TaskReadingFailure: Error, Equatable, Sendable {
    /// No such process, or a zombie.
    case gone
    /// `call` failed with `errno`.
    case failed(call: String, errno: Int32)
}

/// The libproc calls vmtui makes on macOS (process table, task times, open files).
public enum ProcessTable {
    public static func reading(pid: Int32) -> Result<TaskReading, TaskReadingFailure> {
        var bsd = proc_bsdinfo()
        let bsdSize = Int32(MemoryLayout<proc_bsdinfo>.size)
        guard proc_pidinfo(pid, PROC_PIDTBSDINFO, 0, &bsd, bsdSize) == bsdSize else {
            let err = errno
            if kill(pid, 0) != 0 && errno == ESRCH { return .failure(.gone) }
            return .failure(.failed(call: "proc_pidinfo", errno: err))
        }
        if bsd.pbi_status == 5 { return .failure(.gone) }  // SZOMB
        var task = proc_taskinfo()
        let taskSize = Int32(MemoryLayout<proc_taskinfo>.size)
        guard proc_pidinfo(pid, PROC_PIDTASKINFO, 0, &task, taskSize) == taskSize else {
            return .failure(.failed(call: "proc_pidinfo task info", errno: errno))
        }
        // Task times are in Mach time units (not nanoseconds on Apple silicon).
        var timebase = mach_timebase_info_data_t()
        mach_timebase_info(&timebase)
        let scale = timebase.denom == 0 ? 1 : Double(timebase.numer) / Double(timebase.denom)
        return .success(TaskReading(
            cpuNanoseconds: Double(task.pti_total_user + task.pti_total_system) * scale,
            residentBytes: task.pti_resident_size,
            startedAt: Double(bsd.pbi_start_tvsec) + Double(bsd.pbi_start_tvusec) / 1_000_000))
    }

    public static func allPIDs() -> [Int32] {
        let needed = proc_listpids(UInt32(PROC_ALL_PIDS), 0, nil, 0)
        guard needed > 0 else { return [] }
        // Room for processes started between the two calls.
        var pids = [Int32](repeating: 0, count: Int(needed) / MemoryLayout<Int32>.stride + 64)
        let filled = pids.withUnsafeMutableBytes { raw in
            proc_listpids(UInt32(PROC_ALL_PIDS), 0, raw.baseAddress, Int32(raw.count))
        }
        guard filled > 0 else { return [] }
        return pids.prefix(Int(filled) / MemoryLayout<Int32>.stride).filter { $0 > 0 }
    }

    public static func executablePath(_ pid: Int32) -> String? {
        var buffer = [CChar](repeating: 0, count: 4 * Int(MAXPATHLEN))  // PROC_PIDPATHINFO_MAXSIZE
        guard proc_pidpath(pid, &buffer, UInt32(buffer.count)) > 0 else { return nil }
        return String(cString: buffer)
    }

    /// Paths of the files `pid` has open; empty when it cannot be read (another user's process).
    public static func openVnodePaths(_ pid: Int32) -> [String] {
        let needed = proc_pidinfo(pid, PROC_PIDLISTFDS, 0, nil, 0)
        guard needed > 0 else { return [] }
        let stride = MemoryLayout<proc_fdinfo>.stride
        var fds = [proc_fdinfo](repeating: proc_fdinfo(), count: Int(needed) / stride + 16)
        let filled = fds.withUnsafeMutableBytes { raw in
            proc_pidinfo(pid, PROC_PIDLISTFDS, 0, raw.baseAddress, Int32(raw.count))
        }
        guard filled > 0 else { return [] }
        var paths: [String] = []
        for fd in fds.prefix(Int(filled) / stride) where fd.proc_fdtype == UInt32(PROX_FDTYPE_VNODE) {
            var info = vnode_fdinfowithpath()
            let size = Int32(MemoryLayout<vnode_fdinfowithpath>.size)
            guard proc_pidfdinfo(pid, fd.proc_fd, PROC_PIDFDVNODEPATHINFO, &info, size) == size else { continue }
            let path = withUnsafeBytes(of: info.pvip.vip_path) { raw in
                String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
            }
            if !path.isEmpty { paths.append(path) }
        }
        return paths
    }
}
#endif
