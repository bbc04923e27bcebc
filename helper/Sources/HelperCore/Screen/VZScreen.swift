#if !os(macOS) || arch(arm64)
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
#if canImport(Virtualization)
@preconcurrency import Virtualization
#else
@preconcurrency import VirtualizationShim
#endif

/// The VZ screen: the experimental private VNC server (config `vnc: "tcp"`), started with the
/// machine, with a password made at each start; the host reads it with the same RFB client as QEMU's.
final class VZScreenServer: @unchecked Sendable {
    private let lock = NSLock()
    private var server: NSObject?
    private var password: String?
    private var failure: HelperError?
    let link = RFBLink()
    private let queue = DispatchQueue(label: "vmtui.vz.vnc")

    /// Called on the machine's queue once the machine runs. A failure leaves the VM running without
    /// a screen; the screen methods then answer with the sentence.
    func start(machine: VZVirtualMachine) {
        let password = RFBLink.makePassword()
        do {
            let made = try VZPrivateVNC.start(machine: machine, password: password, queue: queue)
            lock.locked { server = made; self.password = password }
        } catch {
            Log.info("vnc: \(error)")
            lock.locked { failure = error as? HelperError ?? .backend("Virtualization.framework's VNC server did not start: \(error).") }
        }
    }

    /// The port (known shortly after start: polled, with a deadline) and the password.
    func endpoint() throws -> RFBLink.Endpoint {
        try link.endpoint {
            let deadline = Date().addingTimeInterval(5)
            while true {
                let (server, password, failure) = lock.locked { (self.server, self.password, self.failure) }
                if let failure { throw failure }
                guard let server, let password else {
                    throw HelperError.backend("Virtualization.framework's VNC server has not been started for this run of the VM.")
                }
                let port = VZPrivateVNC.port(server)
                if port != 0 { return RFBLink.Endpoint(port: port, password: password) }
                if Date() > deadline { throw HelperError.backend("Virtualization.framework's VNC server did not listen on a port within 5 s; restart the VM.") }
                usleep(50_000)
            }
        }
    }

    func stop() {
        link.close()
        if let server = lock.locked({ () -> NSObject? in defer { self.server = nil }; return self.server }) { VZPrivateVNC.stop(server) }
    }
}

extension VZBackend: ScreenBackend {
    public func screenshotPNG() throws -> [UInt8] { try PNGFile.encode(frames().snapshot().frame) }

    public func frames() throws -> RFBClient {
        let endpoint = try screenEndpoint()
        return try screenServer.link.client { try RFBClient(fd: RFBLink.connectLoopback(port: endpoint.port), password: endpoint.password) }
    }

    /// RFB KeyEvents with X keysyms: the private server takes nothing else.
    public func sendKeys(_ chords: [[String]]) throws {
        let keysyms = try chords.map { try $0.map(ScreenKeys.keysym) }
        try frames().sendKeys(keysyms)
    }

    public func vncInfo() throws -> VNCInfoResult {
        let endpoint = try screenEndpoint()
        return VNCInfoResult(socketPath: nil, address: "127.0.0.1:\(endpoint.port)", password: endpoint.password)
    }

    func screenEndpoint() throws -> RFBLink.Endpoint {
        guard config.display != nil else {
            throw HelperError.unsupported("VM '\(bundle.name)' has no display; give it one with 'vmtui configure \(bundle.name) --display 1280x800' while it is stopped, then start it again.")
        }
        guard config.vncServer == .tcp else {
            throw HelperError.unsupported("VM '\(bundle.name)' has no screen vmtui can read: on a Mac that takes Virtualization.framework's private VNC server, which is experimental and off by default; turn it on with 'vmtui configure \(bundle.name) --vnc tcp' while it is stopped, then start it again.")
        }
        return try screenServer.endpoint()
    }

    /// After the machine has started: the server, when the config asks for one.
    func startScreenServer() {
        guard config.display != nil, config.vncServer == .tcp else { return }
        try? machine.sync { [screenServer] vm in screenServer.start(machine: vm) }
    }
}
#endif
