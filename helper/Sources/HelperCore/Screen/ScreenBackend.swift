import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A backend that can show the guest's screen and type on its keyboard: QEMU, and VZ with its
/// experimental VNC server. Both hand out an RFB connection to their VNC server: the one frame path.
public protocol ScreenBackend: AnyObject {
    /// The screen as PNG at its own size.
    func screenshotPNG() throws -> [UInt8]
    /// The RFB client reading this VM's framebuffer (connected at the first call).
    func frames() throws -> RFBClient
    /// Each element: qcodes pressed together (ScreenKeys.qcodes).
    func sendKeys(_ chords: [[String]]) throws
    /// Where a VNC viewer connects (`vm/vnc`).
    func vncInfo() throws -> VNCInfoResult
}

enum ScreenFiles {
    /// Reads a file qemu just wrote in the bundle and removes it; refuses a symlink.
    static func take(_ url: URL) throws -> [UInt8] {
        defer { unlink(url.path) }
        let fd = open(url.path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { throw HelperError.io(path: url.path, errno: errno, action: "read the screen dump") }
        defer { Posix.close(fd) }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { Posix.read(fd, into: $0) }
            if n < 0 { throw HelperError.io(path: url.path, errno: errno, action: "read the screen dump") }
            if n == 0 { break }
            out.append(contentsOf: chunk[0..<n])
        }
        return out
    }
}

extension QEMUBackend: ScreenBackend {
    public func screenshotPNG() throws -> [UInt8] { try screenDump(format: "png") }

    public func frames() throws -> RFBClient {
        guard launch.config.display != nil else { throw noDisplay() }
        return try screenLink.client(connectScreen)
    }

    /// The RFB connection QEMU's VNC server is reached by (PROTOCOL.md, "Screen").
    func connectScreen() throws -> RFBClient {
        guard launch.config.vncServer == .tcp else {
            let fd = try UnixSocket.connect(launch.bundle.url.appendingPathComponent(QEMUDisplay.vncSocket).path, timeout: 5)
            return try RFBClient(fd: fd, password: nil)
        }
        let endpoint = try tcpEndpoint()
        return try RFBClient(fd: try RFBLink.connectLoopback(port: endpoint.port), password: endpoint.password)
    }

    /// `-vnc 127.0.0.1:0,to=99,password=on` lets no one in until a password is set: it is made
    /// here, once per start, and the port QEMU found free is read back.
    func tcpEndpoint() throws -> RFBLink.Endpoint {
        try screenLink.endpoint {
            let password = RFBLink.makePassword()
            let qmp = try qmpForScreen()
            try qmp.execute("change-vnc-password", arguments: ["password": .string(password)], timeout: 5)
            guard case .string(let service)? = try qmp.execute("query-vnc", timeout: 5)["service"], let port = Int(service) else {
                throw HelperError.backend("QEMU did not say which port its VNC server listens on; look at qemu.log in the VM's bundle.")
            }
            return RFBLink.Endpoint(port: port, password: password)
        }
    }

    /// QMP screendump: PNG for screenshots; PPM frames only as the benchmark's old path.
    public func screenDump(format: String) throws -> [UInt8] {
        guard launch.config.display != nil else { throw noDisplay() }
        let file = launch.bundle.url.appendingPathComponent("screendump-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).\(format)")
        unlink(file.path)  // qemu creates it; nothing of ours may already stand there
        var args: [String: JSONValue] = ["filename": .string(file.path)]
        if format == "png" { args["format"] = .string("png") }
        do { try qmpForScreen().execute("screendump", arguments: args, timeout: 10) } catch {
            unlink(file.path)
            throw error
        }
        return try ScreenFiles.take(file)
    }

    /// QMP send-key with qcodes: scancodes, so the guest's layout decides, as with a keyboard.
    public func sendKeys(_ chords: [[String]]) throws {
        guard launch.config.display != nil else { throw noDisplay() }
        let qmp = try qmpForScreen()
        for chord in chords {
            let keys = JSONValue.array(chord.map { .object(["type": .string("qcode"), "data": .string($0)]) })
            try qmp.execute("send-key", arguments: ["keys": keys], timeout: 5)
        }
    }

    public func vncInfo() throws -> VNCInfoResult {
        guard launch.config.display != nil else { throw noDisplay() }
        guard launch.config.vncServer == .tcp else {
            return VNCInfoResult(socketPath: launch.bundle.url.appendingPathComponent(QEMUDisplay.vncSocket).path, address: nil, password: nil)
        }
        let endpoint = try tcpEndpoint()
        return VNCInfoResult(socketPath: nil, address: "127.0.0.1:\(endpoint.port)", password: endpoint.password)
    }

    func noDisplay() -> HelperError {
        .unsupported("VM '\(launch.bundle.name)' has no display; give it one with 'vmtui configure \(launch.bundle.name) --display 1280x800' while it is stopped, then start it again.")
    }
}
