import Foundation

/// Where a guest's SSH is reached and whether its server answers (VMInfo.ssh, HostStatus.ssh).
public struct VMSSHInfo: Codable, Equatable, Sendable {
    public var host: String
    public var port: Int
    /// The guest account made by provisioning (config.provision.user), when known.
    public var user: String?
    /// The host saw the server's `SSH-` banner through the forward since the guest last booted.
    public var ready: Bool

    public init(host: String, port: Int, user: String? = nil, ready: Bool) {
        self.host = host
        self.port = port
        self.user = user
        self.ready = ready
    }
}

/// `vm/sshInfo {name}`: everything `vmtui ssh` and `vmtui ssh-config` need, so the client never
/// reads the VM's folder itself.
public struct VMSSHDetails: Codable, Equatable, Sendable {
    public var name: String
    public var state: VMState
    public var host: String
    public var port: Int
    /// provision.user, else the name of the user running the helper.
    public var user: String
    /// The private key beside the first configured public key file, when it exists.
    public var identityFile: String?
    /// The VM's own known_hosts (in its bundle): other VMs reusing a port never clash.
    public var knownHostsFile: String
    public var ready: Bool
}

/// `vm/forwards {name, add?, remove?}` on a host's control socket: change forwards while running.
public struct VMForwardsParams: Codable, Equatable, Sendable {
    public var name: String
    public var add: [PortForward]?
    public var remove: [PortForward]?
}

public enum VMSSHInfoRequest: RPCRequestType {
    public typealias Params = VMNameParams
    public typealias Result = VMSSHDetails
    public static let method = "vm/sshInfo"
}

/// Host control socket only.
public enum HostForwardsRequest: HostRequestType {
    public typealias Params = VMForwardsParams
    public typealias Result = NullResult
    public static let method = "host/forwards"
}

extension VMForwardsParams: VMNamed {}
