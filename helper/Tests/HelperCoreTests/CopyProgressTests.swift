import Foundation
import XCTest
@testable import HelperCore

/// Collects what a copy reports; `onReport` runs on the copying thread (a test cancels from it).
final class ProgressLog: @unchecked Sendable {
    private let lock = NSLock()
    private var reports: [CopyProgressParams] = []
    var onReport: (CopyProgressParams) -> Void = { _ in }

    func add(_ p: CopyProgressParams) {
        lock.locked { reports.append(p) }
        onReport(p)
    }
    var all: [CopyProgressParams] { lock.locked { reports } }
}

/// The copier's progress and cancel (CloneFile with a CopyProgress), below the protocol; the
/// end-to-end test (test/e2e/copyProgress.test.ts) crosses the same code through vm/clone.
final class CopyProgressTests: XCTestCase {
    var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("vmtui-copy-progress-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: folder)
    }

    /// `mib` MiB of random data (several copy chunks), no holes.
    func makeSource(mib: Int) throws -> URL {
        let url = folder.appendingPathComponent("source.img")
        try cloneTestRandomBytes(mib << 20).write(to: url)
        return url
    }

    func progress(_ log: ProgressLog) -> CopyProgress {
        CopyProgress(vm: "web", operation: .clone, name: "web-2") { log.add($0) }
    }

    func testACopyReportsItsDataUpToTheTotal() throws {
        let source = try makeSource(mib: 20)
        let log = ProgressLog()
        let destination = folder.appendingPathComponent("copy.img")
        try CloneFile.clone(source, to: destination, copyOnWrite: false, progress: progress(log))

        let reports = log.all
        XCTAssertFalse(reports.isEmpty, "a sparse copy reports its progress")
        XCTAssertEqual(reports.last?.doneBytes, 20 << 20, "the last report is the whole data")
        XCTAssertEqual(reports.last?.totalBytes, 20 << 20)
        XCTAssertEqual(reports.map(\.doneBytes), reports.map(\.doneBytes).sorted(), "done only grows")
        XCTAssertTrue(reports.allSatisfy { $0.vm == "web" && $0.operation == .clone && $0.name == "web-2" && $0.doneBytes <= $0.totalBytes })
        XCTAssertEqual(try cloneTestDigest(destination), try cloneTestDigest(source))
    }

    func testHolesAreNeitherCopiedNorCounted() throws {
        let source = folder.appendingPathComponent("sparse.img")
        try FileOps.createSparse(at: source, size: 256 << 20)
        try cloneTestWrite(cloneTestRandomBytes(3 << 20), to: source, at: 100 << 20)
        let log = ProgressLog()
        try CloneFile.clone(source, to: folder.appendingPathComponent("copy.img"), copyOnWrite: false, progress: progress(log))
        let last = try XCTUnwrap(log.all.last)
        XCTAssertEqual(last.doneBytes, last.totalBytes)
        XCTAssertLessThan(last.totalBytes, 16 << 20, "the total is the data to copy, not the 256 MiB length")
        XCTAssertGreaterThanOrEqual(last.doneBytes, 3 << 20)
    }

    func testReportsAreThrottled() throws {
        let log = ProgressLog()
        let copy = progress(log)
        copy.expect(10_000)
        for _ in 0..<10_000 { try copy.advance(1) }
        XCTAssertLessThanOrEqual(log.all.count, 10, "a few reports a second, not one per chunk")
        XCTAssertEqual(log.all.last?.doneBytes, 10_000, "the finished copy is always reported")
    }

    func testACancelStopsTheCopyAndLeavesNoFile() throws {
        let source = try makeSource(mib: 40)
        let log = ProgressLog()
        let copy = progress(log)
        log.onReport = { _ in copy.cancel() }
        let destination = folder.appendingPathComponent("copy.img")
        XCTAssertThrowsError(try CloneFile.clone(source, to: destination, copyOnWrite: false, progress: copy)) { error in
            XCTAssertEqual((error as? HelperError)?.kind, "cancelled")
            XCTAssertEqual((error as? HelperError)?.message, "Cloning VM 'web' to 'web-2' was cancelled.")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: destination.path), "a cancelled copy leaves no file")
        XCTAssertLessThan(log.all.last?.doneBytes ?? 0, 40 << 20, "it stopped before the end")
    }

    func testACancelledFolderCloneLeavesNothing() throws {
        let source = folder.appendingPathComponent("src")
        try FileManager.default.createDirectory(at: source, withIntermediateDirectories: true)
        try cloneTestRandomBytes(24 << 20).write(to: source.appendingPathComponent("disk.img"))
        let log = ProgressLog()
        let copy = progress(log)
        log.onReport = { _ in copy.cancel() }
        XCTAssertThrowsError(try CloneFile.cloneDirectory(files: ["disk.img"], from: source, to: folder.appendingPathComponent("dst"),
                                                          tempPrefix: "cloning", what: "VM", copyOnWrite: false, progress: copy))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), ["src"],
                       "neither the target nor its temporary folder is left")
    }

    func testAlreadyCancelledCopiesNothing() throws {
        let source = try makeSource(mib: 1)
        let copy = progress(ProgressLog())
        copy.cancel()
        XCTAssertThrowsError(try CloneFile.cloneDirectory(files: ["source.img"], from: folder, to: folder.appendingPathComponent("dst"),
                                                          tempPrefix: "cloning", what: "VM", progress: copy))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), [source.lastPathComponent])
    }

    /// The snapshot jobs pass the copier on: a cancelled snapshot or restore leaves the VM as it was.
    func testCancelledSnapshotAndRestoreLeaveTheVMAsItWas() throws {
        let fixture = SnapshotFixture(home: folder)
        let bundle = try fixture.makeVM("web", dataMiB: 2)
        _ = try SnapshotStore.create(bundle, name: "base", note: nil)
        try cloneTestWrite(cloneTestRandomBytes(24 << 20), to: bundle.disk, at: 8 << 20)
        let before = try fixture.stateDigests(bundle)
        let snapshots = SnapshotStore.list(bundle).snapshots.map(\.name)

        // A cancel before or during the copy: which one depends on whether this file system clones.
        let cancelled = CopyProgress(vm: "web", operation: .snapshot, name: "later")
        cancelled.cancel()
        XCTAssertThrowsError(try SnapshotStore.create(bundle, name: "later", note: nil, progress: cancelled)) { error in
            XCTAssertEqual((error as? HelperError)?.kind, "cancelled")
        }
        let restore = CopyProgress(vm: "web", operation: .restore, name: "base")
        restore.cancel()
        XCTAssertThrowsError(try SnapshotStore.restore(bundle, name: "base", progress: restore)) { error in
            XCTAssertEqual((error as? HelperError)?.message, "Restoring VM 'web' to snapshot 'base' was cancelled.")
        }
        XCTAssertEqual(try fixture.stateDigests(bundle), before, "the VM's files are untouched")
        XCTAssertEqual(SnapshotStore.list(bundle).snapshots.map(\.name), snapshots, "no snapshot was added")
        XCTAssertEqual(SnapshotStore.current(bundle), "base")
        XCTAssertEqual(fixture.temporaries(), [], "no temporary is left")
    }
}
