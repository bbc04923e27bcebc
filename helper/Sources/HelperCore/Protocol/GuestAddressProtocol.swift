import Foundation

/// `vm/ip {name}`: where to reach a running guest.
public struct VMIPResult: Codable, Equatable, Sendable {
    public var address: GuestAddress?
    public var sshAddress: String?
    /// A sentence when there is no address (yet), saying why and what to do.
    public var note: String?
}

public enum VMIPRequest: RPCRequestType {
    public typealias Params = VMNameParams
    public typealias Result = VMIPResult
    public static let method = "vm/ip"
}
