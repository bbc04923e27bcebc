import Foundation
import XCTest
@testable import HelperCore

final class ScreenTests: XCTestCase {
    let bundle = VMBundle(name: "dev", url: URL(fileURLWithPath: "/tmp/home/vms/dev"))

    func config(_ boot: BootConfig, arch: String = "x86_64") -> VMConfig {
        VMConfig(os: .linux, arch: arch, cpuCount: 1, memoryBytes: 256 << 20, diskBytes: 1 << 30,
                 macAddress: "02:11:22:33:44:55", boot: boot, createdAt: "")
    }

    func testDisplayDefaultsByBootKind() {
        XCTAssertEqual(config(.efi(iso: "/i.iso")).display, .standard, "ISO installs get a screen")
        XCTAssertNil(config(.efi(iso: nil)).display, "an installed EFI disk boots headless unless asked")
        XCTAssertNil(config(.kernel(kernel: "/k", initrd: nil, cmdline: "c")).display)
        var c = config(.efi(iso: "/i.iso"))
        c.display = nil
        XCTAssertNil(c.display, "an explicit 'no display' beats the default")
        XCTAssertEqual(c.extra["display"], .null)
        c.display = DisplaySize(width: 1024, height: 768)
        XCTAssertEqual(c.display, DisplaySize(width: 1024, height: 768))
    }

    func testDisplaySurvivesConfigRoundTrip() throws {
        var c = config(.kernel(kernel: "/k", initrd: nil, cmdline: "c"))
        c.display = DisplaySize(width: 800, height: 600)
        let back = try JSONDecoder().decode(VMConfig.self, from: try JSONEncoder().encode(c))
        XCTAssertEqual(back.display, DisplaySize(width: 800, height: 600))
    }

    func testDisplaySizeLimits() {
        XCTAssertNoThrow(try DisplaySize(width: 1280, height: 800).validate())
        XCTAssertThrowsError(try DisplaySize(width: 10, height: 800).validate())
        XCTAssertThrowsError(try DisplaySize(width: 1280, height: 99999).validate())
    }

    func testQEMUArgvHasDisplayAndVNCOnlyWithADisplay() throws {
        var c = config(.kernel(kernel: "/k", initrd: nil, cmdline: "c"))
        var args = try QEMULaunch(config: c, bundle: bundle, accelerator: "tcg", sshPort: 1, firmware: nil).arguments()
        XCTAssertFalse(args.contains("-vnc"))
        XCTAssertFalse(args.contains { $0.hasPrefix("VGA") })
        c.display = DisplaySize(width: 1024, height: 768)
        args = try QEMULaunch(config: c, bundle: bundle, accelerator: "tcg", sshPort: 1, firmware: nil).arguments()
        let vnc = args.indices.filter { args[$0] == "-vnc" }.map { args[$0 + 1] }
        XCTAssertEqual(vnc, ["unix:vnc.sock"], "relative to the bundle, qemu's working directory")
        XCTAssertTrue(args.contains("VGA,xres=1024,yres=768,edid=on"))
        XCTAssertTrue(args.starts(with: ["-nodefaults", "-no-user-config", "-display", "none"]), "no local window")
    }

    func testArm64DisplayIsVirtioGPUWithUSBKeyboard() {
        let args = QEMUDisplay.arguments(display: .standard, arch: "arm64")
        XCTAssertTrue(args.contains("virtio-gpu-pci,xres=1280,yres=800"))
        XCTAssertTrue(args.contains("usb-kbd"))
    }

    func testKeyNamesBecomeQcodes() throws {
        XCTAssertEqual(try ScreenKeys.qcodes("Enter"), ["ret"])
        XCTAssertEqual(try ScreenKeys.qcodes("Esc"), ["esc"])
        XCTAssertEqual(try ScreenKeys.qcodes("Down"), ["down"])
        XCTAssertEqual(try ScreenKeys.qcodes("Tab"), ["tab"])
        XCTAssertEqual(try ScreenKeys.qcodes("F12"), ["f12"])
        XCTAssertEqual(try ScreenKeys.qcodes("a"), ["a"])
        XCTAssertEqual(try ScreenKeys.qcodes("A"), ["shift", "a"])
        XCTAssertEqual(try ScreenKeys.qcodes("!"), ["shift", "1"])
        XCTAssertEqual(try ScreenKeys.qcodes(" "), ["spc"])
        XCTAssertEqual(try ScreenKeys.qcodes("-"), ["minus"])
        XCTAssertEqual(try ScreenKeys.qcodes("Ctrl-C"), ["ctrl", "c"], "Ctrl-C is not Ctrl-Shift-C")
        XCTAssertEqual(try ScreenKeys.qcodes("Ctrl--"), ["ctrl", "minus"])
        XCTAssertEqual(try ScreenKeys.qcodes("Alt-F2"), ["alt", "f2"])
        XCTAssertEqual(try ScreenKeys.qcodes("Ctrl-Alt-Delete"), ["ctrl", "alt", "delete"])
        XCTAssertThrowsError(try ScreenKeys.qcodes("F13"))
        XCTAssertThrowsError(try ScreenKeys.qcodes("é"))
        XCTAssertThrowsError(try ScreenKeys.qcodes("Hyper-x"))
    }

    func testPPMIsReadAndScaledByAveraging() throws {
        // 4×2: left half black, right half white; a comment in the header.
        var data = Array("P6\n# qemu\n4 2\n255\n".utf8)
        for _ in 0..<2 { data += [0, 0, 0, 0, 0, 0, 255, 255, 255, 255, 255, 255] }
        let frame = try RGBFrame.ppm(data)
        XCTAssertEqual(frame.width, 4)
        XCTAssertEqual(frame.height, 2)
        XCTAssertEqual(frame.scaled(width: 2, height: 1).pixels, [0, 0, 0, 255, 255, 255])
        XCTAssertEqual(frame.scaled(width: 1, height: 1).pixels, [127, 127, 127])
        XCTAssertEqual(frame.scaled(width: 4, height: 2), frame)
        XCTAssertNotEqual(frame.digest, frame.scaled(width: 2, height: 1).digest)
        XCTAssertThrowsError(try RGBFrame.ppm(Array("P6\n4 2\n255\n".utf8) + [1, 2, 3]), "short pixel data")
        XCTAssertThrowsError(try RGBFrame.ppm(Array("P3\n1 1\n255\n0 0 0".utf8)), "ASCII PPM")
    }

    func testPNGSizeComesFromIHDR() {
        let png = [UInt8](Data(base64Encoded: "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGNgYGAAAAAEAAH2FzhVAAAAAElFTkSuQmCC")!)
        XCTAssertEqual(HostScreen.pngSize(png)?.width, 1)
        XCTAssertEqual(HostScreen.pngSize(png)?.height, 1)
        XCTAssertNil(HostScreen.pngSize([1, 2, 3]))
    }
}
