extension Router {
    /// `vm/screenshot`, `vm/screenFrame`, `vm/sendKeys`, `vm/vnc`: passed to the VM's host.
    func registerScreenMethods(_ service: VMService) {
        register(ScreenshotRequest.self) { p, _ in try await service.toHost(p.name, ScreenshotRequest.self, p) }
        register(ScreenFrameRequest.self) { p, _ in try await service.toHost(p.name, ScreenFrameRequest.self, p) }
        register(SendKeysRequest.self) { p, _ in try await service.toHost(p.name, SendKeysRequest.self, p) }
        register(VNCInfoRequest.self) { p, _ in try await service.toHost(p.name, VNCInfoRequest.self, p) }
    }
}
