import Foundation

/// `vm/*` and `console/*` for a serve session; the screen's and the snapshots' methods beside theirs.
extension VMService: MethodService {
    public func register(on router: Router) {
        // The VMListResult of VMListRequest, as JSON kept between calls (VMService.listJSON).
        router.register(VMListRequest.self, answeredAsJSON: { _, _ in try await self.listJSON() })
        router.register(VMGetRequest.self) { p, _ in try await self.details(p.name) }
        router.register(VMCreateRequest.self) { p, context in
            let importer = p.image == nil ? nil : ImageImport(params: p, home: self.store.home) { progress in
                context.connection.notify(ImageProgressNotification.self, progress)
            }
            // Creating blocks (an image's download and import), so it gets a thread of its own;
            // `$/cancelRequest` cancels this task, which stops the import.
            return try await withTaskCancellationHandler {
                try await runOnOwnThread(name: "vmtui-create") { try self.create(p, importer: importer) }
            } onCancel: {
                importer?.cancel()
            }
        }
        router.register(VMDeleteRequest.self) { p, _ in try self.delete(p.name); return NullResult() }
        router.register(VMRenameRequest.self) { p, _ in try self.rename(p) }
        router.register(VMConfigureRequest.self) { p, _ in try await self.configureAny(p) }
        router.register(VMSSHInfoRequest.self) { p, _ in try await self.sshDetails(p.name) }
        router.register(VMStartRequest.self) { p, _ in try await self.start(p.name) }
        router.register(VMStopRequest.self) { p, _ in try await self.stop(p) }
        router.register(VMIPRequest.self) { p, _ in try await self.ip(p.name) }
        router.register(VMInstallRequest.self) { p, _ in try await self.install(p.name); return NullResult() }
        router.register(VMPauseRequest.self) { p, _ in try await self.pause(p.name) }
        router.register(VMResumeRequest.self) { p, _ in try await self.resume(p.name) }
        router.register(VMSuspendRequest.self) { p, _ in try await self.suspend(p.name) }
        router.register(ConsoleAttachRequest.self) { p, _ in try await self.consoleAttach(p.name) }
        router.register(ConsoleWriteRequest.self) { p, _ in try await self.consoleWrite(p); return NullResult() }
        router.register(ConsoleDetachRequest.self) { p, _ in try await self.consoleDetach(p.name); return NullResult() }
        registerScreen(on: router)
        SnapshotService(vms: self).register(on: router)
    }
}
