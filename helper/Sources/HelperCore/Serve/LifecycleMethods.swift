import Foundation

extension Router {
    /// `initialize`, `shutdown` and `exit`. After `shutdown` every request is refused with -32600.
    public func registerLifecycleMethods(session: ServeSession) {
        setAdmission { _ in
            session.isShuttingDown
                ? .invalidRequest("The helper is shutting down; it accepts only the 'exit' notification now.")
                : nil
        }

        register(InitializeRequest.self) { [weak self] params, _ in
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
                    methods: self?.methods ?? [],
                    macosGuests: HelperBuild.backend == .vz && Arch.current == .arm64,
                    linuxGuests: true,
                    saveRestore: HelperBuild.saveRestoreSupported))
        }

        register(ShutdownRequest.self) { _, _ in
            session.beginShutdown()
            return NullResult()
        }

        onNotification(ExitNotification.self) { _, _ in
            session.exitRequested()
        }
    }
}
