import Foundation

/// What kind of file a kernel is, read from its first bytes. Virtualization.framework's Linux boot
/// loader takes only an uncompressed arm64 `Image`; distributions ship `vmlinuz` compressed.
public enum KernelFormat: Equatable, Sendable {
    case arm64Image
    case compressed(String)   // gzip, zstd, xz, bzip2, lz4
    case efiZboot(String)     // an EFI application that unpacks a compressed kernel (CONFIG_EFI_ZBOOT)
    case other

    /// `header` is the file's first 64 bytes (or fewer, for a short file).
    public static func detect(_ header: [UInt8]) -> KernelFormat {
        func at(_ offset: Int, _ bytes: [UInt8]) -> Bool {
            header.count >= offset + bytes.count && Array(header[offset..<offset + bytes.count]) == bytes
        }
        if at(0x38, Array("ARM\u{64}".utf8)) { return .arm64Image }  // arm64 boot protocol magic
        if at(0, [0x1F, 0x8B]) { return .compressed("gzip") }
        if at(0, [0x28, 0xB5, 0x2F, 0xFD]) { return .compressed("zstd") }
        if at(0, [0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00]) { return .compressed("xz") }
        if at(0, Array("BZh".utf8)) { return .compressed("bzip2") }
        if at(0, [0x02, 0x21, 0x4C, 0x18]) || at(0, [0x04, 0x22, 0x4D, 0x18]) { return .compressed("lz4") }
        if at(0, Array("MZ".utf8)) && at(4, Array("zimg".utf8)) {
            // The zboot header names its payload's compression at offset 24, NUL-padded.
            let name = header.count >= 32 ? String(decoding: header[24..<32].prefix { $0 != 0 }, as: UTF8.self) : ""
            return .efiZboot(name.isEmpty ? "compressed" : name)
        }
        return .other
    }

    /// Why Virtualization.framework's Linux boot loader cannot start `path`, or nil when it can.
    public static func vzProblem(path: String, _ format: KernelFormat) -> String? {
        let advice = "Give vmtui the uncompressed arm64 kernel ('Image'), or create the VM from a disk or cloud image so it boots through EFI with the guest's own kernel."
        switch format {
        case .arm64Image:
            return nil
        case .compressed(let kind) where kind == "gzip":
            return "The kernel \(path) is gzip-compressed (a 'vmlinuz'), and Virtualization.framework boots only an uncompressed arm64 Image. Decompress it first (gunzip -c \(path) > Image) and pass that file. \(advice)"
        case .compressed(let kind):
            return "The kernel \(path) is \(kind)-compressed, and Virtualization.framework boots only an uncompressed arm64 Image. Decompress it first and pass that file. \(advice)"
        case .efiZboot(let kind):
            return "The kernel \(path) is an EFI zboot image (a \(kind)-compressed kernel inside an EFI application), which Virtualization.framework's Linux boot loader cannot start. \(advice)"
        case .other:
            return "The file \(path) is not an arm64 Linux kernel Image (no 'ARM\\x64' magic at byte 56). \(advice)"
        }
    }

    /// The first 64 bytes of a file.
    public static func header(of path: String) throws -> [UInt8] {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw HelperError.missingFile(what: "kernel", path: path)
        }
        defer { try? handle.close() }
        return Array((try handle.read(upToCount: 64)) ?? Data())
    }
}

extension KernelFormat {
    /// For Virtualization.framework: a kernel-boot VM's kernel must be an uncompressed arm64 Image.
    public static func checkForVZ(_ config: VMConfig) throws {
        guard case let .kernel(kernel, _, _) = config.boot else { return }
        if let problem = vzProblem(path: kernel, detect(try header(of: kernel))) {
            throw HelperError.unsupported(problem)
        }
    }
}
