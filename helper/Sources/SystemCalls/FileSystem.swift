#if DARWIN_CHECK
// The Linux check's stand-in Darwin must not reach HelperCore, where Glibc is loaded too.
@_implementationOnly import Darwin
#elseif canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#endif

/// File-system calls whose names, numbers or structs differ between Darwin and Linux.
public enum FileSystemCalls {
    #if canImport(Darwin)
    // Darwin numbers these the other way round from Linux.
    public static let seekHole: Int32 = SEEK_HOLE
    public static let seekData: Int32 = SEEK_DATA
    #else
    public static let seekData: Int32 = 3
    public static let seekHole: Int32 = 4
    #endif

    /// Free bytes (for this user) and total bytes of the file system holding `path`.
    public static func space(_ path: String) -> (free: UInt64, total: UInt64)? {
        #if canImport(Darwin)
        // statfs, not statvfs: Darwin's statvfs has 32-bit block counts.
        var info = statfs()
        guard statfs(path, &info) == 0 else { return nil }
        let unit = UInt64(info.f_bsize)
        #else
        var info = statvfs()
        guard statvfs(path, &info) == 0 else { return nil }
        let unit = UInt64(info.f_frsize)
        #endif
        return (UInt64(info.f_bavail) * unit, UInt64(info.f_blocks) * unit)
    }

    /// Size, modification time and inode of a file (not following a final symlink); nil when absent.
    /// Equal stamps mean the file has not been replaced or written since.
    public static func stamp(_ path: String) -> [Int]? {
        var st = stat()
        guard lstat(path, &st) == 0 else { return nil }
        #if canImport(Darwin)
        return [Int(st.st_size), Int(st.st_mtimespec.tv_sec), Int(st.st_mtimespec.tv_nsec), Int(st.st_ino)]
        #else
        return [Int(st.st_size), Int(st.st_mtim.tv_sec), Int(st.st_mtim.tv_nsec), Int(st.st_ino)]
        #endif
    }

    /// Names of the entries in `path` with their types as readdir gives them (DT_DIR, DT_LNK,
    /// DT_UNKNOWN when the file system does not say), unsorted, without "." and ".."; nil when
    /// `path` cannot be read. Several times cheaper than FileManager's listing.
    public static func entries(in path: String) -> [(name: String, type: UInt8)]? {
        guard let dir = opendir(path) else { return nil }
        defer { closedir(dir) }
        var found: [(name: String, type: UInt8)] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { found.append((name, entry.pointee.d_type)) }
        }
        return found
    }

    /// Device, inode, size and modification time of a file (not following a final symlink); nil
    /// when absent. The same version means the file was neither replaced nor written since.
    public static func version(_ path: String) -> (device: UInt64, inode: UInt64, size: Int64, seconds: Int64, nanoseconds: Int64)? {
        var st = stat()
        guard lstat(path, &st) == 0 else { return nil }
        #if canImport(Darwin)
        let mtime = st.st_mtimespec
        #else
        let mtime = st.st_mtim
        #endif
        return (UInt64(bitPattern: Int64(st.st_dev)), UInt64(st.st_ino), Int64(st.st_size), Int64(mtime.tv_sec), Int64(mtime.tv_nsec))
    }

    #if canImport(Darwin)
    /// clonefile(2) without following a symlink at `source`: 0, or the errno.
    public static func cloneFile(_ source: String, _ destination: String) -> Int32 {
        let rc = source.withCString { src in
            destination.withCString { dst in clonefile(src, dst, UInt32(CLONE_NOFOLLOW)) }
        }
        return rc == 0 ? 0 : errno
    }

    /// Errors after which clonefile is not possible here (not APFS, another volume) and a copy is.
    public static let cloneUnsupported: [Int32] = [ENOTSUP, EOPNOTSUPP, EXDEV, EINVAL]
    #endif
}
