import Foundation

extension Router {
    /// `host/info`.
    public func registerHostMethods(environment: [String: String] = ProcessInfo.processInfo.environment) {
        register(HostInfoRequest.self) { _, _ in
            try HostInfoReader.read(environment: environment)
        }
    }
}
