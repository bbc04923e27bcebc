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

/// Passing a descriptor over a unix socket (SCM_RIGHTS): how QEMU is handed a file vmtui opened
/// itself (QMP `add-fd`), so QEMU never opens a bundle path for writing.
public enum DescriptorPassing {
    /// Sends `bytes` on `socket` with `fd` attached to the first byte; 0, or the errno.
    public static func send(_ socket: Int32, _ bytes: [UInt8], passing fd: Int32) -> Int32 {
        #if canImport(Glibc) && !DARWIN_CHECK
        guard !bytes.isEmpty else { return EINVAL }
        // CMSG_SPACE(sizeof(int)) on Linux: the header, then the int padded to the header's alignment.
        let align = MemoryLayout<Int>.size
        let headerSize = (MemoryLayout<cmsghdr>.size + align - 1) / align * align
        let dataSize = (MemoryLayout<Int32>.size + align - 1) / align * align
        var control = [UInt8](repeating: 0, count: headerSize + dataSize)
        var payload = bytes
        return payload.withUnsafeMutableBytes { data -> Int32 in
            control.withUnsafeMutableBytes { ctl -> Int32 in
                let header = ctl.baseAddress!.assumingMemoryBound(to: cmsghdr.self)
                header.pointee.cmsg_len = headerSize + MemoryLayout<Int32>.size
                header.pointee.cmsg_level = SOL_SOCKET
                header.pointee.cmsg_type = Int32(SCM_RIGHTS)
                ctl.storeBytes(of: fd, toByteOffset: headerSize, as: Int32.self)
                var iov = iovec(iov_base: data.baseAddress, iov_len: data.count)
                return withUnsafeMutablePointer(to: &iov) { iovPointer -> Int32 in
                    var message = msghdr()
                    message.msg_iov = iovPointer
                    message.msg_iovlen = 1
                    message.msg_control = ctl.baseAddress
                    message.msg_controllen = ctl.count
                    var sent = 0
                    repeat { sent = sendmsg(socket, &message, Int32(MSG_NOSIGNAL)) } while sent < 0 && errno == EINTR
                    if sent < 0 { return errno }
                    // The descriptor went with the first byte; the rest is ordinary data.
                    var offset = sent
                    while offset < data.count {
                        let n = Glibc.send(socket, data.baseAddress! + offset, data.count - offset, Int32(MSG_NOSIGNAL))
                        if n < 0 { if errno == EINTR { continue }; return errno }
                        offset += n
                    }
                    return 0
                }
            }
        }
        #else
        // Only the QEMU backend (Linux hosts) passes descriptors.
        return ENOTSUP
        #endif
    }
}
