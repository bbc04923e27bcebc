import Foundation

/// A guest's own IPv4 address, which source gave it ("dhcpLeases", "arp"), and how many seconds
/// ago that source last showed it.
public struct GuestAddressInfo: Codable, Equatable, Sendable {
    public var ip: String
    public var source: String
    public var ageSeconds: Double

    public init(ip: String, source: String, ageSeconds: Double) {
        self.ip = ip
        self.source = source
        self.ageSeconds = ageSeconds
    }
}

/// `vm/ip {name}`: where to reach a running guest.
public struct VMIPResult: Codable, Equatable, Sendable {
    public var address: GuestAddressInfo?
    public var sshAddress: String?
    /// A sentence when there is no address (yet), saying why and what to do.
    public var note: String?
}

public enum VMIPRequest: RPCRequestType {
    public typealias Params = VMNameParams
    public typealias Result = VMIPResult
    public static let method = "vm/ip"
}
