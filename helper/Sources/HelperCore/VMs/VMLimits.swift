import Foundation

/// Checks requested CPU, memory and disk against what the host has; errors give the limit.
public struct VMLimits: Sendable {
    public var hostCores: Int
    public var hostMemoryBytes: UInt64
    public var freeDiskBytes: UInt64

    public static let minMemoryBytes: UInt64 = 64 << 20
    public static let minDiskBytes: UInt64 = 1 << 20

    public init(hostCores: Int, hostMemoryBytes: UInt64, freeDiskBytes: UInt64) {
        self.hostCores = hostCores
        self.hostMemoryBytes = hostMemoryBytes
        self.freeDiskBytes = freeDiskBytes
    }

    public func checkCPU(_ n: Int) throws {
        guard n >= 1 else { throw HelperError.invalidParams(field: "cpuCount", message: "cpuCount must be at least 1.") }
        guard n <= hostCores else { throw HelperError.limitExceeded(what: "cpuCount", requested: UInt64(n), limit: UInt64(hostCores)) }
    }

    public func checkMemory(_ bytes: UInt64) throws {
        guard bytes >= Self.minMemoryBytes else {
            throw HelperError.invalidParams(field: "memoryBytes", message: "memoryBytes must be at least 64 MiB (\(Self.minMemoryBytes) bytes).")
        }
        guard bytes <= hostMemoryBytes else { throw HelperError.limitExceeded(what: "memoryBytes", requested: bytes, limit: hostMemoryBytes) }
    }

    /// `growth` is how many bytes the disk would add; a sparse overcommit skips the free-space check.
    public func checkDisk(_ bytes: UInt64, growth: UInt64, sparseOvercommit: Bool) throws {
        guard bytes >= Self.minDiskBytes else {
            throw HelperError.invalidParams(field: "diskBytes", message: "diskBytes must be at least 1 MiB (\(Self.minDiskBytes) bytes).")
        }
        guard bytes % 512 == 0 else {
            throw HelperError.invalidParams(field: "diskBytes", message: "diskBytes must be a multiple of 512.")
        }
        if !sparseOvercommit && growth > freeDiskBytes {
            throw HelperError.limitExceeded(what: "diskBytes (free space needed)", requested: growth, limit: freeDiskBytes)
        }
    }
}
