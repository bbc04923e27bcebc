import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One RFB connection to a running VM's VNC server, made at the first frame and remade when the
/// old one broke (the server restarted, or a viewer with an exclusive connection pushed it out).
public final class RFBLink: @unchecked Sendable {
    private let lock = NSLock()
    private var current: RFBClient?

    public init() {}

    public func client(_ connect: () throws -> RFBClient) throws -> RFBClient {
        lock.lock()
        defer { lock.unlock() }
        if let current, !current.isBroken { return current }
        current?.close()
        current = try connect()
        return current!
    }

    /// A TCP VNC server's port and the password made for it at this start.
    public struct Endpoint: Sendable { public var port: Int; public var password: String }
    private var madeEndpoint: Endpoint?
    /// Its own lock: a connection (made under `lock`) asks for the endpoint.
    private let endpointLock = NSLock()

    /// Made once per start (the backend lives as long as one run of the VM).
    public func endpoint(_ make: () throws -> Endpoint) throws -> Endpoint {
        endpointLock.lock()
        defer { endpointLock.unlock() }
        if let madeEndpoint { return madeEndpoint }
        let made = try make()
        madeEndpoint = made
        return made
    }

    /// 8 characters: VNC Authentication uses no more. Letters and digits, so it reads aloud and
    /// fits a vnc:// URL as it is.
    public static func makePassword() -> String {
        let alphabet = Array("abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        var rng = SystemRandomNumberGenerator()
        return String((0..<8).map { _ in alphabet[Int(rng.next(upperBound: UInt32(alphabet.count)))] })
    }

    /// A blocking TCP connection to 127.0.0.1:port, within a deadline.
    static func connectLoopback(port: Int) throws -> Int32 {
        guard let fd = SSHBanner.connect(host: "127.0.0.1", port: port, timeout: 5) else {
            throw HelperError.backend("Could not connect to the VNC server on 127.0.0.1:\(port); the VM may have stopped.")
        }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
        return fd
    }

    public func close() {
        lock.locked { current?.close(); current = nil }
    }
}
