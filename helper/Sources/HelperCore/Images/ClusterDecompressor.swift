import Foundation
import CCompression
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Inflates one compressed qcow2 cluster at a time. One per thread: it keeps its stream state.
/// The compressed bytes may run past the cluster's data (they end on a sector boundary), so the
/// output stops once a whole cluster has come out.
protocol ClusterDecompressor: AnyObject {
    /// Fills `output` (exactly `outputCount` bytes) from `input`; false when the data is damaged.
    func decompress(_ input: UnsafeRawPointer, _ inputCount: Int, into output: UnsafeMutableRawPointer, _ outputCount: Int) -> Bool
}

/// Raw deflate (no zlib header), as qemu writes it.
final class DeflateDecompressor: ClusterDecompressor {
    private var stream = z_stream()

    init() throws {
        // -15: raw deflate with any window up to 32 KiB (qemu writes 4 KiB windows).
        guard inflateInit2_(&stream, -15, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw HelperError.backend("zlib could not start an inflate stream (out of memory?).")
        }
    }

    deinit { inflateEnd(&stream) }

    func decompress(_ input: UnsafeRawPointer, _ inputCount: Int, into output: UnsafeMutableRawPointer, _ outputCount: Int) -> Bool {
        guard inflateReset(&stream) == Z_OK else { return false }
        stream.next_in = UnsafeMutablePointer(mutating: input.assumingMemoryBound(to: Bytef.self))
        stream.avail_in = uInt(inputCount)
        stream.next_out = output.assumingMemoryBound(to: Bytef.self)
        stream.avail_out = uInt(outputCount)
        let status = inflate(&stream, Z_FINISH)
        // Z_BUF_ERROR with a full output: the cluster is complete and padding remains.
        guard status == Z_STREAM_END || (status == Z_BUF_ERROR && stream.avail_out == 0) || (status == Z_OK && stream.avail_out == 0) else { return false }
        return stream.avail_out == 0
    }
}

/// zstd streams (qcow2 v3 compression type 1), through libzstd opened at run time.
final class ZstdDecompressor: ClusterDecompressor {
    private struct Library {
        let create: vmtui_zstd_create_fn
        let free: vmtui_zstd_free_fn
        let reset: vmtui_zstd_init_fn
        let stream: vmtui_zstd_stream_fn
        let isError: vmtui_zstd_iserror_fn
    }

    private static let candidates = [
        "libzstd.so.1", "libzstd.so",
        "libzstd.1.dylib", "/opt/homebrew/lib/libzstd.1.dylib", "/usr/local/lib/libzstd.1.dylib", "/opt/local/lib/libzstd.1.dylib",
    ]

    private static let library: Library? = {
        for name in candidates {
            guard let handle = dlopen(name, RTLD_NOW | RTLD_LOCAL) else { continue }
            func symbol<T>(_ name: String, _ type: T.Type) -> T? { dlsym(handle, name).map { unsafeBitCast($0, to: type) } }
            if let create = symbol("ZSTD_createDStream", vmtui_zstd_create_fn.self),
               let free = symbol("ZSTD_freeDStream", vmtui_zstd_free_fn.self),
               let reset = symbol("ZSTD_initDStream", vmtui_zstd_init_fn.self),
               let stream = symbol("ZSTD_decompressStream", vmtui_zstd_stream_fn.self),
               let isError = symbol("ZSTD_isError", vmtui_zstd_iserror_fn.self) {
                return Library(create: create, free: free, reset: reset, stream: stream, isError: isError)
            }
            dlclose(handle)
        }
        return nil
    }()

    static var isAvailable: Bool { library != nil }

    private let lib: Library
    private let context: UnsafeMutableRawPointer

    init(file: String) throws {
        guard let lib = Self.library, let context = Self.library?.create() else {
            throw ImageErrors.unsupported(file, "its clusters are compressed with zstd, and no zstd library (libzstd) was found on this machine; install zstd (Debian: libzstd1, Homebrew: zstd), or convert the image with deflate compression or none ('qemu-img convert -O qcow2')")
        }
        self.lib = lib
        self.context = context
    }

    deinit { _ = lib.free(context) }

    func decompress(_ input: UnsafeRawPointer, _ inputCount: Int, into output: UnsafeMutableRawPointer, _ outputCount: Int) -> Bool {
        guard lib.isError(lib.reset(context)) == 0 else { return false }
        var inBuffer = vmtui_zstd_in(src: input, size: inputCount, pos: 0)
        var outBuffer = vmtui_zstd_out(dst: output, size: outputCount, pos: 0)
        while outBuffer.pos < outputCount {
            let before = (inBuffer.pos, outBuffer.pos)
            let result = lib.stream(context, &outBuffer, &inBuffer)
            if lib.isError(result) != 0 { return false }
            if result == 0 && outBuffer.pos < outputCount { return false }  // the frame ended short
            if (inBuffer.pos, outBuffer.pos) == before { return false }  // no progress: input ran out
        }
        return true
    }
}
