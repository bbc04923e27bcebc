import Foundation
import SystemCalls
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How a file was cloned (sent to clients as `strategy`). The first two share blocks with the
/// source until either side writes; the last one copies the data but keeps holes as holes.
public enum CloneStrategy: String, Codable, Sendable, CaseIterable {
    /// clonefile(2) on APFS.
    case clonefile
    /// The FICLONE ioctl on btrfs or XFS.
    case reflink
    /// lseek SEEK_DATA/SEEK_HOLE: only data extents are copied; holes and all-zero blocks stay holes.
    case sparseCopy

    /// The strategy to report for several files: a copy if any file had to be copied.
    public static func weakest(_ strategies: [CloneStrategy]) -> CloneStrategy? {
        if strategies.contains(.sparseCopy) { return .sparseCopy }
        return strategies.first
    }
}

/// What one clone did, and what the new file takes.
public struct CloneOutcome: Equatable, Sendable {
    public var strategy: CloneStrategy
    public var logicalBytes: UInt64
    public var allocatedBytes: UInt64
}

/// Copy-on-write clones of files and bundle folders (ARCHITECTURE.md, "Snapshot by clone").
/// The strategy follows what the file system can do: `clonefile(2)` on APFS, `FICLONE` on btrfs
/// and XFS, and a sparse-aware copy anywhere else (or across file systems).
public enum CloneFile {
    /// Bytes read per step of a sparse copy.
    static let chunkBytes = 8 << 20
    /// All-zero runs of this size inside a data extent are skipped, so they stay holes.
    static let zeroBlockBytes = 64 << 10

    /// `FICLONE` = _IOW(0x94, 9, int) (Linux).
    static let ficlone: UInt = 0x4004_9409
    static let seekData = FileSystemCalls.seekData
    static let seekHole = FileSystemCalls.seekHole

    /// Clones the regular file `source` to `destination`, which must not exist. On failure nothing
    /// is left at `destination`: a full disk throws `diskFull`, anything else `io` with the path.
    /// `copyOnWrite: false` skips clonefile/FICLONE and always copies (benchmarks and tests).
    /// A copy reports to `progress` and stops (throwing `cancelled`, nothing left) when it is cancelled.
    @discardableResult
    public static func clone(_ source: URL, to destination: URL, copyOnWrite: Bool = true, progress: CopyProgress? = nil) throws -> CloneOutcome {
        var st = stat()
        guard stat(source.path, &st) == 0 else { throw HelperError.fromErrno(errno, path: source.path, action: "read") }
        guard (st.st_mode & S_IFMT) == S_IFREG else {
            throw HelperError.io(path: source.path, errno: EINVAL, action: "clone (it is not a regular file)")
        }
        let mode = mode_t(st.st_mode & 0o7777)

        #if os(macOS) || DARWIN_CHECK
        if copyOnWrite {
            let err = FileSystemCalls.cloneFile(source.path, destination.path)
            if err == 0 { return outcome(.clonefile, destination) }
            // Not APFS, or another volume: copy instead. Anything else is a real failure
            // (clonefile leaves nothing behind when it fails, and never replaces a file).
            if !FileSystemCalls.cloneUnsupported.contains(err) {
                throw failure(err, path: destination.path, action: "clone \(source.path) to")
            }
        }
        #endif

        let src = open(source.path, O_RDONLY | O_CLOEXEC)
        guard src >= 0 else { throw HelperError.fromErrno(errno, path: source.path, action: "open") }
        defer { close(src) }
        let dst = try SafeFile.createNew(destination)
        var done = false
        defer {
            close(dst)
            if !done { try? SafeFile.remove(destination, .file) }
        }

        var strategy = CloneStrategy.sparseCopy
        #if os(Linux) && !DARWIN_CHECK
        if copyOnWrite {
            if ioctl(dst, ficlone, src) == 0 {
                strategy = .reflink
            } else {
                let err = errno
                // Not btrfs/XFS, another file system, or unaligned: copy instead.
                let unsupported = [EOPNOTSUPP, ENOTSUP, EXDEV, EINVAL, ENOTTY, ENOSYS]
                guard unsupported.contains(err) else { throw failure(err, path: destination.path, action: "clone \(source.path) to") }
                guard ftruncate(dst, 0) == 0 else { throw failure(errno, path: destination.path, action: "reset") }
            }
        }
        #endif
        if strategy == .sparseCopy {
            progress?.expect(UInt64(st.st_blocks) * 512)
            try sparseCopy(from: src, sourcePath: source.path, to: dst, destinationPath: destination.path, size: UInt64(st.st_size),
                           progress: progress)
        }
        guard fchmod(dst, mode) == 0 else { throw failure(errno, path: destination.path, action: "set the mode of") }
        guard fsync(dst) == 0 else { throw failure(errno, path: destination.path, action: "write") }
        done = true
        return outcome(strategy, destination)
    }

    /// Copies the data extents of `src` into the empty `dst` and sets its length, so every hole
    /// of the source (and every all-zero block) is a hole in the copy.
    static func sparseCopy(from src: Int32, sourcePath: String, to dst: Int32, destinationPath: String, size: UInt64,
                           progress: CopyProgress? = nil) throws {
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: chunkBytes, alignment: 4096)
        defer { buffer.deallocate() }
        let zeros = UnsafeMutableRawPointer.allocate(byteCount: zeroBlockBytes, alignment: 16)
        defer { zeros.deallocate() }
        zeros.initializeMemory(as: UInt8.self, repeating: 0, count: zeroBlockBytes)

        let end = off_t(size)
        var offset: off_t = 0
        while offset < end {
            var dataStart = lseek(src, offset, seekData)
            if dataStart < 0 {
                let err = errno
                if err == ENXIO { break }  // no data after `offset`: the rest is a hole
                // A file system without SEEK_DATA: treat the rest as data.
                guard err == EINVAL || err == ENOTSUP || err == EOPNOTSUPP else {
                    throw failure(err, path: sourcePath, action: "read")
                }
                dataStart = offset
            }
            var dataEnd = lseek(src, dataStart, seekHole)
            if dataEnd < 0 || dataEnd > end { dataEnd = end }
            var position = dataStart
            while position < dataEnd {
                let want = Int(min(off_t(chunkBytes), dataEnd - position))
                let got = try readFully(src, buffer, want, at: position, path: sourcePath)
                if got == 0 { break }  // the file shrank under us; the length is set below
                try writeNonZero(dst, buffer, got, at: position, zeros: zeros, path: destinationPath)
                position += off_t(got)
                try progress?.advance(UInt64(got))
            }
            offset = max(dataEnd, offset + 1)
        }
        guard ftruncate(dst, end) == 0 else { throw failure(errno, path: destinationPath, action: "set the size of") }
    }

    /// Writes `count` bytes of `buffer` at `offset`, skipping all-zero blocks (the new file reads
    /// zeros there anyway), with neighbouring non-zero blocks written in one call.
    static func writeNonZero(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int, at offset: off_t,
                                     zeros: UnsafeMutableRawPointer, path: String) throws {
        var runStart = -1
        var index = 0
        while index < count {
            let length = min(zeroBlockBytes, count - index)
            let isZero = memcmp(buffer + index, zeros, length) == 0
            if isZero, runStart >= 0 {
                try writeFully(fd, buffer + runStart, index - runStart, at: offset + off_t(runStart), path: path)
                runStart = -1
            } else if !isZero, runStart < 0 {
                runStart = index
            }
            index += length
        }
        if runStart >= 0 {
            try writeFully(fd, buffer + runStart, count - runStart, at: offset + off_t(runStart), path: path)
        }
    }

    static func readFully(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int, at offset: off_t, path: String) throws -> Int {
        var done = 0
        while done < count {
            let n = pread(fd, buffer + done, count - done, offset + off_t(done))
            if n < 0 {
                if errno == EINTR { continue }
                throw failure(errno, path: path, action: "read")
            }
            if n == 0 { break }
            done += n
        }
        return done
    }

    private static func writeFully(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int, at offset: off_t, path: String) throws {
        var done = 0
        while done < count {
            let n = pwrite(fd, buffer + done, count - done, offset + off_t(done))
            if n < 0 {
                if errno == EINTR { continue }
                throw failure(errno, path: path, action: "write")
            }
            done += n
        }
    }

    private static func failure(_ err: Int32, path: String, action: String) -> HelperError {
        HelperError.fromErrno(err, path: path, action: action)
    }

    private static func outcome(_ strategy: CloneStrategy, _ url: URL) -> CloneOutcome {
        CloneOutcome(strategy: strategy, logicalBytes: FileOps.logicalSize(url), allocatedBytes: FileOps.allocatedBytes(url))
    }

    // MARK: Folders

    /// Clones the files of `source` named in `files` (those that exist there) into a new folder
    /// `target`: first into a hidden sibling `.<tempPrefix>-<target name>-<pid>-<random>`, then
    /// `finish` may add or rewrite files in it (it gets the strategy used), then it is renamed
    /// into place. A killed clone leaves only the hidden sibling, which
    /// `SnapshotStore.cleanLeftovers` removes on the next start.
    /// Throws `alreadyExists` when `target` appears meanwhile, `diskFull` naming `target`.
    public static func cloneDirectory(files: [String], from source: URL, to target: URL, tempPrefix: String,
                                      what: String, copyOnWrite: Bool = true, progress: CopyProgress? = nil,
                                      finish: (URL, CloneStrategy) throws -> Void = { _, _ in }) throws -> CloneStrategy {
        let parent = target.deletingLastPathComponent()
        try FileOps.makeDirectory(parent)
        let tmp = parent.appendingPathComponent(temporaryName(tempPrefix, target.lastPathComponent))
        guard mkdir(tmp.path, 0o700) == 0 else { throw HelperError.fromErrno(errno, path: tmp.path, action: "create the folder") }
        do {
            var strategies: [CloneStrategy] = []
            for file in files where FileOps.isRegularFile(source.appendingPathComponent(file).path) {
                try progress?.check()
                strategies.append(try clone(source.appendingPathComponent(file), to: tmp.appendingPathComponent(file),
                                            copyOnWrite: copyOnWrite, progress: progress).strategy)
            }
            let strategy = CloneStrategy.weakest(strategies) ?? .sparseCopy
            try finish(tmp, strategy)
            syncDirectory(tmp)
            try progress?.check()
            guard rename(tmp.path, target.path) == 0 else {
                let err = errno
                if err == ENOTEMPTY || err == EEXIST { throw HelperError.alreadyExists(what: what, name: target.lastPathComponent) }
                throw HelperError.fromErrno(err, path: target.path, action: "create")
            }
            syncDirectory(parent)
            return strategy
        } catch {
            try? FileOps.removeTree(tmp)
            if case .diskFull = error as? HelperError { throw HelperError.diskFull(path: target.path) }
            throw error
        }
    }

    /// `.<prefix>-<name>-<pid>-<random>`: hidden (names never start with '.'), and the pid tells
    /// a leftover of a dead process from the work of a live one.
    static func temporaryName(_ prefix: String, _ name: String) -> String {
        ".\(prefix)-\(name)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    }

    /// Makes a rename inside `url` durable (best effort; not every file system supports it).
    static func syncDirectory(_ url: URL) {
        let fd = open(url.path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = fsync(fd)
        close(fd)
    }

    // MARK: The hidden `clone-file` command (scripts/bench/clone.sh)

    /// `vmtui-helper clone-file [--copy] SRC DST`: clones one file and prints
    /// `{"strategy", "seconds", "logicalBytes", "allocatedBytes"}`. `--copy` forces the sparse copy.
    public static func command(_ arguments: [String]) -> (output: String, error: String, status: Int32) {
        var args = arguments
        let copyOnWrite = !(args.first == "--copy")
        if !copyOnWrite { args.removeFirst() }
        guard args.count == 2 else {
            return ("", "vmtui-helper: 'clone-file' needs a source and a new destination: clone-file [--copy] SRC DST\n", 2)
        }
        let start = Date()
        do {
            let result = try clone(URL(fileURLWithPath: args[0]), to: URL(fileURLWithPath: args[1]), copyOnWrite: copyOnWrite)
            let seconds = Date().timeIntervalSince(start)
            let line = "{\"strategy\":\"\(result.strategy.rawValue)\",\"seconds\":\(String(format: "%.3f", seconds)),"
                + "\"logicalBytes\":\(result.logicalBytes),\"allocatedBytes\":\(result.allocatedBytes)}\n"
            return (line, "", 0)
        } catch {
            return ("", "vmtui-helper: \((error as? HelperError)?.message ?? "\(error)")\n", 1)
        }
    }
}
