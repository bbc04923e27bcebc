import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The per-VM host's exclusive flock on `host.lock`, with its pid inside. The kernel drops the
/// lock when the host dies, so a lock file left by a killed host is simply taken over.
/// Observers probe with a shared lock, which never blocks a host for more than a moment.
public final class HostLock: @unchecked Sendable {
    public enum State: Equatable, Sendable {
        case free
        case held(pid: Int32)
    }

    private let fd: Int32
    public let url: URL

    private init(fd: Int32, url: URL) {
        self.fd = fd
        self.url = url
    }

    deinit { close(fd) }

    /// Takes the lock for this process and writes its pid, or throws `alreadyRunning`.
    public static func acquire(_ url: URL, name: String) throws -> HostLock {
        let fd = try SafeFile.openForWriting(url, flags: O_RDWR)
        // Observers hold a shared lock for an instant; retry while only they are in the way.
        let deadline = Date().addingTimeInterval(5)
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            guard flock(fd, LOCK_SH | LOCK_NB) == 0 else {
                // A shared lock fails only against an exclusive holder: a running host.
                let pid = waitForPid(fd)
                close(fd)
                throw HelperError.alreadyRunning(name: name, pid: pid)
            }
            flock(fd, LOCK_UN)
            if Date() > deadline {
                close(fd)
                throw HelperError.io(path: url.path, errno: EWOULDBLOCK, action: "lock")
            }
            usleep(10_000)
        }
        let text = Array("\(getpid())\n".utf8)
        _ = ftruncate(fd, 0)
        _ = text.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
        _ = fsync(fd)
        return HostLock(fd: fd, url: url)
    }

    /// Whether a host holds the lock, without disturbing it.
    public static func probe(_ url: URL) -> State { probe(path: url.path) }

    /// The same, for a path vm/list keeps (no URL built per call).
    public static func probe(path: String) -> State {
        // O_NOFOLLOW|O_NONBLOCK: a link or FIFO put there is no lock (and cannot hang the probe).
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { return .free }
        defer { close(fd) }
        if flock(fd, LOCK_SH | LOCK_NB) == 0 {
            flock(fd, LOCK_UN)
            return .free
        }
        return .held(pid: waitForPid(fd))
    }

    /// The holder may not have written its pid yet; give it a moment.
    private static func waitForPid(_ fd: Int32) -> Int32 {
        for _ in 0..<50 {
            let pid = readPid(fd)
            if pid > 0 { return pid }
            usleep(5_000)
        }
        return 0
    }

    private static func readPid(_ fd: Int32) -> Int32 {
        var buf = [UInt8](repeating: 0, count: 32)
        let n = buf.withUnsafeMutableBytes { pread(fd, $0.baseAddress, 31, 0) }
        guard n > 0 else { return 0 }
        let text = String(decoding: buf[0..<n], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return Int32(text) ?? 0
    }
}
