import Foundation

extension Router {
    /// `vm/*` and `console/*` for a serve session.
    public func registerVMMethods(_ service: VMService) {
        // The VMListResult of VMListRequest, as JSON kept between calls (VMService.listJSON).
        register(VMListRequest.method) { (_: VMListRequest.Params, _) async throws -> JSONValue in try await service.listJSON() }
        register(VMGetRequest.self) { p, _ in try await service.info(p.name) }
        register(VMCreateRequest.self) { p, context in
            let importer = p.image == nil ? nil : ImageImport(params: p, home: service.store.home) { progress in
                context.connection.notify(ImageProgressNotification.self, progress)
            }
            // Creating blocks (an image's download and import), so it gets a thread of its own;
            // `$/cancelRequest` cancels this task, which stops the import.
            return try await withTaskCancellationHandler {
                try await runOnOwnThread(name: "vmtui-create") { try service.create(p, importer: importer) }
            } onCancel: {
                importer?.cancel()
            }
        }
        register(VMDeleteRequest.self) { p, _ in try service.delete(p.name); return NullResult() }
        register(VMRenameRequest.self) { p, _ in try service.rename(p) }
        register(VMConfigureRequest.self) { p, _ in try await service.configureAny(p) }
        register(VMSSHInfoRequest.self) { p, _ in try await service.sshDetails(p.name) }
        register(VMStartRequest.self) { p, _ in try await service.start(p.name) }
        register(VMStopRequest.self) { p, _ in try await service.stop(p) }
        register(VMIPRequest.self) { p, _ in try await service.ip(p.name) }
        register(VMInstallRequest.self) { p, _ in try await service.install(p.name); return NullResult() }
        register(VMPauseRequest.self) { p, _ in try await service.pause(p.name) }
        register(VMResumeRequest.self) { p, _ in try await service.resume(p.name) }
        register(ConsoleAttachRequest.self) { p, _ in try await service.consoleAttach(p.name) }
        register(ConsoleWriteRequest.self) { p, _ in try await service.consoleWrite(p); return NullResult() }
        register(ConsoleDetachRequest.self) { p, _ in try await service.consoleDetach(p.name); return NullResult() }
        registerScreenMethods(service)
        registerSnapshotMethods(service)
    }
}
