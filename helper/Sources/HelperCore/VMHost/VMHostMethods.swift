import Foundation

/// The methods a per-VM host answers on its control socket: the same declarations serve uses
/// (Protocol/), each answered with its `HostResult`.
extension VMHost: MethodService {
    public func register(on router: Router) {
        let vm = bundle.name
        router.register(HostStatusRequest.self, answeringFor: vm) { _, _ in self.status() }
        router.register(HostSampleRequest.self, answeringFor: vm) { _, _ in self.sample() }
        router.register(VMStopRequest.self, answeringFor: vm) { p, _ in
            try await self.stop(force: p.force ?? false, timeout: p.timeout)
        }
        router.register(VMPauseRequest.self, answeringFor: vm) { _, _ in try self.pause() }
        router.register(VMResumeRequest.self, answeringFor: vm) { _, _ in try self.resume() }
        router.register(VMSuspendRequest.self, answeringFor: vm) { _, ctx in
            let connection = ctx.connection
            let last = LastSent()
            return try await self.suspend { done, total in
                // A few notes a second are plenty for a progress line.
                guard last.due(after: 0.25) else { return }
                connection.notify(SuspendProgressNotification.self, SuspendProgressParams(name: vm, bytesDone: done, bytesTotal: total))
            }
        }
        router.register(ConsoleAttachRequest.self, answeringFor: vm) { _, ctx in
            ConsoleAttachResult(tail: self.attachConsole(ctx.connection))
        }
        router.register(ConsoleWriteRequest.self, answeringFor: vm) { p, _ in
            try self.writeConsole(p.data)
            return NullResult()
        }
        router.register(ConsoleDetachRequest.self, answeringFor: vm) { _, ctx in
            self.detachConsole(ctx.connection)
            return NullResult()
        }
        router.register(ScreenshotRequest.self, answeringFor: vm) { p, _ in try HostScreen.screenshot(self, p) }
        router.register(ScreenFrameRequest.self, answeringFor: vm) { p, _ in try HostScreen.frame(self, p) }
        router.register(SendKeysRequest.self, answeringFor: vm) { p, _ in try HostScreen.sendKeys(self, p); return NullResult() }
        router.register(VNCInfoRequest.self, answeringFor: vm) { _, _ in try self.screen().vncInfo() }
        router.register(HostForwardsRequest.self, answeringFor: vm) { p, _ in
            try self.changeForwards(add: p.add ?? [], remove: p.remove ?? [])
            return NullResult()
        }
    }

    /// The control socket's method table.
    func makeRouter() -> Router {
        let router = Router()
        register(on: router)
        return router
    }
}
