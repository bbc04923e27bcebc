import Foundation
import XCTest
@testable import HelperCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Files, disks and mounts shared by the clone and snapshot tests.

/// Random bytes from the kernel (fast even in a debug build).
func cloneTestRandomBytes(_ count: Int) -> Data {
    let handle = FileHandle(forReadingAtPath: "/dev/urandom")!
    defer { try? handle.close() }
    return handle.readData(ofLength: count)
}

/// Writes `data` at `offset` of an existing file without touching the rest.
func cloneTestWrite(_ data: Data, to url: URL, at offset: UInt64) throws {
    let handle = try FileHandle(forWritingTo: url)
    defer { try? handle.close() }
    try handle.seek(toOffset: offset)
    handle.write(data)
    try handle.synchronize()
}

/// A process-local digest of a file's bytes and length (for "unchanged" and "identical" checks).
func cloneTestDigest(_ url: URL) throws -> Int {
    let handle = try FileHandle(forReadingFrom: url)
    defer { try? handle.close() }
    var hasher = Hasher()
    var total = 0
    while true {
        let chunk = handle.readData(ofLength: 4 << 20)
        if chunk.isEmpty { break }
        chunk.withUnsafeBytes { hasher.combine(bytes: $0) }  // Data's own hash reads only a prefix
        total += chunk.count
    }
    hasher.combine(total)
    return hasher.finalize()
}

/// Runs a command (PATH includes the sbin folders) and returns its status and combined output.
@discardableResult
func cloneTestRun(_ arguments: [String]) -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    var environment = ProcessInfo.processInfo.environment
    environment["PATH"] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
    process.environment = environment
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    do { try process.run() } catch { return (127, "\(error)") }
    let output = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: output, as: UTF8.self))
}

/// A pid that certainly belongs to no process: one that has just exited.
func cloneTestDeadPid() -> Int32 {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/true")
    try? process.run()
    process.waitUntilExit()
    return process.processIdentifier
}

/// Small file systems mounted for a test (tmpfs to run out of space, btrfs for reflinks).
/// Each throws XCTSkip with the reason when this machine cannot do it.
enum CloneTestMount {
    static func requireRoot(_ what: String) throws {
        guard getuid() == 0 else { throw XCTSkip("Mounting \(what) needs root; the Linux toolchain root runs tests as root.") }
        #if !os(Linux)
        throw XCTSkip("Mounting \(what) is done with Linux tools only.")
        #endif
    }

    static func tmpfs(sizeKiB: Int) throws -> URL {
        try requireRoot("a tmpfs")
        let mount = try makeTemporaryFolder("tmpfs")
        let result = cloneTestRun(["mount", "-t", "tmpfs", "-o", "size=\(sizeKiB)k,mode=0755", "tmpfs", mount.path])
        guard result.status == 0 else {
            try? FileManager.default.removeItem(at: mount)
            throw XCTSkip("Cannot mount a tmpfs here (mount said: \(result.output.trimmingCharacters(in: .whitespacesAndNewlines))).")
        }
        return mount
    }

    /// A btrfs file system in a sparse image file on a loop device; returns the mount point.
    static func btrfs(sizeMiB: Int) throws -> URL {
        try requireRoot("a btrfs image")
        guard cloneTestRun(["sh", "-c", "command -v mkfs.btrfs"]).status == 0 else {
            throw XCTSkip("mkfs.btrfs is not installed; install btrfs-progs (bash scripts/toolchain/in-root.sh apt-get install -y btrfs-progs).")
        }
        let base = try makeTemporaryFolder("btrfs", create: false)
        let image = base.appendingPathComponent("fs.img")
        let mount = base.appendingPathComponent("mnt")
        try FileManager.default.createDirectory(at: mount, withIntermediateDirectories: true)
        try FileOps.createSparse(at: image, size: UInt64(sizeMiB) << 20)
        let mkfs = cloneTestRun(["mkfs.btrfs", "-q", image.path])
        guard mkfs.status == 0 else {
            try? FileManager.default.removeItem(at: base)
            throw XCTSkip("mkfs.btrfs failed: \(mkfs.output)")
        }
        let mounted = cloneTestRun(["mount", "-o", "loop", image.path, mount.path])
        guard mounted.status == 0 else {
            try? FileManager.default.removeItem(at: base)
            throw XCTSkip("Cannot mount a btrfs image on a loop device here (mount said: \(mounted.output.trimmingCharacters(in: .whitespacesAndNewlines))).")
        }
        return mount
    }

    /// Unmounts and removes what `tmpfs` or `btrfs` made.
    static func remove(_ mount: URL) {
        cloneTestRun(["umount", mount.path])
        if mount.lastPathComponent == "mnt" {
            try? FileManager.default.removeItem(at: mount.deletingLastPathComponent())
        } else {
            try? FileManager.default.removeItem(at: mount)
        }
    }
}
