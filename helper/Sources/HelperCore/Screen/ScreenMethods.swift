extension VMService {
    /// `vm/screenshot`, `vm/screenFrame`, `vm/sendKeys`, `vm/vnc`: passed to the VM's host as they are.
    func registerScreen(on router: Router) {
        router.register(ScreenshotRequest.self) { p, _ in try await self.toHost(p.name, ScreenshotRequest.self, p) }
        router.register(ScreenFrameRequest.self) { p, _ in try await self.toHost(p.name, ScreenFrameRequest.self, p) }
        router.register(SendKeysRequest.self) { p, _ in try await self.toHost(p.name, SendKeysRequest.self, p) }
        router.register(VNCInfoRequest.self) { p, _ in try await self.toHost(p.name, VNCInfoRequest.self, p) }
    }
}
