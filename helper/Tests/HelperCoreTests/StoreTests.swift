import Foundation
import XCTest
@testable import HelperCore

final class StoreTests: XCTestCase {
    var home: URL!
    var store: BundleStore!

    override func setUpWithError() throws {
        home = try temporaryFolder("store", create: false)
        store = BundleStore(home: home)
    }


    func sampleConfig(disk: UInt64 = 64 << 20) -> VMConfig {
        VMConfig(os: .linux, arch: "x86_64", cpuCount: 1, memoryBytes: 256 << 20, diskBytes: disk,
                 macAddress: MACAddress.randomLocallyAdministered(),
                 boot: .kernel(kernel: "/boot/vmlinuz", initrd: nil, cmdline: "console=ttyS0"), createdAt: "2026-11-26T00:00:00Z")
    }

    func testNameRule() {
        for good in ["a", "dev", "Ubuntu-24.04_arm", String(repeating: "x", count: 63), "9lives"] {
            XCTAssertTrue(VMName.isValid(good), good)
        }
        for bad in ["", "../x", "a/b", ".hidden", "-x", "_x", String(repeating: "x", count: 64),
                    String(repeating: "y", count: 200), "with space", "é", "a\u{0}b"] {
            XCTAssertFalse(VMName.isValid(bad), bad)
            XCTAssertThrowsError(try store.bundle(bad)) { error in
                XCTAssertEqual((error as? HelperError)?.kind, "invalidName")
                XCTAssertTrue((error as? HelperError)?.message.contains(HelperError.nameRule) ?? false)
            }
        }
    }

    func testNameErrorsSayWhatIsWrong() {
        XCTAssertTrue(HelperError.invalidName("").message.hasPrefix("A name is needed; use 1 to 63 letters"))
        XCTAssertTrue(HelperError.invalidName(String(repeating: "x", count: 64)).message.contains("is too long for a name (64 characters); use at most 63"))
        XCTAssertTrue(HelperError.invalidName("-x").message.hasPrefix("'-x' cannot be a name; start it with a letter or digit"))
        XCTAssertTrue(HelperError.invalidName("é").message.hasPrefix("'é' cannot be a name; start it with a letter or digit"))
        XCTAssertTrue(HelperError.invalidName("a b").message.hasPrefix("'a b' cannot be a name; use only letters, digits, '.', '_' and '-'"))
        XCTAssertTrue(HelperError.invalidName(String(repeating: "y", count: 200)).message.hasPrefix("'\(String(repeating: "y", count: 40))…' is too long"))
    }

    func testMACAddressIsLocallyAdministeredUnicast() {
        for _ in 0..<50 {
            let mac = MACAddress.randomLocallyAdministered()
            XCTAssertTrue(MACAddress.isValid(mac), mac)
            let first = UInt8(mac.prefix(2), radix: 16)!
            XCTAssertEqual(first & 0x03, 0x02, mac)
        }
    }

    func testCreateMakesSparseDiskAndConfigWithNoLeftovers() throws {
        let config = sampleConfig(disk: 1 << 30)
        let b = try store.create(name: "dev", config: config)
        XCTAssertEqual(FileOps.logicalSize(b.disk), 1 << 30)
        XCTAssertLessThan(FileOps.allocatedBytes(b.disk), 1 << 20, "disk.img must be sparse")
        XCTAssertEqual(try b.loadConfig(), config)
        let entries = try FileManager.default.contentsOfDirectory(atPath: store.vmsDirectory.path)
        XCTAssertEqual(entries, ["dev"])
        XCTAssertEqual(store.names(), ["dev"])
    }

    func testListedPathsAreTheBundlesFilesAndNamesSkipStrayEntries() throws {
        _ = try store.create(name: "dev", config: sampleConfig())
        try FileManager.default.createDirectory(at: store.vmsDirectory.appendingPathComponent(".hidden"), withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: store.vmsDirectory.appendingPathComponent("file").path, contents: Data())
        XCTAssertEqual(store.names(), ["dev"], "a hidden folder and a plain file are not VMs")
        // readdir's types: a link to a folder is listed as before (stat follows it), one to a file
        // or to nothing is not; names come sorted.
        _ = try store.create(name: "ant", config: sampleConfig())
        let vms = store.vmsDirectory.path
        XCTAssertEqual(symlink(vms + "/dev", vms + "/linked"), 0)
        XCTAssertEqual(symlink(vms + "/file", vms + "/tofile"), 0)
        XCTAssertEqual(symlink(vms + "/gone", vms + "/dangling"), 0)
        XCTAssertEqual(store.names(), ["ant", "dev", "linked"])
        XCTAssertEqual(BundleStore(home: home.appendingPathComponent("none")).names(), [], "no vms folder: no VMs")
        let bundle = try store.bundle("dev")
        let paths = store.paths(ofListed: "dev")
        XCTAssertEqual(paths, BundlePaths(bundle))
        XCTAssertEqual(paths.root, bundle.url.path)
        XCTAssertEqual(paths.config, bundle.config.path)
        XCTAssertEqual(paths.events, bundle.events.path)
        XCTAssertEqual(paths.disk, bundle.disk.path)
        XCTAssertEqual(paths.lock, bundle.lock.path)
        XCTAssertEqual(paths.snapshots, bundle.snapshots.path)
        XCTAssertEqual(paths.controlSocket, bundle.controlSocket.path)
        XCTAssertEqual(paths.savedState, SavedState.stateURL(bundle).path)
        XCTAssertTrue(paths.config.hasSuffix("/vms/dev/config.json"))
    }

    func testCreateRefusesExistingNameAndKeepsIt() throws {
        _ = try store.create(name: "dev", config: sampleConfig())
        let before = try Data(contentsOf: try store.bundle("dev").config)
        XCTAssertThrowsError(try store.create(name: "dev", config: sampleConfig())) { error in
            XCTAssertEqual((error as? HelperError)?.kind, "alreadyExists")
        }
        XCTAssertEqual(try Data(contentsOf: try store.bundle("dev").config), before)
    }

    func testLeftoversOfKilledCreateAreCleanedButLiveOnesKept() throws {
        try FileOps.makeDirectory(home)
        try FileOps.makeDirectory(store.vmsDirectory)
        let dead = store.vmsDirectory.appendingPathComponent(".creating-x-999999-1")
        let live = store.vmsDirectory.appendingPathComponent(".creating-y-1-2")  // pid 1 is alive
        try FileOps.makeDirectory(dead)
        try FileOps.makeDirectory(live)
        XCTAssertEqual(store.names(), [], "temporaries are never listed")
        store.cleanLeftovers()
        XCTAssertFalse(FileManager.default.fileExists(atPath: dead.path))
        XCTAssertTrue(FileManager.default.fileExists(atPath: live.path))
    }

    func testDeleteAndRename() throws {
        _ = try store.create(name: "a", config: sampleConfig())
        _ = try store.create(name: "b", config: sampleConfig())
        XCTAssertThrowsError(try store.rename(from: "a", to: "b")) { XCTAssertEqual(($0 as? HelperError)?.kind, "alreadyExists") }
        XCTAssertThrowsError(try store.rename(from: "a", to: "../c")) { XCTAssertEqual(($0 as? HelperError)?.kind, "invalidName") }
        try store.rename(from: "a", to: "c")
        XCTAssertEqual(store.names(), ["b", "c"])
        try store.delete(name: "b")
        XCTAssertEqual(store.names(), ["c"])
        XCTAssertThrowsError(try store.delete(name: "b")) { XCTAssertEqual(($0 as? HelperError)?.kind, "notFound") }
    }

    func testConfigKeepsUnknownKeysAndDefaultsOptionalOnes() throws {
        let text = """
        {"os":"linux","cpuCount":2,"memoryBytes":536870912,"diskBytes":1073741824,
         "macAddress":"02:00:00:00:00:01","boot":{"kind":"efi"},"futureKey":{"x":[1,true]}}
        """
        let url = home.appendingPathComponent("config.json")
        try FileOps.makeDirectory(home)
        try text.write(to: url, atomically: true, encoding: .utf8)
        let c = try VMConfig.load(from: url)
        XCTAssertEqual(c.schemaVersion, 1)
        XCTAssertEqual(c.shares, [])
        XCTAssertEqual(c.boot, .efi(iso: nil))
        XCTAssertEqual(c.extra["futureKey"], .object(["x": .array([.number(1), .bool(true)])]))
        let again = try JSONDecoder().decode(VMConfig.self, from: try c.encoded())
        XCTAssertEqual(again, c)
    }

    /// serve reads configs with its own JSON reader; it must read them as JSONDecoder does, and
    /// leave to JSONDecoder what it cannot read exactly.
    func testTheQuickConfigReaderReadsAsJSONDecoderDoes() throws {
        var c = sampleConfig(disk: 20 << 30)
        c.extra["futureKey"] = .object(["x": .array([.number(1.5), .bool(true), .null, .string("é/\"")])])
        c.shares = [SharedFolder(tag: "src", path: "/srv", readOnly: true)]
        let data = try c.encoded()
        let quick = try XCTUnwrap(VMConfig.quickDecode(data))
        XCTAssertEqual(quick, try JSONDecoder().decode(VMConfig.self, from: data))
        XCTAssertEqual(quick, c)
        // 2^53 + 1 bytes: a Double would round it, so the quick reader leaves it to JSONDecoder.
        let big = String(decoding: data, as: UTF8.self).replacingOccurrences(of: "\"diskBytes\" : \(c.diskBytes)", with: "\"diskBytes\" : 9007199254740993")
        XCTAssertNotEqual(big, String(decoding: data, as: UTF8.self))
        XCTAssertNil(VMConfig.quickDecode(Data(big.utf8)))
        let url = home.appendingPathComponent("config.json")
        try FileOps.makeDirectory(home)
        try big.write(to: url, atomically: true, encoding: .utf8)
        XCTAssertEqual(try VMConfig.load(from: url).diskBytes, 9_007_199_254_740_993)
        XCTAssertNil(VMConfig.quickDecode(Data(#"{"os":"linux","cpuCount":"two"}"#.utf8)), "a wrong type goes to JSONDecoder, which names it")
    }

    func testCorruptConfigIsReportedWithPathAndLeftUntouched() throws {
        try FileOps.makeDirectory(home)
        let cases: [(String, String)] = [
            ("{not json", "not valid JSON"),
            ("{\"os\":\"linux\",\"cpuCount\":1}", "'memoryBytes' is missing"),
            ("{\"os\":\"linux\",\"cpuCount\":\"two\",\"memoryBytes\":1,\"diskBytes\":1,\"macAddress\":\"x\",\"boot\":{\"kind\":\"efi\"}}", "'cpuCount' has the wrong type"),
            ("{\"schemaVersion\":99,\"os\":\"linux\",\"cpuCount\":1,\"memoryBytes\":1,\"diskBytes\":1,\"macAddress\":\"x\",\"boot\":{\"kind\":\"efi\"}}", "newer vmtui"),
        ]
        for (text, expected) in cases {
            let url = home.appendingPathComponent("config.json")
            try text.write(to: url, atomically: true, encoding: .utf8)
            XCTAssertThrowsError(try VMConfig.load(from: url)) { error in
                let e = error as? HelperError
                XCTAssertEqual(e?.kind, "corruptConfig")
                XCTAssertTrue(e?.message.contains(url.path) ?? false)
                XCTAssertTrue(e?.message.contains(expected) ?? false, "\(e?.message ?? "") lacks \(expected)")
            }
            XCTAssertEqual(try String(contentsOf: url, encoding: .utf8), text, "the user's file must not be rewritten")
        }
    }

    func testHostLockIsExclusiveAndReleasedWithItsHolder() throws {
        try FileOps.makeDirectory(home)
        let url = home.appendingPathComponent("host.lock")
        XCTAssertEqual(HostLock.probe(url), .free)
        var lock: HostLock? = try HostLock.acquire(url, name: "dev")
        XCTAssertEqual(HostLock.probe(url), .held(pid: getpid()))
        XCTAssertThrowsError(try HostLock.acquire(url, name: "dev")) { error in
            XCTAssertEqual(error as? HelperError, .alreadyRunning(name: "dev", pid: getpid()))
        }
        XCTAssertNotNil(lock)
        lock = nil
        XCTAssertEqual(HostLock.probe(url), .free, "a released lock (or a dead holder's) is free again")
        lock = try HostLock.acquire(url, name: "dev")
        XCTAssertNotNil(lock)
    }
}
