import Foundation

/// One host port forwarded to a guest port (config.json `forwards`, PROTOCOL.md "Guest access").
public struct PortForward: Codable, Equatable, Hashable, Sendable {
    public enum Proto: String, Codable, Sendable { case tcp, udp }
    public var proto: Proto
    public var hostAddress: String
    public var hostPort: Int
    public var guestPort: Int

    public init(proto: Proto = .tcp, hostAddress: String = "127.0.0.1", hostPort: Int, guestPort: Int) {
        self.proto = proto
        self.hostAddress = hostAddress
        self.hostPort = hostPort
        self.guestPort = guestPort
    }

    /// "127.0.0.1:8080 → guest 80/tcp", for sentences.
    public var described: String { "\(hostAddress):\(hostPort) → guest \(guestPort)/\(proto.rawValue)" }

    /// Ports in 1…65535 and an IPv4 address (QEMU's user network forwards IPv4 only).
    public func validate() throws {
        for (field, port) in [("hostPort", hostPort), ("guestPort", guestPort)] where !(1...65535).contains(port) {
            throw HelperError.invalidParams(field: "forwards.\(field)",
                message: "The port \(port) in forward \(described) is not between 1 and 65535; give a port in that range.")
        }
        guard PortForward.isIPv4(hostAddress) else {
            throw HelperError.invalidParams(field: "forwards.hostAddress",
                message: "The host address '\(hostAddress)' in forward \(described) is not an IPv4 address; give one such as 127.0.0.1 or 0.0.0.0.")
        }
    }

    static func isIPv4(_ text: String) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { p in
            !p.isEmpty && p.count <= 3 && p.allSatisfy(\.isASCII) && p.allSatisfy(\.isNumber) && (Int(p) ?? 256) <= 255
        }
    }
}

/// What `vm/configure` removes: a host port, of one protocol or (proto absent) both.
public struct ForwardRemoval: Codable, Equatable, Sendable {
    public var hostPort: Int
    public var proto: PortForward.Proto?

    public init(hostPort: Int, proto: PortForward.Proto? = nil) {
        self.hostPort = hostPort
        self.proto = proto
    }

    func matches(_ f: PortForward) -> Bool { f.hostPort == hostPort && (proto == nil || proto == f.proto) }
}

/// The guest-access fields of config.json. They live in `extra` so that this file, not
/// VMConfig.swift, owns them (three branches add fields to config.json at once).
extension VMConfig {
    /// The host port forwarded to the guest's SSH (port 22), chosen at create and kept for life.
    public var sshPort: Int? {
        get { if case .number(let n)? = extra["sshPort"] { return Int(n) } else { return nil } }
        set { extra["sshPort"] = newValue.map { .number(Double($0)) } }
    }

    public var forwards: [PortForward] {
        get { (try? extra["forwards"]?.decode(as: [PortForward].self)) ?? [] }
        set { extra["forwards"] = newValue.isEmpty ? nil : try? JSONValue(encoding: newValue) }
    }

    /// config.provision.user and .sshKeyFiles (written by the provisioning code). `provision` is not
    /// a typed field of VMConfig, so it is kept in `extra`; read there, not by encoding the whole
    /// config (which was most of what vm/list cost per VM).
    var provisionFacts: (user: String?, keyFiles: [String]) {
        guard let provision = extra["provision"] else { return (nil, []) }
        var user: String?
        if case .string(let u)? = provision["user"], !u.isEmpty { user = u }
        var files: [String] = []
        if case .array(let list)? = provision["sshKeyFiles"] {
            for case .string(let f) in list { files.append(f) }
        }
        return (user, files)
    }
}
