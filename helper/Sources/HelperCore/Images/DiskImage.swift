import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A disk image a VM is made from: raw or qcow2, told apart by its first bytes. `importInto`
/// writes it as a sparse raw disk; the file named is only ever read.
struct DiskImage {
    enum Format: String { case raw, qcow2 }

    let path: String
    let format: Format
    /// The guest-visible size (a raw file's length rounded up to a 512-byte sector).
    let virtualSize: UInt64

    /// Opens `path` and says what it is; refuses formats vmtui does not read, with what to do.
    static func inspect(_ path: String) throws -> DiskImage {
        guard FileOps.isRegularFile(path) else {
            if FileManager.default.fileExists(atPath: path) {
                throw HelperError.invalidParams(field: "image", message: "The image \(path) is not a regular file; give the path of a raw or qcow2 disk image.")
            }
            throw HelperError.missingFile(what: "disk image", path: path)
        }
        let head = try readHead(path, count: 0x8006)
        if Qcow2Reader.isQcow2(head) {
            let reader = try Qcow2Reader(path: path)
            return DiskImage(path: path, format: .qcow2, virtualSize: reader.header.virtualSize)
        }
        if let other = otherFormat(head) {
            throw HelperError.unsupported("The image \(path) is \(other); vmtui imports raw and qcow2 disk images.")
        }
        let size = FileOps.logicalSize(URL(fileURLWithPath: path))
        guard size > 0 else { throw HelperError.invalidParams(field: "image", message: "The image \(path) is empty; give a raw or qcow2 disk image.") }
        return DiskImage(path: path, format: .raw, virtualSize: (size + 511) / 512 * 512)
    }

    /// Formats and wrappers people hand over by mistake, and what to do with them.
    static func otherFormat(_ head: [UInt8]) -> String? {
        func starts(_ bytes: [UInt8], at offset: Int = 0) -> Bool {
            head.count >= offset + bytes.count && Array(head[offset..<offset + bytes.count]) == bytes
        }
        func ascii(_ text: String, at offset: Int = 0) -> Bool { starts(Array(text.utf8), at: offset) }
        if ascii("KDMV") || ascii("# Disk DescriptorFile") { return "a VMDK image; convert it first ('qemu-img convert -O qcow2 IMAGE.vmdk IMAGE.qcow2')" }
        if ascii("vhdxfile") { return "a VHDX image; convert it first ('qemu-img convert -O qcow2 IMAGE.vhdx IMAGE.qcow2')" }
        if ascii("conectix") { return "a VHD image; convert it first ('qemu-img convert -O qcow2 IMAGE.vhd IMAGE.qcow2')" }
        if ascii("<<< ", at: 0) && ascii("VirtualBox", at: 0x0C) || starts([0x7F, 0x10, 0xDA, 0xBE], at: 0x40) {
            return "a VirtualBox (VDI) image; convert it first ('qemu-img convert -O qcow2 IMAGE.vdi IMAGE.qcow2')"
        }
        if starts([0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00]) { return "xz-compressed; decompress it first ('xz -dk FILE')" }
        if starts([0x1F, 0x8B]) { return "gzip-compressed (or a .tar.gz); decompress or unpack it first" }
        if starts([0x28, 0xB5, 0x2F, 0xFD]) { return "zstd-compressed; decompress it first ('zstd -d FILE')" }
        if starts([0x42, 0x5A, 0x68]) { return "bzip2-compressed; decompress it first ('bunzip2 -k FILE')" }
        if ascii("ustar", at: 257) { return "a tar archive; unpack the disk image from it first" }
        if ascii("CD001", at: 0x8001) { return "an ISO 9660 installer image; create the VM with '--iso' to boot it as a CD instead" }
        return nil
    }

    private static func readHead(_ path: String, count: Int) throws -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw HelperError.fromErrno(errno, path: path, action: "open") }
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: count)
        let got = try bytes.withUnsafeMutableBytes { try CloneFile.readFully(fd, $0.baseAddress!, count, at: 0, path: path) }
        bytes.removeLast(count - got)
        return bytes
    }

    /// Bytes the import may write (data clusters of a qcow2, allocated blocks of a raw file),
    /// for the free-space check.
    func dataBytes() throws -> UInt64 {
        switch format {
        case .raw: return min(virtualSize, FileOps.allocatedBytes(URL(fileURLWithPath: path)))
        case .qcow2: return try Qcow2Reader(path: path).dataBytes()
        }
    }

    /// Writes the image as the new sparse raw file `destination` of `size` bytes (≥ virtualSize).
    /// Nothing is left at `destination` on failure. `progress` gets the guest bytes done.
    func importInto(_ destination: URL, size: UInt64, threads: Int? = nil, progress: @escaping @Sendable (UInt64) -> Void,
                    isCancelled: @escaping @Sendable () -> Bool) throws {
        precondition(size >= virtualSize)
        switch format {
        case .raw:
            // A reflink or clonefile shares blocks with the source until either side writes, so
            // the user's file stays as it is; elsewhere the sparse copy keeps holes as holes.
            progress(0)
            try CloneFile.clone(URL(fileURLWithPath: path), to: destination)
            do {
                if isCancelled() { throw HelperError.cancelled("Importing \(path)") }
                // Owner read/write only, whatever the source's mode was (bundle files are 0600).
                guard chmod(destination.path, 0o600) == 0 else { throw HelperError.fromErrno(errno, path: destination.path, action: "set the mode of") }
                if size != FileOps.logicalSize(destination) { try FileOps.grow(destination, to: size) }
            } catch {
                try? SafeFile.remove(destination, .file)
                throw error
            }
            progress(virtualSize)
        case .qcow2:
            let reader = try Qcow2Reader(path: path)
            let fd = try SafeFile.createNew(destination)
            var done = false
            defer {
                close(fd)
                if !done { try? SafeFile.remove(destination, .file) }
            }
            guard ftruncate(fd, off_t(size)) == 0 else { throw HelperError.fromErrno(errno, path: destination.path, action: "size") }
            try reader.convert(to: fd, destinationPath: destination.path, threads: threads ?? ProcessInfo.processInfo.activeProcessorCount,
                               progress: progress, isCancelled: isCancelled)
            guard fsync(fd) == 0 else { throw HelperError.fromErrno(errno, path: destination.path, action: "write") }
            done = true
        }
    }
}
