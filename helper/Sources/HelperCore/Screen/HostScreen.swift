import Foundation

/// The screen methods a per-VM host answers (serve forwards them here). Frames are scaled here,
/// next to QEMU, so what crosses the protocol (and SSH) is the size of the terminal view.
enum HostScreen {
    static let maxFramePixels = 1920 * 1200

    static func screenshot(_ host: VMHost, _ p: ScreenshotParams) throws -> ScreenshotResult {
        guard (p.format ?? "png") == "png" else {
            throw HelperError.invalidParams(field: "format", message: "Screenshots are PNG only; leave out 'format' or pass \"png\".")
        }
        let png = try host.screen().screenshotPNG()
        guard let size = pngSize(png) else { throw HelperError.backend("The guest's screenshot is not a PNG image.") }
        return ScreenshotResult(width: size.width, height: size.height, pngBase64: Data(png).base64EncodedString())
    }

    static func frame(_ host: VMHost, _ p: ScreenFrameParams) throws -> ScreenFrameResult {
        guard p.width > 0, p.height > 0, p.width * p.height <= maxFramePixels else {
            throw HelperError.invalidParams(field: "width", message: "A frame must be 1×1 … \(maxFramePixels) pixels; \(p.width)×\(p.height) is not.")
        }
        let screen = try host.screen()
        if ProcessInfo.processInfo.environment["VMTUI_SCREEN_FRAMES"] == "screendump", let qemu = screen as? QEMUBackend {
            return try screendumpFrame(qemu, p)  // the old path, kept as scripts/bench/screen.ts's baseline
        }
        let s = try screen.frames().scaled(maxWidth: p.width, maxHeight: p.height)
        return ScreenFrameResult(sourceWidth: s.sourceWidth, sourceHeight: s.sourceHeight, width: s.frame.width,
                                 height: s.frame.height, digest: s.digest,
                                 rgbBase64: s.digest == p.previous ? nil : Data(s.frame.pixels).base64EncodedString())
    }

    static func screendumpFrame(_ qemu: QEMUBackend, _ p: ScreenFrameParams) throws -> ScreenFrameResult {
        let source = try RGBFrame.ppm(qemu.screenDump(format: "ppm"))
        let scaled = source.scaled(width: min(p.width, source.width), height: min(p.height, source.height))
        let digest = scaled.digest
        return ScreenFrameResult(sourceWidth: source.width, sourceHeight: source.height, width: scaled.width,
                                 height: scaled.height, digest: digest,
                                 rgbBase64: digest == p.previous ? nil : Data(scaled.pixels).base64EncodedString())
    }

    static func sendKeys(_ host: VMHost, _ p: SendKeysParams) throws {
        let chords = try p.keys.map(ScreenKeys.qcodes)  // all checked before any is pressed
        try host.screen().sendKeys(chords)
    }

    /// Width and height from a PNG's IHDR chunk.
    static func pngSize(_ png: [UInt8]) -> (width: Int, height: Int)? {
        let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        guard png.count >= 24, Array(png[0..<8]) == signature, Array(png[12..<16]) == Array("IHDR".utf8) else { return nil }
        func be32(_ at: Int) -> Int { png[at..<(at + 4)].reduce(0) { $0 << 8 | Int($1) } }
        return (be32(16), be32(20))
    }
}
