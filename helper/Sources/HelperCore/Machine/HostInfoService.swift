import Foundation

/// `host/info` and `rosetta/install`: the machine the helper runs on.
public struct HostInfoService: MethodService {
    let environment: [String: String]

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
    }

    public func register(on router: Router) {
        router.register(HostInfoRequest.self) { _, _ in
            try HostInfoReader.read(environment: environment)
        }
        router.register(RosettaInstallRequest.self) { _, _ in try await RosettaInstall.run() }
    }
}
