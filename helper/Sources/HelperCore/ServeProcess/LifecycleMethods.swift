import Foundation

/// `initialize`, `shutdown` and `exit`. After `shutdown` every request is refused with -32600.
extension ServeSession: MethodService {
    public func register(on router: Router) {
        router.setAdmission { _ in
            self.isShuttingDown
                ? .invalidRequest("The helper is shutting down; it accepts only the 'exit' notification now.")
                : nil
        }

        router.register(InitializeRequest.self) { [weak router] params, _ in
            if params.protocolVersion != HelperBuild.protocolVersion {
                Log.error("client '\(params.clientName)' \(params.clientVersion) speaks protocol \(params.protocolVersion); this helper speaks \(HelperBuild.protocolVersion).")
            }
            return InitializeResult(
                helperVersion: HelperBuild.version,
                protocolVersion: HelperBuild.protocolVersion,
                platform: HelperBuild.platform,
                arch: Arch.current,
                backend: HelperBuild.backend,
                capabilities: Capabilities(
                    methods: router?.methods ?? [],
                    macosGuests: HelperBuild.backend == .vz && Arch.current == .arm64,
                    linuxGuests: true,
                    saveRestore: HelperBuild.saveRestoreSupported))
        }

        router.register(ShutdownRequest.self) { _, _ in
            self.beginShutdown()
            return NullResult()
        }

        router.onNotification(ExitNotification.self) { _, _ in
            self.exitRequested()
        }
    }
}
