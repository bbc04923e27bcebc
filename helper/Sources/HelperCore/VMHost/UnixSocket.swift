import Foundation
import SystemCalls
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Unix domain stream sockets: the per-VM host's control.sock and qemu's QMP socket.
public enum UnixSocket {
    static let maxPath = SocketCalls.unixPathLimit

    private static func address(_ path: String) throws -> sockaddr_un {
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count <= maxPath else {
            throw HelperError.unsupported("The socket path \(path) is longer than the \(maxPath) bytes a unix socket allows; use a shorter VMTUI_HOME.")
        }
        withUnsafeMutableBytes(of: &addr.sun_path) { raw in
            for (i, b) in bytes.enumerated() { raw[i] = b }
            raw[bytes.count] = 0
        }
        return addr
    }

    private static func newSocket() throws -> Int32 {
        let fd = SocketCalls.unixStream()
        guard fd >= 0 else { throw HelperError.fromErrno(errno, path: "socket", action: "create") }
        return fd
    }

    /// Connects to a listening socket; returns the connected fd. The connect does not block: a
    /// stopped host's full backlog gives EAGAIN (retried by the caller until its deadline).
    public static func connect(_ path: String) throws -> Int32 {
        var addr = try address(path)
        let fd = try newSocket()
        let flags = fcntl(fd, F_GETFL)
        _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                #if canImport(Glibc)
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
                #else
                Darwin.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
                #endif
            }
        }
        guard rc == 0 else {
            let e = errno
            close(fd)
            throw HelperError.fromErrno(e, path: path, action: "connect to")
        }
        _ = fcntl(fd, F_SETFL, flags)
        return fd
    }

    /// Connects, retrying until `timeout` while the socket does not exist yet or refuses.
    public static func connect(_ path: String, timeout: TimeInterval) throws -> Int32 {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            do { return try connect(path) } catch {
                if Date() > deadline { throw error }
                usleep(20_000)
            }
        }
    }

    /// Binds and listens at `path` (a stale socket file is replaced), readable by this user only.
    public static func listen(_ path: String) throws -> Int32 {
        var addr = try address(path)
        // A stale socket is replaced; a file, link or FIFO put there is refused, not removed.
        try SafeFile.remove(URL(fileURLWithPath: path), .socket)
        let fd = try newSocket()
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard rc == 0 else { let e = errno; close(fd); throw HelperError.fromErrno(e, path: path, action: "bind") }
        SafeFile.restrictSocket(URL(fileURLWithPath: path))
        #if canImport(Glibc)
        let lrc = Glibc.listen(fd, 16)
        #else
        let lrc = Darwin.listen(fd, 16)
        #endif
        guard lrc == 0 else { let e = errno; close(fd); throw HelperError.fromErrno(e, path: path, action: "listen on") }
        return fd
    }

    /// Blocks until a client connects; returns its fd, or nil once the listener is closed.
    public static func accept(_ listener: Int32) -> Int32? {
        while true {
            #if canImport(Glibc)
            let fd = Glibc.accept(listener, nil, nil)
            #else
            let fd = Darwin.accept(listener, nil, nil)
            #endif
            if fd >= 0 {
                _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
                return fd
            }
            if errno == EINTR || errno == ECONNABORTED { continue }
            return nil
        }
    }
}
