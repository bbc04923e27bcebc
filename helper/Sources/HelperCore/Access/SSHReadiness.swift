import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Whether a guest's SSH server answers: a TCP connection to the forward and a line starting
/// `SSH-` (RFC 4253's version banner). A port that accepts and closes, or accepts and stays
/// silent (QEMU's forward while the guest boots), is not ready.
public enum SSHBanner {
    /// Connects to host:port and reads until a line starting with "SSH-", EOF or the deadline.
    public static func answers(host: String, port: Int, timeout: TimeInterval) -> Bool {
        guard let fd = connect(host: host, port: port, timeout: timeout) else { return false }
        defer { close(fd) }
        let deadline = Date().addingTimeInterval(timeout)
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 512)
        while received.count < 4096 {
            let left = deadline.timeIntervalSinceNow
            if left <= 0 { return false }
            var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            if poll(&p, 1, Int32(max(1, left * 1000))) <= 0 { return false }
            let n = buffer.withUnsafeMutableBytes { Posix.read(fd, into: $0) }
            if n <= 0 { return false }
            received += buffer[0..<n]
            // Servers may send other lines before the banner (RFC 4253 §4.2).
            let lines = received.split(separator: 0x0A, omittingEmptySubsequences: false)
            if lines.contains(where: { $0.starts(with: Array("SSH-".utf8)) }) { return true }
        }
        return false
    }

    /// A connected non-blocking socket, or nil when the connection fails or times out.
    static func connect(host: String, port: Int, timeout: TimeInterval) -> Int32? {
        let fd = Sockets.inet(.tcp)
        guard fd >= 0 else { return nil }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        let rc = Sockets.withIPv4(host, port) { libcConnect(fd, $0, $1) }
        if rc != 0 {
            guard errno == EINPROGRESS else { close(fd); return nil }
            var p = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            var err: Int32 = 0
            var len = socklen_t(MemoryLayout<Int32>.size)
            guard poll(&p, 1, Int32(max(1, timeout * 1000))) == 1,
                  getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == 0, err == 0 else { close(fd); return nil }
        }
        return fd
    }
}

/// The name clash between Swift's and libc's `connect` is resolved here once.
@inline(__always)
func libcConnect(_ fd: Int32, _ sa: UnsafePointer<sockaddr>, _ len: socklen_t) -> Int32 {
    #if canImport(Glibc)
    return Glibc.connect(fd, sa, len)
    #else
    return Darwin.connect(fd, sa, len)
    #endif
}

/// Probes a running guest's SSH until it answers, with backoff; `reset` (a guest reboot) starts
/// over. `endpoint` is asked on each try, since a VZ guest's address is learned late.
public final class SSHReadinessProbe: @unchecked Sendable {
    private let lock = NSLock()
    private var generation = 0
    private var ready = false
    private let endpoint: @Sendable () -> (host: String, port: Int)?
    private let onChange: @Sendable (Bool) -> Void
    /// Per-try ceiling: a guest that accepted but has not spoken within it is tried again.
    let attemptTimeout: TimeInterval
    let maxDelay: TimeInterval

    public init(attemptTimeout: TimeInterval = 5, maxDelay: TimeInterval = 1,
                endpoint: @escaping @Sendable () -> (host: String, port: Int)?,
                onChange: @escaping @Sendable (Bool) -> Void) {
        self.attemptTimeout = attemptTimeout
        self.maxDelay = maxDelay
        self.endpoint = endpoint
        self.onChange = onChange
    }

    public var isReady: Bool { lock.locked { ready } }

    /// Starts (or restarts) probing; reports `false` first when it was ready.
    public func start() {
        let (gen, wasReady): (Int, Bool) = lock.locked {
            generation += 1
            let was = ready
            ready = false
            return (generation, was)
        }
        if wasReady { onChange(false) }
        let thread = Thread { [weak self] in self?.loop(gen) }
        thread.name = "ssh-readiness"
        thread.start()
    }

    public func cancel() { lock.locked { generation += 1 } }

    private func current(_ gen: Int) -> Bool { lock.locked { generation == gen } }

    private func loop(_ gen: Int) {
        var delay = 0.1
        while current(gen) {
            if let target = endpoint(), SSHBanner.answers(host: target.host, port: target.port, timeout: attemptTimeout) {
                let report: Bool = lock.locked {
                    guard generation == gen else { return false }
                    ready = true
                    return true
                }
                if report { onChange(true) }
                return
            }
            // Sleep in short steps so a cancel ends the thread promptly.
            let until = Date().addingTimeInterval(delay)
            while Date() < until && current(gen) { usleep(50_000) }
            delay = min(maxDelay, delay * 2)
        }
    }

    /// "127.0.0.1:40022" → ("127.0.0.1", 40022).
    public static func split(_ address: String?) -> (host: String, port: Int)? {
        guard let address, let colon = address.lastIndex(of: ":"),
              let port = Int(address[address.index(after: colon)...]) else { return nil }
        return (String(address[..<colon]), port)
    }
}
