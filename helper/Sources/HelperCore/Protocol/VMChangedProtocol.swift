/// `vm/changed`: a VM's bundle appeared, went away, was renamed or had its configuration or
/// snapshots changed, by this client or any other (PROTOCOL.md, "Freshness").
public enum VMChange: String, Codable, Sendable {
    case added, removed, renamed, updated
}

public struct VMChangedParams: Codable, Equatable, Sendable {
    public var name: String
    public var change: VMChange
    /// The VM's name now, for `renamed`.
    public var newName: String?
    public var time: String

    public init(name: String, change: VMChange, newName: String? = nil, time: String) {
        self.name = name
        self.change = change
        self.newName = newName
        self.time = time
    }
}

public enum VMChangedNotification: RPCNotificationType { public typealias Params = VMChangedParams; public static let method = "vm/changed" }
