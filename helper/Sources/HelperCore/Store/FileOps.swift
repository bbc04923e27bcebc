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
        let fd = open(tmp.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw HelperError.fromErrno(errno, path: tmp.path, action: "create") }
        var ok = false
        defer { if !ok { unlink(tmp.path) } }
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
        guard rename(tmp.path, url.path) == 0 else { throw HelperError.fromErrno(errno, path: url.path, action: "replace") }
        ok = true
    }

    /// Creates a new sparse file of `size` bytes (no blocks allocated until written).
    public static func createSparse(at url: URL, size: UInt64) throws {
        let fd = open(url.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw HelperError.fromErrno(errno, path: url.path, action: "create") }
        defer { close(fd) }
        guard ftruncate(fd, off_t(size)) == 0 else { throw HelperError.fromErrno(errno, path: url.path, action: "size") }
    }

    /// Grows a file to `size` bytes without writing data.
    public static func grow(_ url: URL, to size: UInt64) throws {
        guard truncate(url.path, off_t(size)) == 0 else { throw HelperError.fromErrno(errno, path: url.path, action: "grow") }
    }

    /// Bytes actually allocated on disk (sparse files report less than their length).
    public static func allocatedBytes(_ url: URL) -> UInt64 {
        var st = stat()
        guard lstat(url.path, &st) == 0 else { return 0 }
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

    public static func makeDirectory(_ url: URL, mode: mode_t = 0o755) throws {
        guard mkdir(url.path, mode) == 0 || errno == EEXIST else {
            throw HelperError.fromErrno(errno, path: url.path, action: "create the folder")
        }
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
