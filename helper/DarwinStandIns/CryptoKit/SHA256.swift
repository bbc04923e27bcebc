// A stand-in for the part of Apple's CryptoKit that vmtui uses (SHA-256), with Apple's Swift
// signatures, so the macOS branch of SHA256Digester is type-checked on Linux by
// scripts/check-darwin.sh. Never linked or run: bodies trap.

public protocol Digest: Sequence, Hashable, Sendable where Element == UInt8 {
    static var byteCount: Int { get }
}

public protocol HashFunction: Sendable {
    associatedtype Digest: CryptoKit.Digest
    init()
    mutating func update(bufferPointer: UnsafeRawBufferPointer)
    func finalize() -> Digest
}

public struct SHA256Digest: Digest {
    public static var byteCount: Int { 32 }
    public func makeIterator() -> Array<UInt8>.Iterator { fatalError("CryptoKit stand-in") }
}

public struct SHA256: HashFunction {
    public typealias Digest = SHA256Digest
    public init() {}
    public mutating func update(bufferPointer: UnsafeRawBufferPointer) { fatalError("CryptoKit stand-in") }
    public func finalize() -> SHA256Digest { fatalError("CryptoKit stand-in") }
}
