import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
#if canImport(CryptoKit)
import CryptoKit
#endif

/// SHA-256 with the platform's own fast code: CryptoKit on macOS; on Linux OpenSSL's libcrypto,
/// loaded at run time because only its shared library (which libcurl, and so URLSession, needs
/// anyway) is there, not its headers.
struct SHA256Digester {
    #if canImport(CryptoKit)
    private var hasher = CryptoKit.SHA256()

    init() throws {}

    mutating func update(_ bytes: UnsafeRawBufferPointer) {
        hasher.update(bufferPointer: bytes)
    }

    mutating func finalizeHex() -> String {
        hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }
    #else
    private let context: LibCrypto.Context

    init() throws {
        context = try LibCrypto.shared().makeContext()
    }

    mutating func update(_ bytes: UnsafeRawBufferPointer) {
        context.update(bytes)
    }

    mutating func finalizeHex() -> String {
        context.finalize().map { String(format: "%02x", $0) }.joined()
    }
    #endif

    /// The SHA-256 of a whole file, read in 1 MiB blocks; `onBlock(bytesSoFar)` runs after each
    /// block and may throw to stop (cancellation).
    static func hashFile(_ url: URL, onBlock: (UInt64) throws -> Void) throws -> String {
        let fd = open(url.path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw HelperError.fromErrno(errno, path: url.path, action: "open") }
        defer { close(fd) }
        var digester = try SHA256Digester()
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { buffer.deallocate() }
        var total: UInt64 = 0
        while true {
            let n = read(fd, buffer.baseAddress, buffer.count)
            if n < 0 {
                if errno == EINTR { continue }
                throw HelperError.fromErrno(errno, path: url.path, action: "read")
            }
            if n == 0 { break }
            digester.update(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
            total += UInt64(n)
            try onBlock(total)
        }
        return digester.finalizeHex()
    }
}

#if !canImport(CryptoKit)
/// The five EVP calls SHA-256 needs, from libcrypto.so.3 (or 1.1) found with dlopen.
final class LibCrypto: @unchecked Sendable {
    private typealias NewContext = @convention(c) () -> OpaquePointer?
    private typealias FreeContext = @convention(c) (OpaquePointer?) -> Void
    private typealias Algorithm = @convention(c) () -> OpaquePointer?
    private typealias Init = @convention(c) (OpaquePointer?, OpaquePointer?, OpaquePointer?) -> Int32
    private typealias Update = @convention(c) (OpaquePointer?, UnsafeRawPointer?, Int) -> Int32
    private typealias Final = @convention(c) (OpaquePointer?, UnsafeMutablePointer<UInt8>?, UnsafeMutablePointer<UInt32>?) -> Int32

    private let newContext: NewContext
    private let freeContext: FreeContext
    private let sha256: Algorithm
    private let initDigest: Init
    private let updateDigest: Update
    private let finalDigest: Final

    private static let loaded: Result<LibCrypto, HelperError> = load()

    static func shared() throws -> LibCrypto { try loaded.get() }

    private init(_ handle: UnsafeMutableRawPointer) throws {
        func symbol<T>(_ name: String, _ type: T.Type) throws -> T {
            guard let pointer = dlsym(handle, name) else {
                throw HelperError.unsupported("The libcrypto found on this system lacks \(name); install OpenSSL 3 (Debian/Ubuntu: 'apt install libssl3') so downloads can be checked.")
            }
            return unsafeBitCast(pointer, to: type)
        }
        newContext = try symbol("EVP_MD_CTX_new", NewContext.self)
        freeContext = try symbol("EVP_MD_CTX_free", FreeContext.self)
        sha256 = try symbol("EVP_sha256", Algorithm.self)
        initDigest = try symbol("EVP_DigestInit_ex", Init.self)
        updateDigest = try symbol("EVP_DigestUpdate", Update.self)
        finalDigest = try symbol("EVP_DigestFinal_ex", Final.self)
    }

    private static func load() -> Result<LibCrypto, HelperError> {
        for name in ["libcrypto.so.3", "libcrypto.so.1.1", "libcrypto.so"] {
            guard let handle = dlopen(name, RTLD_NOW | RTLD_LOCAL) else { continue }
            return Result { try LibCrypto(handle) }.mapError { $0 as? HelperError ?? .unsupported("\($0)") }
        }
        return .failure(.unsupported("Checking a download's SHA-256 needs OpenSSL's libcrypto (libcrypto.so.3 or libcrypto.so.1.1), which this system does not have; install it (Debian/Ubuntu: 'apt install libssl3') and try again."))
    }

    final class Context {
        private let library: LibCrypto
        private let pointer: OpaquePointer

        fileprivate init(_ library: LibCrypto, _ pointer: OpaquePointer) {
            self.library = library
            self.pointer = pointer
        }

        deinit { library.freeContext(pointer) }

        func update(_ bytes: UnsafeRawBufferPointer) {
            guard bytes.count > 0 else { return }
            _ = library.updateDigest(pointer, bytes.baseAddress, bytes.count)
        }

        func finalize() -> [UInt8] {
            var out = [UInt8](repeating: 0, count: 32)
            var length: UInt32 = 0
            _ = library.finalDigest(pointer, &out, &length)
            return out
        }
    }

    func makeContext() throws -> Context {
        let pointer = newContext()
        guard let pointer, initDigest(pointer, sha256(), nil) == 1 else {
            freeContext(pointer)
            throw HelperError.backend("OpenSSL could not start a SHA-256 digest; the download cannot be checked. Reinstall OpenSSL (libssl3) and try again.")
        }
        return Context(self, pointer)
    }
}
#endif
