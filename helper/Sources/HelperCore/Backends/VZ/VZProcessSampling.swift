import Foundation
import SystemCalls
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
        #if os(macOS) || DARWIN_CHECK
        let candidates = ProcessTable.allPIDs().compactMap { pid -> Candidate? in
            guard let path = ProcessTable.executablePath(pid), isVirtualMachineService(executablePath: path) else { return nil }
            return Candidate(pid: pid, executablePath: path, openPaths: ProcessTable.openVnodePaths(pid))
        }
        return choose(candidates, diskPaths: pathSpellings(of: disk))
        #else
        return nil
        #endif
    }
}

