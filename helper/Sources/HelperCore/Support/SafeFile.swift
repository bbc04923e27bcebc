import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The one way the helper and its hosts create, open for writing, truncate, rename or remove a
/// file in a bundle or the cache: relative to the folder's descriptor (itself opened without
/// following a link), with O_NOFOLLOW, and only when the entry is of the expected type. Any other
/// process of the user may have put a symlink, FIFO, device or folder there; then nothing is
/// written and the error names the file (PROTOCOL.md, "Files in a bundle").
public enum SafeFile {
    public enum Kind: Sendable { case file, socket }

    /// Opens `url` for writing (`O_APPEND`, `O_TRUNC`, `O_RDWR` … in `flags`), creating it with
    /// `mode` when absent. The descriptor is close-on-exec and blocking.
    public static func openForWriting(_ url: URL, flags: Int32 = O_WRONLY | O_APPEND, mode: mode_t = 0o600) throws -> Int32 {
        try inFolder(of: url) { dir, name in
            try check(dir, name, url, expect: .file, absentOK: true)
            let fd = openat(dir, name, flags | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, mode)
            guard fd >= 0 else { throw refusal(errno, url, action: "open") }
            var st = stat()
            guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else {
                close(fd)
                throw HelperError.notAFile(path: url.path, found: describe(st.st_mode))
            }
            // Not blocking from here on: O_NONBLOCK was only there so a FIFO swapped in cannot hang the open.
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
            return fd
        }
    }

    /// Creates a new file that must not exist yet (temporaries): O_EXCL never follows a link.
    public static func createNew(_ url: URL, mode: mode_t = 0o600) throws -> Int32 {
        try inFolder(of: url) { dir, name in
            let fd = openat(dir, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
            guard fd >= 0 else { throw refusal(errno, url, action: "create") }
            return fd
        }
    }

    /// Throws unless `url` is absent or of `kind` (checked without following a link).
    public static func requireKind(_ url: URL, _ kind: Kind, absentOK: Bool = true) throws {
        try inFolder(of: url) { dir, name in try check(dir, name, url, expect: kind, absentOK: absentOK) }
    }

    /// Removes `url` when it is of `kind`; an absent entry is fine, anything else is refused.
    public static func remove(_ url: URL, _ kind: Kind) throws {
        try inFolder(of: url) { dir, name in
            try check(dir, name, url, expect: kind, absentOK: true)
            if unlinkat(dir, name, 0) != 0 && errno != ENOENT { throw refusal(errno, url, action: "remove") }
        }
    }

    /// Renames `from` over `to` (same folder, e.g. a temporary onto config.json); the target must
    /// be absent or a regular file, so a link or folder put there is reported, not replaced.
    public static func replace(_ to: URL, with from: URL) throws {
        guard from.deletingLastPathComponent().path == to.deletingLastPathComponent().path else {
            throw HelperError.io(path: to.path, errno: EXDEV, action: "replace")
        }
        try inFolder(of: to) { dir, name in
            try check(dir, name, to, expect: .file, absentOK: true)
            try check(dir, from.lastPathComponent, from, expect: .file, absentOK: false)
            guard renameat(dir, from.lastPathComponent, dir, name) == 0 else { throw refusal(errno, to, action: "replace") }
        }
    }

    /// Sets a regular file's length (a disk growing), refusing links and other kinds.
    public static func setLength(_ url: URL, _ length: UInt64) throws {
        let fd = try openForWriting(url, flags: O_WRONLY)
        defer { close(fd) }
        guard ftruncate(fd, off_t(length)) == 0 else { throw HelperError.fromErrno(errno, path: url.path, action: "resize") }
    }

    /// Creates a folder readable by this user only; an existing folder is fine, a link is refused.
    public static func makeFolder(_ url: URL, mode: mode_t = 0o700) throws {
        if mkdir(url.path, mode) == 0 {
            _ = chmod(url.path, mode)  // whatever the umask took away or left
            return
        }
        let e = errno
        var st = stat()
        guard e == EEXIST, lstat(url.path, &st) == 0 else { throw HelperError.fromErrno(e, path: url.path, action: "create the folder") }
        guard (st.st_mode & S_IFMT) == S_IFDIR else { throw HelperError.notAFile(path: url.path, found: describe(st.st_mode), expected: "a folder") }
    }

    /// Makes a socket this process (or its qemu) just bound readable by this user only (0600).
    public static func restrictSocket(_ url: URL) {
        if (try? requireKind(url, .socket, absentOK: false)) != nil { _ = chmod(url.path, 0o600) }
    }

    // MARK: Internals

    /// Runs `body` with the descriptor of `url`'s folder, opened without following a final link.
    private static func inFolder<T>(of url: URL, _ body: (Int32, String) throws -> T) throws -> T {
        let folder = url.deletingLastPathComponent()
        let dir = open(folder.path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard dir >= 0 else {
            let e = errno
            var st = stat()
            if (e == ELOOP || e == ENOTDIR), lstat(folder.path, &st) == 0 {
                throw HelperError.notAFile(path: folder.path, found: describe(st.st_mode), expected: "a folder")
            }
            throw HelperError.fromErrno(e, path: folder.path, action: "open the folder")
        }
        defer { close(dir) }
        return try body(dir, url.lastPathComponent)
    }

    private static func check(_ dir: Int32, _ name: String, _ url: URL, expect: Kind, absentOK: Bool) throws {
        var st = stat()
        guard fstatat(dir, name, &st, AT_SYMLINK_NOFOLLOW) == 0 else {
            if errno == ENOENT && absentOK { return }
            throw HelperError.fromErrno(errno, path: url.path, action: "look at")
        }
        let want: mode_t = expect == .file ? S_IFREG : S_IFSOCK
        guard (st.st_mode & S_IFMT) == want else {
            throw HelperError.notAFile(path: url.path, found: describe(st.st_mode), expected: expect == .file ? "a regular file" : "a socket")
        }
    }

    /// ELOOP from O_NOFOLLOW means a link appeared between the check and the open.
    private static func refusal(_ err: Int32, _ url: URL, action: String) -> HelperError {
        if err == ELOOP { return .notAFile(path: url.path, found: "a symbolic link") }
        if err == EISDIR { return .notAFile(path: url.path, found: "a folder") }
        if err == ENXIO { return .notAFile(path: url.path, found: "a FIFO or device") }
        return .fromErrno(err, path: url.path, action: action)
    }

    static func describe(_ mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFLNK: return "a symbolic link"
        case S_IFIFO: return "a FIFO"
        case S_IFDIR: return "a folder"
        case S_IFCHR, S_IFBLK: return "a device"
        case S_IFSOCK: return "a socket"
        case S_IFREG: return "a regular file"
        default: return "an unknown kind of file"
        }
    }
}
