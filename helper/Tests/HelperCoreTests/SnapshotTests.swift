import Foundation
import XCTest
@testable import HelperCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

final class SnapshotTreeTests: XCTestCase {
    var fx: SnapshotFixture!

    override func setUpWithError() throws {
        fx = SnapshotFixture(home: try temporaryFolder("snap", create: false))
    }


    func snapshot(_ vm: String, _ name: String, note: String? = nil) async throws -> SnapshotInfo {
        try await fx.service.create(SnapshotCreateParams(vm: vm, name: name, note: note))
    }

    func list(_ vm: String) throws -> SnapshotListResult {
        try fx.service.list(SnapshotListParams(vm: vm))
    }

    func node(_ result: SnapshotListResult, _ name: String) -> SnapshotInfo? {
        result.snapshots.first { $0.name == name }
    }

    func testCreateListRestoreDeleteKeepsATree() async throws {
        let bundle = try fx.makeVM("dev")
        let baseDigests = try fx.stateDigests(bundle)

        let base = try await snapshot("dev", "base", note: "fresh install")
        XCTAssertNil(base.parent)
        XCTAssertEqual(base.note, "fresh install")
        XCTAssertEqual(base.children, [])
        XCTAssertFalse(base.savedState)
        XCTAssertEqual(base.logicalBytes, FileOps.logicalSize(bundle.disk) + FileOps.logicalSize(bundle.efiVars) + FileOps.logicalSize(bundle.config))
        let snapDir = bundle.snapshots.appendingPathComponent("base")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: snapDir.path).sorted(),
                       ["config.json", "disk.img", "efi-vars.fd", "meta.json"], "logs and locks are not part of a snapshot")
        let meta = try JSONSerialization.jsonObject(with: Data(contentsOf: snapDir.appendingPathComponent("meta.json"))) as! [String: Any]
        XCTAssertTrue(meta["parent"] is NSNull)
        XCTAssertEqual(meta["note"] as? String, "fresh install")
        XCTAssertEqual(meta["strategy"] as? String, base.strategy.rawValue)
        XCTAssertEqual((meta["logicalBytes"] as? NSNumber)?.uint64Value, base.logicalBytes)
        XCTAssertNotNil(meta["allocatedBytes"] as? NSNumber)
        XCTAssertNotNil(meta["createdAt"] as? String)

        // The guest writes; a second snapshot descends from the first.
        try cloneTestWrite(cloneTestRandomBytes(1 << 20), to: bundle.disk, at: 30 << 20)
        let changedDigests = try fx.stateDigests(bundle)
        XCTAssertNotEqual(changedDigests["disk.img"], baseDigests["disk.img"])
        let a1 = try await snapshot("dev", "a1")
        XCTAssertEqual(a1.parent, "base")
        XCTAssertEqual(try list("dev").current, "a1")

        // Back to base: the disk is base's again, and the VM now descends from base.
        let restored = try await fx.service.restore(SnapshotRefParams(vm: "dev", name: "base"))
        XCTAssertEqual(restored.current, "base")
        XCTAssertEqual(restored.vm.state, .stopped)
        XCTAssertEqual(try fx.stateDigests(bundle), baseDigests)
        XCTAssertEqual(try list("dev").current, "base")

        // A new branch from base.
        try cloneTestWrite(cloneTestRandomBytes(1 << 20), to: bundle.disk, at: 40 << 20)
        let b1 = try await snapshot("dev", "b1")
        XCTAssertEqual(b1.parent, "base")
        let b2 = try await snapshot("dev", "b2")
        XCTAssertEqual(b2.parent, "b1")

        var tree = try list("dev")
        XCTAssertEqual(tree.vm, "dev")
        XCTAssertEqual(tree.snapshots.map(\.name), ["base", "a1", "b1", "b2"], "oldest first")
        XCTAssertEqual(node(tree, "base")?.children, ["a1", "b1"])
        XCTAssertEqual(node(tree, "b1")?.children, ["b2"])
        XCTAssertEqual(tree.current, "b2")
        XCTAssertEqual(tree.problems, [])
        XCTAssertEqual(tree.snapshotsSpace.logicalBytes, tree.snapshots.map(\.logicalBytes).reduce(0, +))
        XCTAssertEqual(tree.snapshotsSpace.allocatedBytes, tree.snapshots.map(\.allocatedBytes).reduce(0, +))
        XCTAssertGreaterThanOrEqual(tree.vmSpace.logicalBytes, FileOps.logicalSize(bundle.disk))
        XCTAssertGreaterThan(tree.vmSpace.allocatedBytes, 2 << 20)
        XCTAssertLessThan(tree.vmSpace.allocatedBytes, 16 << 20, "the VM's sparse disk counts by its allocated blocks")

        // Deleting b1 re-parents b2 to base; deleting base makes its children roots.
        try await fx.service.delete(SnapshotRefParams(vm: "dev", name: "b1"))
        tree = try list("dev")
        XCTAssertEqual(node(tree, "b2")?.parent, "base")
        XCTAssertEqual(node(tree, "base")?.children, ["a1", "b2"])
        XCTAssertEqual(tree.current, "b2")
        try await fx.service.delete(SnapshotRefParams(vm: "dev", name: "base"))
        tree = try list("dev")
        XCTAssertEqual(tree.snapshots.map(\.name), ["a1", "b2"])
        XCTAssertNil(node(tree, "a1")?.parent)
        XCTAssertNil(node(tree, "b2")?.parent)
        let b2meta = try JSONSerialization.jsonObject(with: Data(contentsOf: bundle.snapshots.appendingPathComponent("b2/meta.json"))) as! [String: Any]
        XCTAssertTrue(b2meta["parent"] is NSNull, "the re-parenting is written to meta.json")

        // Deleting the current snapshot moves "current" to its parent (none here).
        try await fx.service.delete(SnapshotRefParams(vm: "dev", name: "b2"))
        XCTAssertNil(try list("dev").current)
        XCTAssertEqual(fx.temporaries(), [])
    }

    func testRestoreKeepsIdentityAndMirrorsStateFiles() async throws {
        let bundle = try fx.makeVM("dev")
        _ = try await snapshot("dev", "clean")
        let snapshotDisk = try cloneTestDigest(bundle.disk)

        // After the snapshot: new identity values in config (as a newer vmtui might write), more CPUs,
        // a saved state, and a written disk.
        var config = try bundle.loadConfig()
        let mac = MACAddress.randomLocallyAdministered()
        config.macAddress = mac
        config.machineIdentifier = Data([9, 9, 9]).base64EncodedString()
        config.cpuCount = 4
        try bundle.saveConfig(config)
        try Data("saved".utf8).write(to: bundle.url.appendingPathComponent("state.save"))
        try cloneTestWrite(cloneTestRandomBytes(1 << 20), to: bundle.disk, at: 0)

        _ = try await fx.service.restore(SnapshotRefParams(vm: "dev", name: "clean"))

        let after = try bundle.loadConfig()
        XCTAssertEqual(after.macAddress, mac, "the MAC address is the VM's identity and is kept")
        XCTAssertEqual(after.machineIdentifier, config.machineIdentifier, "the machine identifier is kept")
        XCTAssertEqual(after.cpuCount, 2, "the rest of the configuration comes from the snapshot")
        XCTAssertEqual(try cloneTestDigest(bundle.disk), snapshotDisk)
        XCTAssertFalse(FileManager.default.fileExists(atPath: bundle.url.appendingPathComponent("state.save").path),
                       "a saved state the snapshot does not have must not survive a restore")
        XCTAssertTrue(FileManager.default.fileExists(atPath: bundle.consoleLog.path), "logs are not snapshot state")
        XCTAssertEqual(fx.temporaries(), [])

        // A snapshot with a saved state brings it back.
        try Data("saved".utf8).write(to: bundle.url.appendingPathComponent("state.save"))
        let suspended = try await snapshot("dev", "suspended")
        XCTAssertTrue(suspended.savedState)
        XCTAssertEqual(suspended.parent, "clean")
        try FileManager.default.removeItem(at: bundle.url.appendingPathComponent("state.save"))
        _ = try await fx.service.restore(SnapshotRefParams(vm: "dev", name: "suspended"))
        XCTAssertEqual(try String(contentsOf: bundle.url.appendingPathComponent("state.save"), encoding: .utf8), "saved")
    }

    func testBadInputChangesNothing() async throws {
        let bundle = try fx.makeVM("dev")
        _ = try await snapshot("dev", "base")
        let digests = try fx.stateDigests(bundle)
        let listing = try list("dev")

        for bad in ["", "../x", ".current.json", "a/b", String(repeating: "s", count: 64), "-x"] {
            await XCTAssertHelperError(try await snapshot("dev", bad), kind: "invalidName", bad)
            await XCTAssertHelperError(try await fx.service.restore(SnapshotRefParams(vm: "dev", name: bad)), kind: "invalidName", bad)
            await XCTAssertHelperError(try await fx.service.delete(SnapshotRefParams(vm: "dev", name: bad)), kind: "invalidName", bad)
        }
        await XCTAssertHelperError(try await snapshot("../dev", "x"), kind: "invalidName")
        await XCTAssertHelperError(try fx.service.list(SnapshotListParams(vm: "a b")), kind: "invalidName")
        await XCTAssertHelperError(try await snapshot("ghost", "x"), kind: "notFound")
        await XCTAssertHelperError(try fx.service.list(SnapshotListParams(vm: "ghost")), kind: "notFound")
        await XCTAssertHelperError(try await fx.service.restore(SnapshotRefParams(vm: "dev", name: "nope")), kind: "notFound") { error in
            XCTAssertTrue(error.message.contains("'nope'") && error.message.contains("'dev'"), error.message)
            XCTAssertTrue(error.message.hasSuffix("see its snapshots with 'vmtui snapshot list dev'."), error.message)
        }
        await XCTAssertHelperError(try await fx.service.delete(SnapshotRefParams(vm: "dev", name: "nope")), kind: "notFound") { error in
            XCTAssertFalse(error.message.contains("'vmtui list'"), error.message)
        }
        await XCTAssertHelperError(try await snapshot("dev", "base"), kind: "alreadyExists")

        XCTAssertEqual(try fx.stateDigests(bundle), digests)
        XCTAssertEqual(try list("dev"), listing)
        XCTAssertEqual(fx.temporaries(), [])
    }

    func testRestoreRefusedWhileRunningAndCreateWhileNotAnswering() async throws {
        let bundle = try fx.makeVM("dev")
        _ = try await snapshot("dev", "base")
        try cloneTestWrite(cloneTestRandomBytes(1 << 20), to: bundle.disk, at: 0)
        let digests = try fx.stateDigests(bundle)
        let listing = try list("dev")

        let host = try HostLock.acquire(bundle.lock, name: "dev")  // a "running" host
        await XCTAssertHelperError(try await fx.service.restore(SnapshotRefParams(vm: "dev", name: "base")), kind: "invalidState") { error in
            XCTAssertEqual(error.dataFields["state"], .string("running"))
            XCTAssertTrue(error.message.contains("restore a snapshot of VM 'dev'"), error.message)
        }
        // The host holds its lock but has no control socket: it does not answer, so it is "starting".
        await XCTAssertHelperError(try await snapshot("dev", "later"), kind: "invalidState") { error in
            XCTAssertEqual(error.dataFields["state"], .string("starting"))
        }
        withExtendedLifetime(host) {}

        XCTAssertEqual(try fx.stateDigests(bundle), digests)
        XCTAssertEqual(try list("dev"), listing)
        XCTAssertEqual(fx.temporaries(), [])
    }

    func testOneCloneOrSnapshotAtATimePerVM() async throws {
        let bundle = try fx.makeVM("dev")
        var busy: BusyLock? = try BusyLock.take(bundle, action: "test")
        await XCTAssertHelperError(try await snapshot("dev", "x"), kind: "invalidState") { error in
            XCTAssertEqual(error.dataFields["state"], .string("busy with another clone or snapshot"))
        }
        await XCTAssertHelperError(try await fx.service.clone(VMCloneParams(source: "dev", target: "copy")), kind: "invalidState")
        XCTAssertNotNil(busy)
        busy = nil
        XCTAssertEqual(try list("dev").snapshots, [])
        XCTAssertEqual(fx.store.names(), ["dev"])
        _ = try await snapshot("dev", "x")
    }

    func testStoppedVMCannotStartDuringASnapshot() async throws {
        let bundle = try fx.makeVM("dev")
        // While the copy runs, the VM's host lock is ours: a host could not take it.
        let (seen, paused) = try await fx.service.holdingStill(bundle, action: "snapshot", allowRunning: true) {
            HostLock.probe(bundle.lock)
        }
        XCTAssertEqual(seen, .held(pid: getpid()))
        XCTAssertFalse(paused)
        XCTAssertEqual(HostLock.probe(bundle.lock), .free, "the lock is given back")
    }

    func testLeftoversOfKilledClonesAreCleanedAndNeverListed() async throws {
        let bundle = try fx.makeVM("dev")
        _ = try await snapshot("dev", "base")
        let dead = cloneTestDeadPid()
        let fm = FileManager.default
        let deadSnapshot = bundle.snapshots.appendingPathComponent(".creating-half-\(dead)-1")
        let deadDelete = bundle.snapshots.appendingPathComponent(".deleting-old-\(dead)-2")
        let deadRestore = bundle.url.appendingPathComponent(".restoring-disk.img-\(dead)-3")
        let deadClone = fx.store.vmsDirectory.appendingPathComponent(".cloning-copy-\(dead)-4")
        let liveClone = fx.store.vmsDirectory.appendingPathComponent(".cloning-other-1-5")  // pid 1 lives
        for dir in [deadSnapshot, deadDelete, deadClone, liveClone] {
            try fm.createDirectory(at: dir, withIntermediateDirectories: true)
            try Data("partial".utf8).write(to: dir.appendingPathComponent("disk.img"))
            try Data("{}".utf8).write(to: dir.appendingPathComponent("meta.json"))
        }
        try Data("partial".utf8).write(to: deadRestore)

        XCTAssertEqual(try list("dev").snapshots.map(\.name), ["base"], "temporaries are never listed")
        XCTAssertEqual(fx.store.names(), ["dev"])

        // The next start: `vmtui-helper serve` cleans up before it serves (here its input is at once at its end).
        try runServeUntilEndOfInput(home: fx.home)

        XCTAssertFalse(fm.fileExists(atPath: deadSnapshot.path))
        XCTAssertFalse(fm.fileExists(atPath: deadDelete.path))
        XCTAssertFalse(fm.fileExists(atPath: deadRestore.path))
        XCTAssertFalse(fm.fileExists(atPath: deadClone.path))
        XCTAssertTrue(fm.fileExists(atPath: liveClone.path), "a live process's work is left alone")
        XCTAssertEqual(try list("dev").snapshots.map(\.name), ["base"])
        XCTAssertTrue(fm.fileExists(atPath: bundle.snapshots.appendingPathComponent("base/disk.img").path))
    }

    /// Runs the built helper's `serve` with VMTUI_HOME set and stdin at its end.
    func runServeUntilEndOfInput(home: URL) throws {
        let binary = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(".build/debug/vmtui-helper")
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            throw XCTSkip("The helper binary is not built at \(binary.path); run 'swift build --package-path helper' first.")
        }
        let process = Process()
        process.executableURL = binary
        process.arguments = ["serve"]
        var environment = ProcessInfo.processInfo.environment
        environment["VMTUI_HOME"] = home.path
        process.environment = environment
        process.standardInput = FileHandle(forReadingAtPath: "/dev/null")
        process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try process.run()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)
    }

    func testUnreadableMetaIsAProblemNotASilentDrop() async throws {
        let bundle = try fx.makeVM("dev")
        _ = try await snapshot("dev", "base")
        _ = try await snapshot("dev", "next")
        try Data("not json".utf8).write(to: bundle.snapshots.appendingPathComponent("base/meta.json"))
        let tree = try list("dev")
        XCTAssertEqual(tree.snapshots.map(\.name), ["next"])
        XCTAssertNil(tree.snapshots.first?.parent, "a parent that cannot be read is not shown as one")
        XCTAssertEqual(tree.problems.map(\.name), ["base"])
        XCTAssertTrue(tree.problems.first?.message.contains("meta.json") ?? false)
    }

    func testMethodsAreRegisteredWithTheVMMethods() {
        let router = Router()
        fx.vms.register(on: router)
        for method in ["vm/clone", "snapshot/create", "snapshot/list", "snapshot/restore", "snapshot/delete"] {
            XCTAssertTrue(router.methods.contains(method), method)
        }
    }
}

/// The wire shapes of PROTOCOL.md, "Snapshots and clones".
final class SnapshotProtocolTests: XCTestCase {
    func testHelperProducesTheSnapshotFixtureErrors() throws {
        XCTAssertEqual(RPCErrorObject(HelperError.diskFull(path: "/home/me/.vmtui/vms/dev/snapshots/before-upgrade")),
                       try fixtureError("disk-full.error.json"))
        XCTAssertEqual(RPCErrorObject(HelperError.invalidState(name: "dev", state: "busy with another clone or snapshot", action: "snapshot")),
                       try fixtureError("snapshot-busy.error.json"))
    }

    func testRootsAndNoCurrentAreExplicitNulls() throws {
        let info = SnapshotInfo(name: "a", parent: nil, children: [], createdAt: "t", note: nil, logicalBytes: 1, allocatedBytes: 0,
                                strategy: .sparseCopy, savedState: false)
        let list = SnapshotListResult(vm: "dev", snapshots: [info], current: nil, vmSpace: SpaceUsage(), snapshotsSpace: SpaceUsage(),
                                      problems: [])
        let encoded = try JSONCoding.decode(JSONValue.self, from: JSONCoding.encode(list))
        guard case .object(let top) = encoded, case .array(let nodes)? = top["snapshots"], case .object(let node)? = nodes.first else {
            return XCTFail("unexpected shape: \(encoded)")
        }
        XCTAssertEqual(top["current"], .null)
        XCTAssertEqual(node["parent"], .null)
        XCTAssertNil(node["note"], "an absent note is left out")
        XCTAssertEqual(try JSONCoding.decode(SnapshotListResult.self, from: JSONCoding.encode(list)), list)
    }

    func testEveryStrategyHasItsWireName() {
        XCTAssertEqual(CloneStrategy.allCases.map(\.rawValue), ["clonefile", "reflink", "sparseCopy"])
    }
}
