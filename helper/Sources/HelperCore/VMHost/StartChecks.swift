import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What must hold before a guest starts, each failure one sentence (never only the hypervisor's
/// text): the disk is there, a regular file of the configured size; the firmware store is a
/// regular file; the file system has room for logs and state. Run by serve before it launches a
/// host, and by the host itself (which other routes may start).
public enum StartChecks {
    /// Room for console.log, events.jsonl, host.log and qemu.log to grow a little.
    public static var minimumFreeBytes: UInt64 {
        ProcessInfo.processInfo.environment["VMTUI_START_MIN_FREE_BYTES"].flatMap(UInt64.init) ?? 4 << 20
    }

    public static func verify(_ bundle: VMBundle, _ config: VMConfig) throws {
        var st = stat()
        guard lstat(bundle.disk.path, &st) == 0 else {
            if errno == ENOENT {
                throw HelperError.missingFile(what: "disk", path: bundle.disk.path)
            }
            throw HelperError.fromErrno(errno, path: bundle.disk.path, action: "look at")
        }
        try SafeFile.requireKind(bundle.disk, .file, absentOK: false)
        guard UInt64(st.st_size) == config.diskBytes else {
            throw HelperError.backend("The disk \(bundle.disk.path) holds \(st.st_size) bytes but VM '\(bundle.name)' is configured for \(config.diskBytes); restore the disk from a snapshot, or recreate the VM.")
        }
        if case .efi = config.boot { try SafeFile.requireKind(bundle.efiVars, .file) }
        try SafeFile.requireKind(bundle.auxStorage, .file)
        if let free = try? DiskSpace.of(bundle.url.path).freeBytes, free < minimumFreeBytes {
            throw HelperError.diskFull(path: bundle.url.path)
        }
    }
}
