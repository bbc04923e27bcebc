import Foundation
import XCTest
@testable import HelperCore

final class VZConfigurationPlanTests: XCTestCase {
    var root: URL!
    var bundle: VMBundle!

    let sonoma = VZHostFacts(macOSMajor: 14, arch: "arm64", chipGeneration: 2, rosetta: .installed)
    let ventura = VZHostFacts(macOSMajor: 13, arch: "arm64", chipGeneration: 1, rosetta: .installed)
    let model = Data([1, 2, 3, 4])
    let identifier = Data([9, 8, 7])

    override func setUpWithError() throws {
        root = try temporaryFolder("vzplan")
        bundle = VMBundle(name: "dev", url: root.appendingPathComponent("vms/dev", isDirectory: true))
    }


    func config(os: GuestOS = .linux, arch: String = "arm64", boot: BootConfig) -> VMConfig {
        VMConfig(os: os, arch: arch, cpuCount: 4, memoryBytes: 4 << 30, diskBytes: 32 << 30,
                 macAddress: "02:0a:3b:04:05:06", boot: boot, createdAt: "2026-11-26T00:00:00Z")
    }

    func kernel(_ cmdline: String = "console=ttyS0") -> VMConfig {
        config(boot: .kernel(kernel: "/k/vmlinuz", initrd: "/k/initrd", cmdline: cmdline))
    }

    func macGuest(identity: Bool = true) -> VMConfig {
        var c = config(os: .macos, boot: .macOS)
        if identity {
            c.hardwareModel = model.base64EncodedString()
            c.machineIdentifier = identifier.base64EncodedString()
        }
        return c
    }

    func folder(_ name: String) throws -> String {
        let url = root.appendingPathComponent("shares/\(name)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.path
    }

    func plan(_ c: VMConfig, host: VZHostFacts? = nil, options: VZGuestOptions? = nil) throws -> VZConfigurationPlan {
        try VZConfigurationPlan.make(config: c, bundle: bundle, host: host ?? sonoma, options: options)
    }

    func assertError(_ c: VMConfig, host: VZHostFacts? = nil, options: VZGuestOptions? = nil, kind: String,
                     contains words: [String], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try plan(c, host: host, options: options), file: file, line: line) { error in
            guard let helper = error as? HelperError else { return XCTFail("not a HelperError: \(error)", file: file, line: line) }
            XCTAssertEqual(helper.kind, kind, helper.message, file: file, line: line)
            for word in words { XCTAssertTrue(helper.message.contains(word), "'\(word)' not in: \(helper.message)", file: file, line: line) }
            XCTAssertTrue(helper.message.hasSuffix("."), helper.message, file: file, line: line)
        }
    }

    // MARK: Device sets

    func testLinuxKernelGuestDevices() throws {
        let p = try plan(kernel())
        XCTAssertEqual(p.bootLoader, .linuxKernel(kernel: "/k/vmlinuz", initrd: "/k/initrd", commandLine: "console=ttyS0 console=hvc0"))
        XCTAssertEqual(p.platform, .generic(machineIdentifier: nil, nestedVirtualization: false))
        XCTAssertEqual(p.disks, [.init(path: bundle.disk.path, readOnly: false, caching: .cached, bus: .virtioBlock)])
        XCTAssertEqual(p.macAddress, "02:0a:3b:04:05:06")
        XCTAssertEqual(p.cpuCount, 4)
        XCTAssertEqual(p.memoryBytes, 4 << 30)
        XCTAssertTrue(p.entropy)
        XCTAssertTrue(p.memoryBalloon)
        XCTAssertEqual(p.keyboard, .usb)
        XCTAssertEqual(p.pointingDevice, .usbScreenCoordinate)
        XCTAssertEqual(p.graphics, .virtio(widthInPixels: 1280, heightInPixels: 800))
        XCTAssertEqual(p.shares, [])
        XCTAssertNil(p.rosettaTag)
        XCTAssertTrue(p.saveRestore)
    }

    func testLinuxEFIGuestWithISOGetsReadOnlyUSBStorageAfterTheDisk() throws {
        let p = try plan(config(boot: .efi(iso: "/isos/alpine.iso")))
        XCTAssertEqual(p.bootLoader, .efi(variableStore: bundle.efiVars.path))
        XCTAssertEqual(p.disks, [
            .init(path: bundle.disk.path, readOnly: false, caching: .cached, bus: .virtioBlock),
            .init(path: "/isos/alpine.iso", readOnly: true, caching: .automatic, bus: .usbMassStorage),
        ])
        XCTAssertEqual(try plan(config(boot: .efi(iso: nil))).disks.count, 1)
    }

    func testLinuxMachineIdentifierIsCarriedOver() throws {
        var c = kernel()
        c.machineIdentifier = identifier.base64EncodedString()
        XCTAssertEqual(try plan(c).platform, .generic(machineIdentifier: identifier, nestedVirtualization: false))
    }

    func testMacGuestOnSonoma() throws {
        let p = try plan(macGuest())
        XCTAssertEqual(p.bootLoader, .macOS)
        XCTAssertEqual(p.platform, .mac(hardwareModel: model, machineIdentifier: identifier, auxiliaryStorage: bundle.auxStorage.path))
        XCTAssertEqual(p.disks, [.init(path: bundle.disk.path, readOnly: false, caching: .automatic, bus: .virtioBlock)])
        XCTAssertFalse(p.memoryBalloon)
        XCTAssertTrue(p.entropy)
        XCTAssertEqual(p.keyboard, .mac)
        XCTAssertEqual(p.pointingDevice, .trackpad)
        XCTAssertEqual(p.graphics, .mac(widthInPixels: 1920, heightInPixels: 1200, pixelsPerInch: 80))
        XCTAssertTrue(p.saveRestore)
    }

    func testMacGuestOnVenturaUsesUSBKeyboardAndNoSaveRestore() throws {
        let p = try plan(macGuest(), host: ventura)
        XCTAssertEqual(p.keyboard, .usb)
        XCTAssertEqual(p.pointingDevice, .trackpad)
        XCTAssertFalse(p.saveRestore)
    }

    func testSaveRestoreNeedsSonomaOnAppleSilicon() throws {
        XCTAssertFalse(try plan(kernel(), host: ventura).saveRestore)
        XCTAssertTrue(try plan(kernel(), host: VZHostFacts(macOSMajor: 15, arch: "arm64", chipGeneration: 3, rosetta: .installed)).saveRestore)
        let intel = VZHostFacts(macOSMajor: 14, arch: "x86_64", chipGeneration: nil, rosetta: .notSupported)
        XCTAssertFalse(try plan(config(arch: "x86_64", boot: .efi(iso: nil)), host: intel).saveRestore)
    }

    // MARK: Refusals

    func testUninstalledMacGuestSaysInstallIsNotWiredYet() {
        assertError(macGuest(identity: false), kind: "unsupported", contains: ["'dev'", "vmtui install dev"])
        // A clone keeps the hardware model and has no identifier until the backend makes one.
        var clone = macGuest()
        clone.machineIdentifier = nil
        assertError(clone, kind: "corruptConfig", contains: ["machineIdentifier"])
    }

    func testBadBase64IsACorruptConfigNamingTheKey() {
        var c = macGuest()
        c.hardwareModel = "not base64!"
        assertError(c, kind: "corruptConfig", contains: ["hardwareModel"])
        var l = kernel()
        l.machineIdentifier = "%%%"
        assertError(l, kind: "corruptConfig", contains: ["machineIdentifier"])
    }

    func testWrongArchitectureHostVersionOSAndMAC() {
        assertError(config(arch: "x86_64", boot: .efi(iso: nil)), kind: "unsupported", contains: ["x86_64", "arm64"])
        assertError(kernel(), host: VZHostFacts(macOSMajor: 12, arch: "arm64", chipGeneration: 1, rosetta: .installed),
                    kind: "unsupported", contains: ["macOS 13"])
        assertError(config(os: .macos, boot: .efi(iso: nil)), kind: "corruptConfig", contains: ["macos"])
        assertError(config(os: .linux, boot: .macOS), kind: "corruptConfig", contains: ["macos"])
        let intel = VZHostFacts(macOSMajor: 14, arch: "x86_64", chipGeneration: nil, rosetta: .notSupported)
        var intelMac = macGuest()
        intelMac.arch = "x86_64"
        assertError(intelMac, host: intel, kind: "unsupported", contains: ["Apple silicon"])
        var badMAC = kernel()
        badMAC.macAddress = "2:a:3b:4:5:6"
        assertError(badMAC, kind: "corruptConfig", contains: ["macAddress"])
    }

    // MARK: Console

    func testConsoleCommandLineEndsOnHvc0() {
        XCTAssertEqual(VZConfigurationPlan.consoleCommandLine(""), "console=hvc0")
        XCTAssertEqual(VZConfigurationPlan.consoleCommandLine("console=hvc0"), "console=hvc0")
        XCTAssertEqual(VZConfigurationPlan.consoleCommandLine("quiet console=hvc0"), "quiet console=hvc0")
        XCTAssertEqual(VZConfigurationPlan.consoleCommandLine("console=hvc0 console=ttyS0"), "console=hvc0 console=ttyS0 console=hvc0")
        XCTAssertEqual(VZConfigurationPlan.consoleCommandLine("root=/dev/vda1 quiet "), "root=/dev/vda1 quiet console=hvc0")
    }

    // MARK: Shared folders

    func testLinuxSharesAreOneDevicePerTag() throws {
        var c = kernel()
        c.shares = [SharedFolder(tag: "src", path: try folder("src"), readOnly: false),
                    SharedFolder(tag: "data", path: try folder("data"), readOnly: true)]
        let p = try plan(c)
        XCTAssertEqual(p.shares, [
            .init(tag: .named("src"), directories: [.init(name: "src", path: c.shares[0].path, readOnly: false)]),
            .init(tag: .named("data"), directories: [.init(name: "data", path: c.shares[1].path, readOnly: true)]),
        ])
    }

    func testMacSharesGoUnderTheAutomountTag() throws {
        var c = macGuest()
        let longName = String(repeating: "n", count: 40)  // a folder name, not a tag: no 36-byte limit
        c.shares = [SharedFolder(tag: "src", path: try folder("src"), readOnly: false),
                    SharedFolder(tag: longName, path: try folder("long"), readOnly: true)]
        let p = try plan(c)
        XCTAssertEqual(p.shares, [.init(tag: .macOSAutomount, directories: [
            .init(name: "src", path: c.shares[0].path, readOnly: false),
            .init(name: longName, path: c.shares[1].path, readOnly: true),
        ])])
    }

    func testTagValidation() throws {
        XCTAssertNil(VZConfigurationPlan.tagProblem(String(repeating: "t", count: 35)))
        XCTAssertNotNil(VZConfigurationPlan.tagProblem(String(repeating: "t", count: 36)))
        XCTAssertNotNil(VZConfigurationPlan.tagProblem(""))
        // 18 characters, 36 bytes of UTF-8: bytes count, not characters.
        XCTAssertNotNil(VZConfigurationPlan.tagProblem(String(repeating: "é", count: 18)))
        XCTAssertNil(VZConfigurationPlan.tagProblem(String(repeating: "é", count: 17)))

        let path = try folder("x")
        for (tag, word) in [("", "empty"), (String(repeating: "t", count: 36), "36 bytes")] {
            var c = kernel()
            c.shares = [SharedFolder(tag: tag, path: path, readOnly: false)]
            assertError(c, kind: "corruptConfig", contains: [word])
        }
        var twice = kernel()
        twice.shares = [SharedFolder(tag: "a", path: path, readOnly: false), SharedFolder(tag: "a", path: path, readOnly: true)]
        assertError(twice, kind: "corruptConfig", contains: ["used twice"])

        var missing = kernel()
        missing.shares = [SharedFolder(tag: "m", path: root.appendingPathComponent("nope").path, readOnly: false)]
        assertError(missing, kind: "corruptConfig", contains: ["does not exist"])

        var notAFolder = kernel()
        let file = root.appendingPathComponent("file")
        XCTAssertTrue(FileManager.default.createFile(atPath: file.path, contents: Data()))
        notAFolder.shares = [SharedFolder(tag: "f", path: file.path, readOnly: false)]
        assertError(notAFolder, kind: "corruptConfig", contains: ["not a folder"])

        var slash = macGuest()
        slash.shares = [SharedFolder(tag: "a/b", path: path, readOnly: false)]
        assertError(slash, kind: "corruptConfig", contains: ["'a/b'"])
    }

    // MARK: Rosetta

    func testRosettaShareForLinuxGuestsWhenInstalled() throws {
        let on = VZGuestOptions(rosetta: true)
        XCTAssertEqual(try plan(kernel(), options: on).rosettaTag, "rosetta")
        XCTAssertNil(try plan(kernel(), options: VZGuestOptions()).rosettaTag)

        var notInstalled = sonoma
        notInstalled.rosetta = .notInstalled
        assertError(kernel(), host: notInstalled, options: on, kind: "unsupported", contains: ["softwareupdate --install-rosetta"])
        var notSupported = sonoma
        notSupported.rosetta = .notSupported
        assertError(kernel(), host: notSupported, options: on, kind: "unsupported", contains: ["Apple silicon"])
        assertError(macGuest(), options: on, kind: "unsupported", contains: ["Linux guests"])
    }

    func testRosettaTagIsReservedOnlyWhenRosettaIsOn() throws {
        var c = kernel()
        c.shares = [SharedFolder(tag: "rosetta", path: try folder("r"), readOnly: false)]
        assertError(c, options: VZGuestOptions(rosetta: true), kind: "corruptConfig", contains: ["Rosetta share"])
        XCTAssertEqual(try plan(c, options: VZGuestOptions()).shares.count, 1)
    }

    func testGuestOptionsComeFromConfigExtraKeys() throws {
        var c = kernel()
        XCTAssertEqual(VZGuestOptions(config: c), VZGuestOptions())
        c.extra = ["rosetta": .bool(true), "nestedVirtualization": .string("yes")]
        XCTAssertEqual(VZGuestOptions(config: c), VZGuestOptions(rosetta: true, nestedVirtualization: false))
        XCTAssertEqual(try plan(c).rosettaTag, "rosetta")
    }

    // MARK: Nested virtualization

    func testNestedVirtualization() throws {
        let on = VZGuestOptions(nestedVirtualization: true)
        let sequoiaM3 = VZHostFacts(macOSMajor: 15, arch: "arm64", chipGeneration: 3, rosetta: .installed)
        XCTAssertEqual(try plan(kernel(), host: sequoiaM3, options: on).platform, .generic(machineIdentifier: nil, nestedVirtualization: true))
        XCTAssertEqual(try plan(kernel(), host: sequoiaM3).platform, .generic(machineIdentifier: nil, nestedVirtualization: false))

        var sequoiaM2 = sequoiaM3
        sequoiaM2.chipGeneration = 2
        assertError(kernel(), host: sequoiaM2, options: on, kind: "unsupported", contains: ["M3"])
        var frameworkSaysYes = sequoiaM2
        frameworkSaysYes.chipGeneration = nil
        frameworkSaysYes.nestedVirtualizationSupported = true
        XCTAssertEqual(try plan(kernel(), host: frameworkSaysYes, options: on).platform, .generic(machineIdentifier: nil, nestedVirtualization: true))
        var frameworkSaysNo = sequoiaM3
        frameworkSaysNo.chipGeneration = 4
        frameworkSaysNo.nestedVirtualizationSupported = false
        assertError(kernel(), host: frameworkSaysNo, options: on, kind: "unsupported", contains: ["chip"])

        var sonomaM3 = sequoiaM3
        sonomaM3.macOSMajor = 14
        assertError(kernel(), host: sonomaM3, options: on, kind: "unsupported", contains: ["macOS 15"])
        assertError(macGuest(), host: sequoiaM3, options: on, kind: "unsupported", contains: ["Linux guests"])
        assertError(config(boot: .efi(iso: nil)), host: sequoiaM2, options: on, kind: "unsupported", contains: ["M3"])
    }

    // MARK: Host facts

    func testChipGenerationFromBrandString() {
        XCTAssertEqual(VZHostFacts.chipGeneration(fromBrand: "Apple M1"), 1)
        XCTAssertEqual(VZHostFacts.chipGeneration(fromBrand: "Apple M2 Pro"), 2)
        XCTAssertEqual(VZHostFacts.chipGeneration(fromBrand: "Apple M3 Max"), 3)
        XCTAssertEqual(VZHostFacts.chipGeneration(fromBrand: "Apple M4"), 4)
        XCTAssertEqual(VZHostFacts.chipGeneration(fromBrand: "Apple M10 Ultra"), 10)
        XCTAssertNil(VZHostFacts.chipGeneration(fromBrand: "Intel(R) Core(TM) i9-9980HK CPU @ 2.40GHz"))
        XCTAssertNil(VZHostFacts.chipGeneration(fromBrand: "Apple"))
        XCTAssertNil(VZHostFacts.chipGeneration(fromBrand: "Apple Mx"))
        XCTAssertNil(VZHostFacts.chipGeneration(fromBrand: "Apple M0"))
        XCTAssertNil(VZHostFacts.chipGeneration(fromBrand: ""))
    }

    func testHostFactsCapabilities() {
        XCTAssertFalse(VZHostFacts(macOSMajor: 14, arch: "arm64", chipGeneration: 3, rosetta: .installed).canNestVirtualization)
        XCTAssertTrue(VZHostFacts(macOSMajor: 15, arch: "arm64", chipGeneration: 3, rosetta: .installed).canNestVirtualization)
        XCTAssertFalse(VZHostFacts(macOSMajor: 15, arch: "arm64", chipGeneration: nil, rosetta: .installed).canNestVirtualization)
        XCTAssertFalse(VZHostFacts(macOSMajor: 15, arch: "x86_64", chipGeneration: nil, rosetta: .notSupported,
                                   nestedVirtualizationSupported: true).canNestVirtualization)
        XCTAssertTrue(VZHostFacts(macOSMajor: 14, arch: "arm64", chipGeneration: 1, rosetta: .installed).canSaveRestore)
        XCTAssertFalse(VZHostFacts(macOSMajor: 13, arch: "arm64", chipGeneration: 1, rosetta: .installed).canSaveRestore)
    }

    // MARK: Keyboard

    func testKeyboardIsAskedForOrTheHostsDefault() throws {
        var usb = macGuest()
        usb.keyboard = .usb
        XCTAssertEqual(try plan(usb).keyboard, .usb, "asked for on a macOS 14 host")
        var mac = macGuest()
        mac.keyboard = .mac
        XCTAssertEqual(try plan(mac).keyboard, .mac)
        assertError(mac, host: ventura, kind: "unsupported", contains: ["macOS 14", "--keyboard usb"])
        XCTAssertEqual(try plan(macGuest(), host: ventura).keyboard, .usb, "the default before macOS 14")
        var linux = kernel()
        linux.keyboard = .mac
        XCTAssertEqual(try plan(linux).keyboard, .usb, "Linux guests always get USB")
    }

    func testFeatureFlagsReachThePlanThroughTheConfig() throws {
        var c = kernel()
        c.rosetta = true
        c.nestedVirtualization = true
        let m3 = VZHostFacts(macOSMajor: 15, arch: "arm64", chipGeneration: 3, rosetta: .installed)
        let p = try plan(c, host: m3)
        XCTAssertEqual(p.rosettaTag, "rosetta")
        XCTAssertEqual(p.platform, .generic(machineIdentifier: nil, nestedVirtualization: true))
        c.rosetta = false
        XCTAssertNil(c.extra["rosetta"], "off leaves no key behind")
        XCTAssertNil(try plan(c, host: m3).rosettaTag)
    }
}
