import Foundation
import SystemCalls
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Free and total bytes of the file system that holds (or will hold) a path.
public struct DiskSpace: Equatable, Sendable {
    public var freeBytes: UInt64
    public var totalBytes: UInt64

    /// Measures `path`, or its nearest existing ancestor when it does not exist yet
    /// (VMTUI_HOME is only created when the first VM is).
    public static func of(_ path: String) throws -> DiskSpace {
        var current = path
        while true {
            if let space = measure(current) { return space }
            let err = errno
            let parent = (current as NSString).deletingLastPathComponent
            guard err == ENOENT || err == ENOTDIR, !parent.isEmpty, parent != current else {
                throw HelperError.io(path: current, errno: err, action: "measure the free space of")
            }
            current = parent
        }
    }

    private static func measure(_ path: String) -> DiskSpace? {
        FileSystemCalls.space(path).map { DiskSpace(freeBytes: $0.free, totalBytes: $0.total) }
    }
}
