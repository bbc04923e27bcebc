import Foundation

/// `rosetta/install`: installs Rosetta for Linux guests on an Apple silicon Mac
/// (VZLinuxRosettaDirectoryShare.installRosetta); elsewhere a 1010 `unsupported` error says why.
public struct RosettaInstallResult: Codable, Equatable, Sendable {
    public var rosetta: RosettaStatus
    public var message: String

    public init(rosetta: RosettaStatus, message: String) {
        self.rosetta = rosetta
        self.message = message
    }
}

public enum RosettaInstallRequest: RPCRequestType {
    public typealias Params = EmptyParams
    public typealias Result = RosettaInstallResult
    public static let method = "rosetta/install"
}
