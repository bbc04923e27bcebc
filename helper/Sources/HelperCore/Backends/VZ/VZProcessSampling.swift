import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A VZ guest does not run in the host process: Virtualization.framework runs it in an XPC
/// service process, `com.apple.Virtualization.VirtualMachine`, one per VM. Its CPU and memory
/// are the guest's; vmtui finds it by the bundle's disk image among its open files.
public enum VZProcessSampling {
    public static let serviceName = "com.apple.Virtualization.VirtualMachine"

    public struct Candidate: Equatable, Sendable {
        public var pid: Int32
        public var executablePath: String?
        public var openPaths: [String]

        public init(pid: Int32, executablePath: String?, openPaths: [String]) {
            self.pid = pid
            self.executablePath = executablePath
            self.openPaths = openPaths
        }
    }

    /// Whether an executable path is the VM service's
    /// (…/XPCServices/com.apple.Virtualization.VirtualMachine.xpc/Contents/MacOS/com.apple.Virtualization.VirtualMachine).
    public static func isVirtualMachineService(executablePath: String) -> Bool {
        (executablePath as NSString).lastPathComponent == serviceName
    }

    /// The service process whose open files include one of `diskPaths` (the disk image's path as
    /// given and as resolved: /var is /private/var). Nil when none does, or when two do (then any
    /// answer would be a guess).
    public static func choose(_ candidates: [Candidate], diskPaths: Set<String>) -> Int32? {
        let holders = candidates.filter { c in
            (c.executablePath.map(isVirtualMachineService) ?? false) && c.openPaths.contains(where: diskPaths.contains)
        }
        return holders.count == 1 ? holders[0].pid : nil
    }

    /// The disk image's path spellings that an open-file listing may show.
    public static func pathSpellings(of url: URL) -> Set<String> {
        var paths: Set<String> = [url.path, url.standardizedFileURL.path, url.resolvingSymlinksInPath().path]
        if let real = realPath(url.path) { paths.insert(real) }
        return paths
    }

    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// The pid of the process running the guest whose disk is `disk`; nil when it cannot be found
    /// (and always on Linux, where the VZ backend does not run).
    public static func vmProcessID(disk: URL) -> Int32? {
        #if os(macOS)
        let candidates = LibProc.allPIDs().compactMap { pid -> Candidate? in
            guard let path = LibProc.executablePath(pid), isVirtualMachineService(executablePath: path) else { return nil }
            return Candidate(pid: pid, executablePath: path, openPaths: LibProc.openVnodePaths(pid))
        }
        return choose(candidates, diskPaths: pathSpellings(of: disk))
        #else
        return nil
        #endif
    }
}

#if os(macOS)
/// The libproc calls behind `vmProcessID` (not compiled on Linux; keep it small).
enum LibProc {
    static func allPIDs() -> [Int32] {
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

    static func executablePath(_ pid: Int32) -> String? {
        var buffer = [CChar](repeating: 0, count: 4 * Int(MAXPATHLEN))  // PROC_PIDPATHINFO_MAXSIZE
        guard proc_pidpath(pid, &buffer, UInt32(buffer.count)) > 0 else { return nil }
        return String(cString: buffer)
    }

    /// Paths of the files `pid` has open; empty when it cannot be read (another user's process).
    static func openVnodePaths(_ pid: Int32) -> [String] {
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
