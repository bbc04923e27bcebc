/// Suspend and resume (PROTOCOL.md "Suspend and resume"): `vm/suspend` saves a running or paused
/// VM's state into its bundle and stops it; `vm/start` resumes it.
public enum VMSuspendRequest: HostRequestType { public typealias Params = VMNameParams; public typealias Result = VMInfo; public typealias HostResult = HostStatus; public static let method = "vm/suspend" }

/// Bytes of the saved state written so far (at most a few a second while `vm/suspend` runs).
public struct SuspendProgressParams: Codable, Equatable, Sendable {
    public var name: String
    public var bytesDone: UInt64
    public var bytesTotal: UInt64?
    public init(name: String, bytesDone: UInt64, bytesTotal: UInt64?) {
        self.name = name
        self.bytesDone = bytesDone
        self.bytesTotal = bytesTotal
    }
}

public enum SuspendProgressNotification: RPCNotificationType { public typealias Params = SuspendProgressParams; public static let method = "vm/suspendProgress" }
