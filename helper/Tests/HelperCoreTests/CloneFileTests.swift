import Foundation
import XCTest
@testable import HelperCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// MARK: The sparse copy on the ordinary temporary file system

final class CloneFileTests: XCTestCase {
    var folder: URL!

    override func setUpWithError() throws {
        folder = try temporaryFolder("clone")
    }


    /// 64 MiB long: random data at 0, 20 MiB and the last 100 KiB, a written all-zero MiB at
    /// 40 MiB, holes everywhere else.
    func makeSparseSource() throws -> URL {
        let url = folder.appendingPathComponent("source.img")
        try FileOps.createSparse(at: url, size: 64 << 20)
        try cloneTestWrite(cloneTestRandomBytes(1 << 20), to: url, at: 0)
        try cloneTestWrite(cloneTestRandomBytes(3 << 20), to: url, at: 20 << 20)
        try cloneTestWrite(Data(count: 1 << 20), to: url, at: 40 << 20)
        try cloneTestWrite(cloneTestRandomBytes(100 << 10), to: url, at: (64 << 20) - (100 << 10))
        return url
    }

    /// The temporary folder's file system has no FICLONE (ext4, tmpfs), so the fallback must run.
    func requireNoReflink() throws {
        #if os(Linux)
        let type = cloneTestRun(["stat", "-f", "-c", "%T", folder.path]).output.trimmingCharacters(in: .whitespacesAndNewlines)
        guard ["ext2/ext3", "ext4", "tmpfs"].contains(type) else {
            throw XCTSkip("The temporary folder is on \(type), which may clone; this test needs ext4 or tmpfs.")
        }
        #else
        throw XCTSkip("On macOS the temporary folder is APFS, which clones; the fallback is tested on Linux.")
        #endif
    }

    func testFallbackCopyKeepsHolesAndContent() throws {
        try requireNoReflink()
        let source = try makeSparseSource()
        let before = FileOps.allocatedBytes(source)
        let digest = try cloneTestDigest(source)
        let destination = folder.appendingPathComponent("copy.img")

        let outcome = try CloneFile.clone(source, to: destination)

        XCTAssertEqual(outcome.strategy, .sparseCopy, "ext4/tmpfs have no FICLONE: the copy must be the fallback")
        XCTAssertEqual(FileOps.logicalSize(destination), 64 << 20)
        XCTAssertEqual(outcome.logicalBytes, 64 << 20)
        XCTAssertEqual(outcome.allocatedBytes, FileOps.allocatedBytes(destination))
        XCTAssertEqual(try cloneTestDigest(destination), digest, "the copy's bytes differ from the source's")
        XCTAssertEqual(try cloneTestDigest(source), digest, "the source changed")
        XCTAssertEqual(FileOps.allocatedBytes(source), before)
        // Source: ~5.1 MiB allocated (with the written zeros); copy: the 4.1 MiB of data only.
        let data: UInt64 = (4 << 20) + (100 << 10)
        XCTAssertGreaterThanOrEqual(before, data + (1 << 20))
        XCTAssertGreaterThanOrEqual(FileOps.allocatedBytes(destination), data)
        XCTAssertLessThan(FileOps.allocatedBytes(destination), data + (512 << 10),
                          "holes (and the all-zero MiB) must stay unallocated in the copy")
    }

    func testForcedCopyOfOnlyAHoleAllocatesNothing() throws {
        let source = folder.appendingPathComponent("empty.img")
        try FileOps.createSparse(at: source, size: 1 << 30)
        let destination = folder.appendingPathComponent("copy.img")
        let outcome = try CloneFile.clone(source, to: destination, copyOnWrite: false)
        XCTAssertEqual(outcome.strategy, .sparseCopy)
        XCTAssertEqual(FileOps.logicalSize(destination), 1 << 30)
        XCTAssertEqual(FileOps.allocatedBytes(destination), 0)
    }

    func testOddLengthWithoutHolesIsCopiedExactly() throws {
        let source = folder.appendingPathComponent("odd.bin")
        let bytes = cloneTestRandomBytes((9 << 20) + 123)  // more than one chunk, not block-aligned
        try bytes.write(to: source)
        XCTAssertEqual(chmod(source.path, 0o640), 0)
        let destination = folder.appendingPathComponent("odd-copy.bin")
        try CloneFile.clone(source, to: destination, copyOnWrite: false)
        XCTAssertEqual(try Data(contentsOf: destination), bytes)
        var st = stat()
        XCTAssertEqual(stat(destination.path, &st), 0)
        XCTAssertEqual(st.st_mode & 0o7777, 0o640, "the mode is kept")
    }

    func testExistingDestinationIsRefusedAndKept() throws {
        let source = try makeSparseSource()
        let destination = folder.appendingPathComponent("taken")
        try Data("keep me".utf8).write(to: destination)
        XCTAssertThrowsError(try CloneFile.clone(source, to: destination)) { error in
            guard case .io(let path, let err, _)? = error as? HelperError else { return XCTFail("\(error)") }
            XCTAssertEqual(path, destination.path)
            XCTAssertEqual(err, EEXIST)
            XCTAssertTrue((error as? HelperError)?.message.contains(destination.path) ?? false)
        }
        XCTAssertEqual(try String(contentsOf: destination, encoding: .utf8), "keep me")
    }

    func testMissingSourceNamesThePath() throws {
        let source = folder.appendingPathComponent("nothing-here")
        let destination = folder.appendingPathComponent("copy")
        XCTAssertThrowsError(try CloneFile.clone(source, to: destination)) { error in
            guard case .io(let path, let err, _)? = error as? HelperError else { return XCTFail("\(error)") }
            XCTAssertEqual(path, source.path)
            XCTAssertEqual(err, ENOENT)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: destination.path))
    }

    func testDirectoryCloneIsAllOrNothing() throws {
        let source = folder.appendingPathComponent("src")
        try FileManager.default.createDirectory(at: source, withIntermediateDirectories: true)
        try Data("a".utf8).write(to: source.appendingPathComponent("a"))
        try Data("b".utf8).write(to: source.appendingPathComponent("b"))
        let target = folder.appendingPathComponent("dst")

        struct Boom: Error {}
        XCTAssertThrowsError(try CloneFile.cloneDirectory(files: ["a", "b"], from: source, to: target, tempPrefix: "cloning",
                                                          what: "test") { tmp, _ in
            XCTAssertTrue(FileManager.default.fileExists(atPath: tmp.appendingPathComponent("b").path))
            throw Boom()
        })
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted(), ["src"],
                       "a failed folder clone leaves neither the target nor its temporary")

        let strategy = try CloneFile.cloneDirectory(files: ["a", "b", "absent"], from: source, to: target, tempPrefix: "cloning",
                                                    what: "test") { tmp, _ in
            try Data("c".utf8).write(to: tmp.appendingPathComponent("c"))
        }
        XCTAssertTrue(CloneStrategy.allCases.contains(strategy))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: target.path).sorted(), ["a", "b", "c"])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted(), ["dst", "src"])

        XCTAssertThrowsError(try CloneFile.cloneDirectory(files: ["a"], from: source, to: target, tempPrefix: "cloning", what: "VM")) { error in
            XCTAssertEqual(error as? HelperError, .alreadyExists(what: "VM", name: "dst"))
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: target.path).sorted(), ["a", "b", "c"])
    }

    func testWeakestStrategyIsReported() {
        XCTAssertEqual(CloneStrategy.weakest([.reflink, .reflink]), .reflink)
        XCTAssertEqual(CloneStrategy.weakest([.reflink, .sparseCopy, .reflink]), .sparseCopy)
        XCTAssertNil(CloneStrategy.weakest([]))
    }
}

// MARK: Running out of space (a small tmpfs)

final class CloneDiskFullTests: XCTestCase {
    var mount: URL!
    var folder: URL!

    override func setUpWithError() throws {
        mount = try CloneTestMount.tmpfs(sizeKiB: 8 << 10)
        folder = try temporaryFolder("clone-full")
    }

    override func tearDownWithError() throws {
        if let mount { CloneTestMount.remove(mount) }
    }

    func testCopyThatRunsOutOfSpaceIsDiskFullAndLeavesNothing() throws {
        let source = folder.appendingPathComponent("big.img")
        try FileOps.createSparse(at: source, size: 64 << 20)
        try cloneTestWrite(cloneTestRandomBytes(12 << 20), to: source, at: 8 << 20)
        let digest = try cloneTestDigest(source)
        let destination = mount.appendingPathComponent("big.img")

        XCTAssertThrowsError(try CloneFile.clone(source, to: destination)) { error in
            XCTAssertEqual(error as? HelperError, .diskFull(path: destination.path))
            XCTAssertEqual((error as? HelperError)?.code, 1009)
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: mount.path), [], "the partial copy must be removed")
        XCTAssertEqual(try cloneTestDigest(source), digest, "the source changed")
        XCTAssertGreaterThan(FileOps.freeBytes(at: mount), 7 << 20, "the partial copy's blocks must be freed")
    }
}

// MARK: Reflinks (a btrfs image on a loop device)

final class CloneReflinkTests: XCTestCase {
    var mount: URL!

    override func setUpWithError() throws {
        mount = try CloneTestMount.btrfs(sizeMiB: 512)
    }

    override func tearDownWithError() throws {
        if let mount { CloneTestMount.remove(mount) }
    }

    func testReflinkSharesBlocks() throws {
        let source = mount.appendingPathComponent("disk.img")
        try FileOps.createSparse(at: source, size: 128 << 20)
        try cloneTestWrite(cloneTestRandomBytes(96 << 20), to: source, at: 16 << 20)
        sync()
        let digest = try cloneTestDigest(source)
        let freeBefore = FileOps.freeBytes(at: mount)

        // Four real copies (384 MiB) and the source do not fit in 512 MiB; four shared ones take no data space.
        for i in 1...4 {
            let copy = mount.appendingPathComponent("clone-\(i).img")
            let outcome = try CloneFile.clone(source, to: copy)
            XCTAssertEqual(outcome.strategy, .reflink)
            XCTAssertEqual(outcome.logicalBytes, 128 << 20)
            XCTAssertEqual(try cloneTestDigest(copy), digest)
        }
        sync()
        let used = Int64(freeBefore) - Int64(FileOps.freeBytes(at: mount))
        XCTAssertLessThan(used, 32 << 20, "reflinked clones must share the source's blocks (used \(used) bytes)")
        XCTAssertEqual(try cloneTestDigest(source), digest)
    }

    func testAcrossFileSystemsFallsBackToSparseCopy() throws {
        let folder = try temporaryFolder("xfs")
        let source = folder.appendingPathComponent("disk.img")
        try FileOps.createSparse(at: source, size: 256 << 20)
        try cloneTestWrite(cloneTestRandomBytes(2 << 20), to: source, at: 128 << 20)
        let destination = mount.appendingPathComponent("disk.img")

        let outcome = try CloneFile.clone(source, to: destination)

        XCTAssertEqual(outcome.strategy, .sparseCopy, "FICLONE across file systems fails with EXDEV, so the copy must run")
        XCTAssertEqual(try cloneTestDigest(destination), try cloneTestDigest(source))
        XCTAssertLessThan(FileOps.allocatedBytes(destination), 3 << 20)
    }
}
