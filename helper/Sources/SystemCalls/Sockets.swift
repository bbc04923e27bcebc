#if DARWIN_CHECK
// The Linux check's stand-in Darwin must not reach HelperCore, where Glibc is loaded too.
@_implementationOnly import Darwin
#elseif canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#endif

/// Socket creation, which differs in flags and types between Darwin and Linux.
public enum SocketCalls {
    /// Longest unix socket path, in bytes, without the terminating NUL (103 on macOS, 107 on Linux).
    public static let unixPathLimit = MemoryLayout.size(ofValue: sockaddr_un().sun_path) - 1

    /// A close-on-exec unix stream socket that never raises SIGPIPE (on Darwin; Linux writes use
    /// MSG_NOSIGNAL or an ignored SIGPIPE); -1 with errno set on failure.
    public static func unixStream() -> Int32 { stream(AF_UNIX) }

    /// A TCP socket (IPv4), the same way; -1 with errno set on failure.
    public static func tcp() -> Int32 { stream(AF_INET) }

    private static func stream(_ family: Int32) -> Int32 {
        #if canImport(Darwin)
        let fd = socket(family, SOCK_STREAM, 0)
        guard fd >= 0 else { return -1 }
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        noSigPipe(fd)
        return fd
        #else
        return socket(family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        #endif
    }

    /// Darwin has no MSG_NOSIGNAL: a socket is told once not to raise SIGPIPE. Nothing on Linux.
    public static func noSigPipe(_ fd: Int32) {
        #if canImport(Darwin)
        var one: Int32 = 1
        _ = setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &one, socklen_t(MemoryLayout<Int32>.size))
        #endif
    }
}
