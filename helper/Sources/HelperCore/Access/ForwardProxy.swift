import Foundation
import SystemCalls
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A host port relayed to a guest port by the per-VM host: the forwards of VZ guests, whose
/// NAT address the Mac reaches directly, so they behave as QEMU's hostfwd does on Linux.
/// TCP: one pair of relay threads per connection. UDP: one upstream socket per client address.
public final class ForwardProxy: @unchecked Sendable {
    public let forward: PortForward
    private let target: @Sendable () -> String?
    private let lock = NSLock()
    private var listener: Int32 = -1
    private var open: Set<Int32> = []
    private var stopped = false

    /// `target` gives the guest's address at each new connection (nil: not known yet, refused).
    public init(forward: PortForward, target: @escaping @Sendable () -> String?) {
        self.forward = forward
        self.target = target
    }

    /// Binds the host port (a port in use is a sentence) and starts relaying.
    public func start() throws {
        let fd = try Sockets.bound(forward.proto, address: forward.hostAddress, port: forward.hostPort)
        lock.locked { listener = fd }
        let thread = Thread { [self] in forward.proto == .tcp ? acceptLoop(fd) : udpLoop(fd) }
        thread.name = "forward-\(forward.hostPort)"
        thread.start()
    }

    public func stop() {
        let fds: [Int32] = lock.locked {
            stopped = true
            return [listener] + Array(open)
        }
        for fd in fds where fd >= 0 { shutdown(fd, Int32(SHUT_RDWR)) }
        lock.locked { if listener >= 0 { Posix.close(listener); listener = -1 } }
    }

    private func track(_ fd: Int32) -> Bool {
        lock.locked {
            if stopped { return false }
            open.insert(fd)
            return true
        }
    }

    private func untrack(_ fd: Int32) { lock.locked { _ = open.remove(fd) }; Posix.close(fd) }

    // MARK: TCP

    private func acceptLoop(_ fd: Int32) {
        while true {
            let client = accept(fd, nil, nil)
            if client < 0 {
                if errno == EINTR { continue }
                return
            }
            Sockets.noSigPipe(client)
            guard track(client) else { Posix.close(client); return }
            Thread.detachNewThread { [self] in relay(client) }
        }
    }

    private func relay(_ client: Int32) {
        guard let ip = target(), let upstream = SSHBanner.connect(host: ip, port: forward.guestPort, timeout: 10) else {
            untrack(client)
            return
        }
        _ = fcntl(upstream, F_SETFL, fcntl(upstream, F_GETFL) & ~O_NONBLOCK)
        Sockets.noSigPipe(upstream)
        guard track(upstream) else { Posix.close(upstream); untrack(client); return }
        let done = DispatchGroup()
        for (from, to) in [(client, upstream), (upstream, client)] {
            done.enter()
            Thread.detachNewThread {
                Sockets.pump(from: from, to: to)
                shutdown(to, Int32(SHUT_WR))  // pass the half-close on
                done.leave()
            }
        }
        done.wait()
        untrack(upstream)
        untrack(client)
    }

    // MARK: UDP

    private func udpLoop(_ fd: Int32) {
        var upstreams: [Data: Int32] = [:]
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            var from = sockaddr_storage()
            var len = socklen_t(MemoryLayout<sockaddr_storage>.size)
            let n = buffer.withUnsafeMutableBytes { raw in
                withUnsafeMutablePointer(to: &from) { ptr in
                    ptr.withMemoryRebound(to: sockaddr.self, capacity: 1) { recvfrom(fd, raw.baseAddress, raw.count, 0, $0, &len) }
                }
            }
            if n < 0 {
                if errno == EINTR { continue }
                return
            }
            let key = withUnsafeBytes(of: &from) { Data($0.prefix(Int(len))) }
            var up = upstreams[key]
            if up == nil, let ip = target(), let made = try? Sockets.connectedUDP(ip, port: forward.guestPort) {
                guard track(made) else { Posix.close(made); return }
                upstreams[key] = made
                up = made
                let client = from, clientLen = len
                Thread.detachNewThread { [self] in replies(from: made, to: fd, client: client, clientLen: clientLen) }
            }
            if let up { _ = buffer.withUnsafeBytes { send(up, $0.baseAddress, n, 0) } }
        }
    }

    /// Guest → client datagrams, sent from the host port so the client sees one peer.
    private func replies(from up: Int32, to fd: Int32, client: sockaddr_storage, clientLen: socklen_t) {
        var buffer = [UInt8](repeating: 0, count: 65536)
        var client = client
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(up, $0.baseAddress, $0.count, 0) }
            if n < 0 && errno == EINTR { continue }
            if n < 0 { break }
            _ = buffer.withUnsafeBytes { raw in
                withUnsafePointer(to: &client) { ptr in
                    ptr.withMemoryRebound(to: sockaddr.self, capacity: 1) { sendto(fd, raw.baseAddress, n, 0, $0, clientLen) }
                }
            }
            if lock.locked({ stopped }) { break }
        }
        untrack(up)
    }
}

/// Socket plumbing for the proxy.
enum Sockets {
    /// An IPv4 socket for TCP or UDP; -1 (errno set) when none can be made.
    static func inet(_ proto: PortForward.Proto) -> Int32 {
        #if canImport(Glibc)
        let type = Int32(proto == .tcp ? SOCK_STREAM.rawValue : SOCK_DGRAM.rawValue)
        #else
        let type = proto == .tcp ? SOCK_STREAM : SOCK_DGRAM
        #endif
        return socket(AF_INET, type, 0)
    }

    /// Binds like qemu's hostfwd, with SO_REUSEADDR (a port in TIME_WAIT counts as free); false
    /// with errno set when the bind fails.
    static func bindReusingAddress(_ fd: Int32, address: String, port: Int) -> Bool {
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        return withIPv4(address, port) { bind(fd, $0, $1) == 0 }
    }

    /// Calls `body` with the socket address of `ip`:`port` and its length.
    static func withIPv4<R>(_ ip: String, _ port: Int, _ body: (UnsafePointer<sockaddr>, socklen_t) -> R) -> R {
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr(ip)
        addr.sin_port = in_port_t(UInt16(clamping: port)).bigEndian
        return withUnsafePointer(to: &addr) { ptr in
            ptr.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
    }

    static func bound(_ proto: PortForward.Proto, address: String, port: Int) throws -> Int32 {
        let fd = inet(proto)
        guard fd >= 0 else { throw HelperError.backend("Could not open a socket for a forward: \(Posix.describe(errno)).") }
        Posix.setCloseOnExec(fd)
        let ok = bindReusingAddress(fd, address: address, port: port)
        if !ok || (proto == .tcp && listen(fd, 64) != 0) {
            let e = errno
            Posix.close(fd)
            let who = e == EADDRINUSE ? " (in use by \(LoopbackPorts.owner(port: port, proto: proto)))" : ""
            throw HelperError.backend("The forward's host port \(address):\(port)/\(proto.rawValue) cannot be opened\(who): \(Posix.describe(e)). Choose another host port.")
        }
        return fd
    }

    static func connectedUDP(_ ip: String, port: Int) throws -> Int32 {
        let fd = inet(.udp)
        guard fd >= 0 else { throw HelperError.backend("Could not open a UDP socket: \(Posix.describe(errno)).") }
        let ok = withIPv4(ip, port) { libcConnect(fd, $0, $1) == 0 }
        guard ok else { Posix.close(fd); throw HelperError.backend("Could not reach \(ip):\(port) over UDP.") }
        return fd
    }

    static func noSigPipe(_ fd: Int32) {
        SocketCalls.noSigPipe(fd)  // macOS has no MSG_NOSIGNAL: the socket itself is told
    }

    /// Copies bytes until EOF or an error on either side.
    static func pump(from: Int32, to: Int32) {
        var buffer = [UInt8](repeating: 0, count: 32 << 10)
        while true {
            let n = buffer.withUnsafeMutableBytes { Posix.read(from, into: $0) }
            if n <= 0 { return }
            var offset = 0
            while offset < n {
                #if canImport(Glibc)
                let w = buffer.withUnsafeBytes { send(to, $0.baseAddress! + offset, n - offset, Int32(MSG_NOSIGNAL)) }
                #else
                let w = buffer.withUnsafeBytes { send(to, $0.baseAddress! + offset, n - offset, 0) }
                #endif
                if w < 0 && errno == EINTR { continue }
                if w <= 0 { return }
                offset += w
            }
        }
    }
}

/// The forwards of a backend without its own (VZ): one proxy per forward, changed while running.
public final class ProxyForwards: LiveForwarding, @unchecked Sendable {
    private let lock = NSLock()
    private var proxies: [PortForward: ForwardProxy] = [:]
    private let target: @Sendable () -> String?

    public init(target: @escaping @Sendable () -> String?) { self.target = target }

    public func addForward(_ forward: PortForward) throws {
        let proxy = ForwardProxy(forward: forward, target: target)
        try proxy.start()
        lock.locked { proxies[forward] = proxy }
    }

    public func removeForward(_ forward: PortForward) throws {
        lock.locked { proxies.removeValue(forKey: forward) }?.stop()
    }

    public func stopAll() {
        let all = lock.locked { () -> [ForwardProxy] in
            defer { proxies.removeAll() }
            return Array(proxies.values)
        }
        all.forEach { $0.stop() }
    }
}
