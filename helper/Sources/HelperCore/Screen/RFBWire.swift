import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Buffered big-endian reads from a stream socket. With a deadline set, each read polls first, so a
/// silent server cannot hold the handshake; without one (the update loop) reads block until close.
final class RFBReader {
    private let fd: Int32
    private var buffer = [UInt8](repeating: 0, count: 1 << 16)
    private var start = 0
    private var end = 0
    var deadline: Date?

    init(fd: Int32) { self.fd = fd }

    private func fill() throws {
        if let deadline {
            var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ms = Int32(max(0, deadline.timeIntervalSinceNow * 1000))
            guard poll(&p, 1, ms) == 1 else { throw HelperError.backend("The VNC server did not answer within the time allowed.") }
        }
        if start == end { start = 0; end = 0 }
        if end == buffer.count {  // compact before reading more
            buffer.replaceSubrange(0..<(end - start), with: buffer[start..<end])
            end -= start
            start = 0
        }
        let n = buffer.withUnsafeMutableBytes { Posix.read(fd, into: UnsafeMutableRawBufferPointer(rebasing: $0[end...])) }
        guard n > 0 else { throw HelperError.backend("The VNC server closed the connection.") }
        end += n
    }

    func bytes(_ count: Int) throws -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(count)
        while out.count < count {
            if start == end { try fill() }
            let take = min(count - out.count, end - start)
            out += buffer[start..<(start + take)]
            start += take
        }
        return out
    }

    func u8() throws -> UInt8 { try bytes(1)[0] }
    func u16() throws -> UInt16 { try bytes(2).reduce(0) { $0 << 8 | UInt16($1) } }
    func u32() throws -> UInt32 { try bytes(4).reduce(0) { $0 << 8 | UInt32($1) } }
}

/// Client-to-server messages of RFB 3.8 (RFC 6143 §7.5).
enum RFBMessages {
    static func be16(_ v: Int) -> [UInt8] { [UInt8(truncatingIfNeeded: v >> 8), UInt8(truncatingIfNeeded: v)] }
    static func be32(_ v: UInt32) -> [UInt8] { [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: v >> $0) } }

    /// 32 bits a pixel, depth 24, little-endian, red at bit 0: the bytes arrive as R, G, B, pad.
    static func setPixelFormat() -> [UInt8] {
        var m: [UInt8] = [0, 0, 0, 0, 32, 24, 0, 1]
        for _ in 0..<3 { m += be16(255) }
        m += [0, 8, 16, 0, 0, 0]
        return m
    }

    static func setEncodings(_ encodings: [Int32]) -> [UInt8] {
        var m: [UInt8] = [2, 0]
        m += be16(encodings.count)
        for e in encodings { m += be32(UInt32(bitPattern: e)) }
        return m
    }

    static func updateRequest(incremental: Bool, width: Int, height: Int) -> [UInt8] {
        var m: [UInt8] = [3, incremental ? 1 : 0, 0, 0, 0, 0]
        m += be16(width)
        m += be16(height)
        return m
    }

    static func key(_ keysym: UInt32, down: Bool) -> [UInt8] {
        var m: [UInt8] = [4, down ? 1 : 0, 0, 0]
        m += be32(keysym)
        return m
    }
}

/// The opening of an RFB session: versions, security (None, or VNC Authentication's DES
/// challenge), ClientInit (shared, so a user's own viewer may stay connected) and ServerInit.
enum RFBHandshake {
    struct ServerInit { var width: Int; var height: Int; var name: String }

    static func run(_ r: RFBReader, fd: Int32, password: String?, deadline: Date) throws -> ServerInit {
        r.deadline = deadline
        defer { r.deadline = nil }
        let version = String(decoding: try r.bytes(12), as: UTF8.self)
        guard version.hasPrefix("RFB 003.") else {
            throw HelperError.backend("The VNC server's greeting is not RFB (it said \(version.debugDescription)).")
        }
        let minor = Int(version.dropFirst(8).prefix(3)) ?? 3
        let old = minor < 7  // RFB 3.3: the server picks the security type
        try write(fd, Array((old ? "RFB 003.003\n" : "RFB 003.008\n").utf8))
        var types: [UInt8]
        if old {
            types = [UInt8(truncatingIfNeeded: try r.u32())]
        } else {
            types = try r.bytes(Int(try r.u8()))
        }
        guard !types.isEmpty, types != [0] else { throw HelperError.backend("The VNC server refused the connection: \(try reason(r)).") }
        let chosen: UInt8
        if types.contains(2), password != nil { chosen = 2 }
        else if types.contains(1) { chosen = 1 }
        else if types.contains(2) {
            throw HelperError.backend("The VNC server asks for a password and vmtui has none for it; restart the VM so a new one is made.")
        } else {
            throw HelperError.backend("The VNC server offers only security types \(types), and vmtui speaks None and VNC Authentication.")
        }
        if !old { try write(fd, [chosen]) }
        if chosen == 2 {
            let challenge = try r.bytes(16)
            try write(fd, VNCAuth.response(challenge: challenge, password: password ?? ""))
        }
        if chosen == 2 || !old {
            let result = try r.u32()
            guard result == 0 else {
                let why = minor >= 8 ? try reason(r) : "no reason given"
                throw HelperError.backend("The VNC server did not accept vmtui's password (\(why)); restart the VM so a new one is made.")
            }
        }
        try write(fd, [1])  // ClientInit: shared
        let w = Int(try r.u16()), h = Int(try r.u16())
        _ = try r.bytes(16)  // the server's pixel format: replaced by SetPixelFormat
        let name = String(decoding: try r.bytes(Int(min(try r.u32(), 4096))), as: UTF8.self)
        return ServerInit(width: w, height: h, name: name)
    }

    private static func reason(_ r: RFBReader) throws -> String {
        String(decoding: try r.bytes(Int(min(try r.u32(), 4096))), as: UTF8.self)
    }

    private static func write(_ fd: Int32, _ bytes: [UInt8]) throws {
        guard Posix.writeAll(fd, Data(bytes)) == 0 else { throw HelperError.backend("The VNC server closed the connection during the handshake.") }
    }
}
