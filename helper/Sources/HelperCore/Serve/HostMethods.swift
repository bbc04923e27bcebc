import Foundation

extension Router {
    /// `host/info`, `rosetta/install`.
    public func registerHostMethods(environment: [String: String] = ProcessInfo.processInfo.environment) {
        register(HostInfoRequest.self) { _, _ in
            try HostInfoReader.read(environment: environment)
        }
        register(RosettaInstallRequest.self) { _, _ in try await RosettaInstall.run() }
    }
}
