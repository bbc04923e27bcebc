import Foundation

/// `host/info`: facts about the machine the helper runs on.
public struct HostInfoService: MethodService {
    let environment: [String: String]

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
    }

    public func register(on router: Router) {
        router.register(HostInfoRequest.self) { _, _ in
            try HostInfoReader.read(environment: environment)
        }
    }
}
