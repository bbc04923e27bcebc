import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Small POSIX file helpers with errors that name the path and the action.
public enum FileOps {
    /// Writes data to a temporary sibling, fsyncs it, and renames it over `url`, so readers see
    /// the old file or the new one, never half of it.
    public static func atomicWrite(_ data: Data, to url: URL) throws {
        let tmp = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        let fd = try SafeFile.createNew(tmp)
        var ok = false
        defer { if !ok { try? SafeFile.remove(tmp, .file) } }
        try data.withUnsafeBytes { raw in
            var off = 0
            while off < raw.count {
                let n = write(fd, raw.baseAddress! + off, raw.count - off)
                if n < 0 {
                    if errno == EINTR { continue }
                    let e = errno
                    close(fd)
                    throw HelperError.fromErrno(e, path: url.path, action: "write")
                }
                off += n
            }
        }
        if fsync(fd) != 0 { let e = errno; close(fd); throw HelperError.fromErrno(e, path: url.path, action: "write") }
        close(fd)
        try SafeFile.replace(url, with: tmp)
        ok = true
    }

    /// Creates a new sparse file of `size` bytes (no blocks allocated until written).
    public static func createSparse(at url: URL, size: UInt64) throws {
        let fd = try SafeFile.createNew(url)
        defer { close(fd) }
        guard ftruncate(fd, off_t(size)) == 0 else { throw HelperError.fromErrno(errno, path: url.path, action: "size") }
    }

    /// Grows a file to `size` bytes without writing data.
    public static func grow(_ url: URL, to size: UInt64) throws {
        try SafeFile.setLength(url, size)
    }

    /// Bytes actually allocated on disk (sparse files report less than their length).
    public static func allocatedBytes(_ url: URL) -> UInt64 { allocatedBytes(path: url.path) }

    public static func allocatedBytes(path: String) -> UInt64 {
        var st = stat()
        guard lstat(path, &st) == 0 else { return 0 }
        return UInt64(st.st_blocks) * 512
    }

    public static func logicalSize(_ url: URL) -> UInt64 {
        var st = stat()
        guard lstat(url.path, &st) == 0 else { return 0 }
        return UInt64(st.st_size)
    }

    /// Bytes available to this user on the file system holding `url` (or its nearest existing parent).
    public static func freeBytes(at url: URL) -> UInt64 {
        (try? DiskSpace.of(url.path))?.freeBytes ?? 0
    }

    public static func isRegularFile(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG
    }

    /// A folder, or a link to one (as FileManager's fileExists(atPath:isDirectory:) says).
    public static func isDirectory(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }

    /// Folders of the store are this user's only (0700), whatever the umask.
    public static func makeDirectory(_ url: URL, mode: mode_t = 0o700) throws {
        try SafeFile.makeFolder(url, mode: mode)
    }

    public static func removeTree(_ url: URL) throws {
        do { try FileManager.default.removeItem(at: url) } catch {
            if FileManager.default.fileExists(atPath: url.path) {
                throw HelperError.io(path: url.path, errno: EIO, action: "remove")
            }
        }
    }

    public static func isProcessAlive(_ pid: Int32) -> Bool {
        pid > 0 && (kill(pid, 0) == 0 || errno == EPERM)
    }
}
