import Foundation

/// The methods a per-VM host answers on its control socket.
enum HostControlMethods {
    static func router(for host: VMHost) -> Router {
        let router = Router()
        @Sendable func check(_ name: String) throws {
            guard name == host.bundle.name else {
                throw HelperError.invalidParams(field: "name", message: "This host runs VM '\(host.bundle.name)', not '\(name)'.")
            }
        }
        router.register(HostStatusRequest.self) { p, _ in try check(p.name); return host.status() }
        router.register(HostSampleRequest.self) { p, _ in try check(p.name); return host.sample() }
        router.register("vm/stop") { (p: VMStopParams, _) -> HostStatus in
            try check(p.name)
            return try await host.stop(force: p.force ?? false, timeout: p.timeout)
        }
        router.register("vm/pause") { (p: VMNameParams, _) -> HostStatus in try check(p.name); return try host.pause() }
        router.register("vm/resume") { (p: VMNameParams, _) -> HostStatus in try check(p.name); return try host.resume() }
        router.register("vm/suspend") { (p: VMNameParams, ctx) -> HostStatus in
            try check(p.name)
            let connection = ctx.connection
            let last = LastSent()
            return try await host.suspend { done, total in
                // A few notes a second are plenty for a progress line.
                guard last.due(after: 0.25) else { return }
                connection.notify(SuspendProgressNotification.self, SuspendProgressParams(name: p.name, bytesDone: done, bytesTotal: total))
            }
        }
        router.register(ConsoleAttachRequest.self) { p, ctx in
            try check(p.name)
            return ConsoleAttachResult(tail: host.attachConsole(ctx.connection))
        }
        router.register(ConsoleWriteRequest.self) { p, _ in
            try check(p.name)
            try host.writeConsole(p.data)
            return NullResult()
        }
        router.register(ConsoleDetachRequest.self) { p, ctx in
            try check(p.name)
            host.detachConsole(ctx.connection)
            return NullResult()
        }
        router.register(ScreenshotRequest.self) { p, _ in try check(p.name); return try HostScreen.screenshot(host, p) }
        router.register(ScreenFrameRequest.self) { p, _ in try check(p.name); return try HostScreen.frame(host, p) }
        router.register(SendKeysRequest.self) { p, _ in try check(p.name); try HostScreen.sendKeys(host, p); return NullResult() }
        router.register(VNCInfoRequest.self) { p, _ in try check(p.name); return try host.screen().vnc }
        HostAccessMethods.register(router, host: host, check: check)
        return router
    }
}
