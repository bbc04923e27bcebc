import Foundation

/// The parts of a qcow2 header (versions 2 and 3, big-endian; QEMU's docs/interop/qcow2.txt) the
/// reader needs. Whatever it cannot turn into a standalone raw disk is refused with a sentence.
struct Qcow2Header: Equatable {
    enum Compression: Equatable { case deflate, zstd }

    static let magic: [UInt8] = [0x51, 0x46, 0x49, 0xFB]  // "QFI\xfb"

    var version: UInt32
    var clusterBits: UInt32
    var virtualSize: UInt64
    var l1Size: UInt32
    var l1TableOffset: UInt64
    var compression: Compression

    var clusterSize: Int { 1 << Int(clusterBits) }
    /// L2 entries per table (8 bytes each, one cluster per table).
    var l2Entries: Int { clusterSize / 8 }

    /// Parses the first bytes of `file` (at least 112 of them, or the whole file if shorter).
    /// `readBackingName` reads the backing file's name for the refusal sentence.
    static func parse(_ bytes: [UInt8], file: String, readBackingName: (UInt64, UInt32) -> String? = { _, _ in nil }) throws -> Qcow2Header {
        guard bytes.count >= 72, Array(bytes[0..<4]) == magic else {
            throw ImageErrors.invalid(file, "it does not start with a qcow2 header")
        }
        func u32(_ at: Int) -> UInt32 { bytes[at..<at + 4].reduce(0) { $0 << 8 | UInt32($1) } }
        func u64(_ at: Int) -> UInt64 { bytes[at..<at + 8].reduce(0) { $0 << 8 | UInt64($1) } }

        let version = u32(4)
        guard version == 2 || version == 3 else {
            throw ImageErrors.unsupported(file, "it is qcow2 version \(version), and vmtui reads versions 2 and 3")
        }
        let backingOffset = u64(8)
        if backingOffset != 0 {
            let name = readBackingName(backingOffset, u32(16)).map { " ('\($0)')" } ?? ""
            throw ImageErrors.unsupported(file, "it has a backing file\(name) and holds only the changes to it; make a standalone image first (for example 'qemu-img convert -O qcow2 \(file) standalone.qcow2')")
        }
        let clusterBits = u32(20)
        guard (9...21).contains(clusterBits) else { throw ImageErrors.invalid(file, "its cluster size (2^\(clusterBits) bytes) is out of range") }
        if u32(32) != 0 {
            throw ImageErrors.unsupported(file, "it is encrypted; decrypt it first (for example with 'qemu-img convert --object secret,… -O qcow2')")
        }
        var compression = Compression.deflate
        if version == 3 {
            guard bytes.count >= 104 else { throw ImageErrors.invalid(file, "its version 3 header is cut short") }
            let incompatible = u64(72)
            let headerLength = Int(u32(100))
            if incompatible & (1 << 1) != 0 { throw ImageErrors.unsupported(file, "qemu marked it corrupt; repair it first with 'qemu-img check -r all'") }
            if incompatible & (1 << 2) != 0 { throw ImageErrors.unsupported(file, "its data lives in an external data file; convert it to a single file first ('qemu-img convert -O qcow2')") }
            if incompatible & (1 << 4) != 0 { throw ImageErrors.unsupported(file, "it uses extended L2 entries (subclusters); convert it without them first ('qemu-img convert -O qcow2')") }
            let known: UInt64 = (1 << 0) | (1 << 1) | (1 << 2) | (1 << 3) | (1 << 4)
            if incompatible & ~known != 0 {
                throw ImageErrors.unsupported(file, "it uses qcow2 features newer than vmtui knows (incompatible feature bits 0x\(String(incompatible & ~known, radix: 16)))")
            }
            if incompatible & (1 << 3) != 0 {
                guard headerLength > 104, bytes.count > 104 else { throw ImageErrors.invalid(file, "it names a compression type but its header has none") }
                switch bytes[104] {
                case 0: compression = .deflate
                case 1: compression = .zstd
                case let other: throw ImageErrors.unsupported(file, "its clusters use compression type \(other), which vmtui does not know")
                }
            }
            // Bit 0 (dirty) only means the refcounts may be stale; the data reads the same.
        }
        let header = Qcow2Header(version: version, clusterBits: clusterBits, virtualSize: u64(24), l1Size: u32(36),
                                 l1TableOffset: u64(40), compression: compression)
        let covered = UInt64(header.l1Size) * UInt64(header.l2Entries) * UInt64(header.clusterSize)
        guard covered >= header.virtualSize else { throw ImageErrors.invalid(file, "its L1 table is too small for its size") }
        guard header.l1TableOffset % 512 == 0 else { throw ImageErrors.invalid(file, "its L1 table is not aligned") }
        return header
    }
}

/// Sentences for images vmtui cannot import.
enum ImageErrors {
    static func invalid(_ file: String, _ why: String) -> HelperError {
        HelperError.invalidParams(field: "image", message: "The image \(file) cannot be read as qcow2: \(why). Check that the file is complete (a download may have been cut short).")
    }

    static func unsupported(_ file: String, _ why: String) -> HelperError {
        HelperError.unsupported("The image \(file) cannot be imported: \(why).")
    }
}
