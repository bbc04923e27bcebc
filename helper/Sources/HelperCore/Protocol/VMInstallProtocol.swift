import Foundation

/// `vm/install {name}`: installs macOS into a VM created from a restore image (PROTOCOL.md,
/// "Restore images and installs"). The per-VM host runs the installer.
public enum VMInstallRequest: RPCRequestType {
    public typealias Params = VMNameParams
    public typealias Result = NullResult
    public static let method = "vm/install"
}

public struct InstallProgressParams: Codable, Equatable, Sendable {
    public var name: String
    /// 0 … 1
    public var fraction: Double
    public var phase: String
}

public enum InstallProgressNotification: RPCNotificationType {
    public typealias Params = InstallProgressParams
    public static let method = "vm/installProgress"
}
