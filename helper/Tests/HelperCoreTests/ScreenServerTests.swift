import Foundation
import XCTest
@testable import HelperCore

/// The screen server choice (config `vnc`), its QEMU arguments, keysyms for RFB and the PNG encoder
/// used for framebuffer screenshots.
final class ScreenServerTests: XCTestCase {
    let bundle = VMBundle(name: "dev", url: URL(fileURLWithPath: "/tmp/home/vms/dev"))

    func config() -> VMConfig {
        VMConfig(os: .linux, arch: "x86_64", cpuCount: 1, memoryBytes: 256 << 20, diskBytes: 1 << 30,
                 macAddress: "02:11:22:33:44:55", boot: .efi(iso: "/i.iso"), createdAt: "")
    }

    func testVNCServerKindDefaultsToTheSocketAndRoundTrips() throws {
        var c = config()
        XCTAssertEqual(c.vncServer, .socket)
        XCTAssertNil(c.extra["vnc"], "the default is not written")
        c.vncServer = .tcp
        let back = try JSONDecoder().decode(VMConfig.self, from: try JSONEncoder().encode(c))
        XCTAssertEqual(back.vncServer, .tcp)
        c.vncServer = .socket
        XCTAssertNil(c.extra["vnc"])
    }

    func testQEMUVNCOnLoopbackWithAPasswordOnlyWhenAsked() throws {
        var c = config()
        c.boot = .kernel(kernel: "/k", initrd: nil, cmdline: "c")  // no firmware needed to build the argv
        c.display = .standard
        var args = try QEMULaunch(config: c, bundle: bundle, accelerator: "tcg", sshPort: 1, firmware: nil).arguments()
        XCTAssertEqual(args[(args.firstIndex(of: "-vnc") ?? 0) + 1], "unix:vnc.sock")
        c.vncServer = .tcp
        args = try QEMULaunch(config: c, bundle: bundle, accelerator: "tcg", sshPort: 1, firmware: nil).arguments()
        XCTAssertEqual(args[(args.firstIndex(of: "-vnc") ?? 0) + 1], "127.0.0.1:0,to=99,password=on",
                       "loopback only, the first free port from 5900, no one in before the password is set")
    }

    func testPasswordsAreEightLettersOrDigitsAndDiffer() {
        let a = RFBLink.makePassword(), b = RFBLink.makePassword()
        XCTAssertEqual(a.count, 8)
        XCTAssertTrue(a.allSatisfy { $0.isLetter || $0.isNumber })
        XCTAssertNotEqual(a, b)
    }

    func testKeysymsForRFB() throws {
        XCTAssertEqual(try ScreenKeys.qcodes("Ctrl-C").map(ScreenKeys.keysym), [0xFFE3, 0x63])
        XCTAssertEqual(try ScreenKeys.qcodes("A").map(ScreenKeys.keysym), [0xFFE1, 0x61], "Shift and the a key")
        XCTAssertEqual(try ScreenKeys.qcodes("Enter").map(ScreenKeys.keysym), [0xFF0D])
        XCTAssertEqual(try ScreenKeys.qcodes("F12").map(ScreenKeys.keysym), [0xFFC9])
        XCTAssertEqual(try ScreenKeys.qcodes("?").map(ScreenKeys.keysym), [0xFFE1, 0x2F])
    }

    func testPNGOfAFrameHasItsSize() throws {
        let frame = RGBFrame(width: 3, height: 2, pixels: (0..<18).map { UInt8($0 * 10) })
        let png = try PNGFile.encode(frame)
        XCTAssertEqual(HostScreen.pngSize(png)?.width, 3)
        XCTAssertEqual(HostScreen.pngSize(png)?.height, 2)
        XCTAssertEqual(Array(png.suffix(12)), [0, 0, 0, 0, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82], "IEND with its well-known CRC")
    }
}
