import Foundation
import XCTest
@testable import HelperCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

final class SnapshotCloneTests: XCTestCase {
    var fx: SnapshotFixture!

    override func setUpWithError() throws {
        fx = SnapshotFixture(home: try temporaryFolder("vmclone", create: false))
    }


    func testCloneGetsNewIdentityAndKeepsTheRest() async throws {
        let source = try fx.makeVM("dev")
        try Data("saved".utf8).write(to: source.url.appendingPathComponent("state.save"))
        _ = try await fx.service.create(SnapshotCreateParams(vm: "dev", name: "base"))
        let sourceDigests = try fx.stateDigests(source)
        let sourceConfig = try source.loadConfig()

        let result = try await fx.service.clone(VMCloneParams(source: "dev", target: "dev-2"))

        XCTAssertFalse(result.pausedForClone)
        XCTAssertEqual(result.vm.name, "dev-2")
        XCTAssertEqual(result.vm.state, .stopped)
        let clone = try fx.store.existing("dev-2")
        let config = try clone.loadConfig()
        XCTAssertNotEqual(config.macAddress, sourceConfig.macAddress)
        XCTAssertTrue(MACAddress.isValid(config.macAddress))
        XCTAssertEqual(result.vm.macAddress, config.macAddress)
        XCTAssertNil(config.machineIdentifier, "a clone must not share the source's machine identifier")
        XCTAssertEqual(config.hardwareModel, sourceConfig.hardwareModel)
        XCTAssertEqual(config.cpuCount, sourceConfig.cpuCount)
        XCTAssertEqual(config.memoryBytes, sourceConfig.memoryBytes)
        XCTAssertEqual(config.diskBytes, sourceConfig.diskBytes)
        XCTAssertEqual(config.boot, sourceConfig.boot)
        XCTAssertNotEqual(config.createdAt, sourceConfig.createdAt)
        XCTAssertEqual(try cloneTestDigest(clone.disk), sourceDigests["disk.img"])
        XCTAssertEqual(try cloneTestDigest(clone.efiVars), sourceDigests["efi-vars.fd"])
        XCTAssertEqual(FileOps.logicalSize(clone.disk), FileOps.logicalSize(source.disk))
        XCTAssertLessThan(FileOps.allocatedBytes(clone.disk), 8 << 20, "the clone's disk stays sparse")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: clone.url.path).sorted(),
                       ["config.json", "disk.img", "efi-vars.fd"],
                       "no saved state (it needs the old identity), no snapshots, logs or locks")
        XCTAssertEqual(try fx.stateDigests(source), sourceDigests, "the source is unchanged")
        XCTAssertEqual(fx.store.names(), ["dev", "dev-2"])
        XCTAssertEqual(fx.temporaries(), [])
    }

    func testCloneBadInputChangesNothing() async throws {
        let source = try fx.makeVM("dev")
        let other = try fx.makeVM("other")
        let digests = try fx.stateDigests(source)
        let otherDigests = try fx.stateDigests(other)

        await XCTAssertHelperError(try await fx.service.clone(VMCloneParams(source: "dev", target: "other")), kind: "alreadyExists")
        await XCTAssertHelperError(try await fx.service.clone(VMCloneParams(source: "ghost", target: "new")), kind: "notFound")
        await XCTAssertHelperError(try await fx.service.clone(VMCloneParams(source: "dev", target: "../escape")), kind: "invalidName")
        await XCTAssertHelperError(try await fx.service.clone(VMCloneParams(source: "dev", target: ".hidden")), kind: "invalidName")
        await XCTAssertHelperError(try await fx.service.clone(VMCloneParams(source: "dev/..", target: "new")), kind: "invalidName")

        XCTAssertEqual(fx.store.names(), ["dev", "other"])
        XCTAssertEqual(try fx.stateDigests(source), digests)
        XCTAssertEqual(try fx.stateDigests(other), otherDigests)
        XCTAssertEqual(fx.temporaries(), [])
        XCTAssertFalse(FileManager.default.fileExists(atPath: fx.home.appendingPathComponent("escape").path))
    }

    func testRunningSourceIsPausedClonedAndResumed() async throws {
        let source = try fx.makeVM("dev")
        let host = try FakeHost(bundle: source, state: .running)
        defer { host.stop() }

        let result = try await fx.service.clone(VMCloneParams(source: "dev", target: "copy"))

        XCTAssertTrue(result.pausedForClone)
        XCTAssertEqual(host.calls.filter { $0 != "host/status" }, ["vm/pause", "vm/resume"])
        XCTAssertEqual(host.stateDuringFirstResume, .paused)
        XCTAssertEqual(host.state, .running)
        XCTAssertEqual(try cloneTestDigest(try fx.store.existing("copy").disk), try cloneTestDigest(source.disk))

        let info = try await fx.service.create(SnapshotCreateParams(vm: "dev", name: "live"))
        XCTAssertNil(info.parent)
        XCTAssertEqual(host.calls.filter { $0 != "host/status" }, ["vm/pause", "vm/resume", "vm/pause", "vm/resume"])
        XCTAssertEqual(host.state, .running)
    }

    func testRunningVMIsResumedEvenWhenTheSnapshotFails() async throws {
        let source = try fx.makeVM("dev")
        let host = try FakeHost(bundle: source, state: .running)
        defer { host.stop() }
        // A disk that is not a file makes the copy fail after the pause.
        try FileManager.default.removeItem(at: source.disk)
        try FileManager.default.createDirectory(at: source.disk, withIntermediateDirectories: false)

        await XCTAssertHelperError(try await fx.service.create(SnapshotCreateParams(vm: "dev", name: "x")), kind: "io")

        XCTAssertEqual(host.calls.filter { $0 != "host/status" }, ["vm/pause", "vm/resume"])
        XCTAssertEqual(host.state, .running)
        XCTAssertEqual((try? FileManager.default.contentsOfDirectory(atPath: source.snapshots.path)) ?? [], [])
    }

    func testPausedSourceIsClonedWithoutTouchingItsState() async throws {
        let source = try fx.makeVM("dev")
        let host = try FakeHost(bundle: source, state: .paused)
        defer { host.stop() }
        let result = try await fx.service.clone(VMCloneParams(source: "dev", target: "copy"))
        XCTAssertFalse(result.pausedForClone)
        XCTAssertEqual(host.calls.filter { $0 != "host/status" }, [])
        XCTAssertEqual(host.state, .paused)
    }

    func testSourceInTransitionIsRefused() async throws {
        let source = try fx.makeVM("dev")
        let host = try FakeHost(bundle: source, state: .stopping)
        defer { host.stop() }
        await XCTAssertHelperError(try await fx.service.clone(VMCloneParams(source: "dev", target: "copy")), kind: "invalidState") { error in
            XCTAssertEqual(error.dataFields["state"], .string("stopping"))
        }
        XCTAssertEqual(host.calls.filter { $0 != "host/status" }, [])
        XCTAssertEqual(fx.store.names(), ["dev"])
    }
}

/// Running out of space half-way through a snapshot or a clone (a VMTUI_HOME on a small tmpfs).
final class SnapshotDiskFullTests: XCTestCase {
    var mount: URL!
    var fx: SnapshotFixture!

    override func setUpWithError() throws {
        mount = try CloneTestMount.tmpfs(sizeKiB: 16 << 10)
        fx = SnapshotFixture(home: mount.appendingPathComponent("home"))
    }

    override func tearDownWithError() throws {
        if let mount { CloneTestMount.remove(mount) }
    }

    func testSnapshotAndCloneThatDoNotFitAreDiskFullAndLeaveNothing() async throws {
        let bundle = try fx.makeVM("dev", dataMiB: 10)
        let digests = try fx.stateDigests(bundle)
        let free = FileOps.freeBytes(at: fx.home)
        XCTAssertLessThan(free, 8 << 20, "the test needs a copy of the disk not to fit")

        await XCTAssertHelperError(try await fx.service.create(SnapshotCreateParams(vm: "dev", name: "full")), kind: "diskFull") { error in
            XCTAssertEqual(error, .diskFull(path: bundle.snapshots.appendingPathComponent("full").path))
            XCTAssertTrue(error.message.contains("free some space"), error.message)
        }
        let tree = try fx.service.list(SnapshotListParams(vm: "dev"))
        XCTAssertEqual(tree.snapshots, [])
        XCTAssertNil(tree.current)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: bundle.snapshots.path), [], "nothing half-made is left")

        await XCTAssertHelperError(try await fx.service.clone(VMCloneParams(source: "dev", target: "copy")), kind: "diskFull") { error in
            XCTAssertEqual(error, .diskFull(path: self.fx.store.vmsDirectory.appendingPathComponent("copy").path))
        }
        XCTAssertEqual(fx.store.names(), ["dev"])
        XCTAssertEqual(fx.temporaries(), [])
        XCTAssertEqual(try fx.stateDigests(bundle), digests, "the VM is unchanged")
        XCTAssertGreaterThanOrEqual(FileOps.freeBytes(at: fx.home) + (64 << 10), free, "the partial copies' space is given back")
    }
}

/// Snapshots and clones of bundles on btrfs share blocks with their source.
final class SnapshotReflinkTests: XCTestCase {
    var mount: URL!
    var fx: SnapshotFixture!

    override func setUpWithError() throws {
        mount = try CloneTestMount.btrfs(sizeMiB: 256)
        fx = SnapshotFixture(home: mount.appendingPathComponent("home"))
    }

    override func tearDownWithError() throws {
        if let mount { CloneTestMount.remove(mount) }
    }

    func testSnapshotRestoreAndCloneAreReflinks() async throws {
        let bundle = try fx.makeVM("dev", dataMiB: 8)
        let digest = try cloneTestDigest(bundle.disk)
        let snap = try await fx.service.create(SnapshotCreateParams(vm: "dev", name: "base"))
        XCTAssertEqual(snap.strategy, .reflink)
        try cloneTestWrite(cloneTestRandomBytes(1 << 20), to: bundle.disk, at: 0)
        let restored = try await fx.service.restore(SnapshotRefParams(vm: "dev", name: "base"))
        XCTAssertEqual(restored.strategy, .reflink)
        XCTAssertEqual(try cloneTestDigest(bundle.disk), digest)
        let clone = try await fx.service.clone(VMCloneParams(source: "dev", target: "dev-2"))
        XCTAssertEqual(clone.strategy, .reflink)
        XCTAssertEqual(try cloneTestDigest(try fx.store.existing("dev-2").disk), digest)
        XCTAssertEqual(try fx.service.list(SnapshotListParams(vm: "dev")).snapshots.first?.strategy, .reflink)
    }
}
