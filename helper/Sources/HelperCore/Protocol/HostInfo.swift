/// `host/info` (PROTOCOL.md, "Host").
public enum HostInfoRequest: RPCRequestType {
    public typealias Params = EmptyParams
    public typealias Result = HostInfo
    public static let method = "host/info"
}

public struct HostInfo: Codable, Equatable, Sendable {
    public var hostname: String
    public var os: OSInfo
    public var arch: Arch
    public var chip: String
    public var cpuCores: Int
    public var memoryBytes: UInt64
    /// In use now: MemTotal − MemAvailable on Linux; app, wired and compressed memory on macOS.
    public var memoryUsedBytes: UInt64
    public var freeDiskBytes: UInt64
    public var totalDiskBytes: UInt64
    public var vmtuiHome: String
    public var virtualization: VirtualizationInfo
    /// nil where macOS guests cannot run; sent as an explicit `null`.
    public var macosSlots: MacOSSlots?
    public var rosetta: RosettaStatus
    public var nestedVirtualization: Bool
    public var saveRestore: Bool

    public init(hostname: String, os: OSInfo, arch: Arch, chip: String, cpuCores: Int, memoryBytes: UInt64,
                memoryUsedBytes: UInt64, freeDiskBytes: UInt64, totalDiskBytes: UInt64, vmtuiHome: String,
                virtualization: VirtualizationInfo, macosSlots: MacOSSlots?, rosetta: RosettaStatus,
                nestedVirtualization: Bool, saveRestore: Bool) {
        self.hostname = hostname
        self.os = os
        self.arch = arch
        self.chip = chip
        self.cpuCores = cpuCores
        self.memoryBytes = memoryBytes
        self.memoryUsedBytes = memoryUsedBytes
        self.freeDiskBytes = freeDiskBytes
        self.totalDiskBytes = totalDiskBytes
        self.vmtuiHome = vmtuiHome
        self.virtualization = virtualization
        self.macosSlots = macosSlots
        self.rosetta = rosetta
        self.nestedVirtualization = nestedVirtualization
        self.saveRestore = saveRestore
    }

    enum CodingKeys: String, CodingKey {
        case hostname, os, arch, chip, cpuCores, memoryBytes, memoryUsedBytes, freeDiskBytes, totalDiskBytes, vmtuiHome
        case virtualization, macosSlots, rosetta, nestedVirtualization, saveRestore
    }

    // Written by hand only so that a missing `macosSlots` goes out as `null` instead of being dropped.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(hostname, forKey: .hostname)
        try c.encode(os, forKey: .os)
        try c.encode(arch, forKey: .arch)
        try c.encode(chip, forKey: .chip)
        try c.encode(cpuCores, forKey: .cpuCores)
        try c.encode(memoryBytes, forKey: .memoryBytes)
        try c.encode(memoryUsedBytes, forKey: .memoryUsedBytes)
        try c.encode(freeDiskBytes, forKey: .freeDiskBytes)
        try c.encode(totalDiskBytes, forKey: .totalDiskBytes)
        try c.encode(vmtuiHome, forKey: .vmtuiHome)
        try c.encode(virtualization, forKey: .virtualization)
        if let macosSlots { try c.encode(macosSlots, forKey: .macosSlots) } else { try c.encodeNil(forKey: .macosSlots) }
        try c.encode(rosetta, forKey: .rosetta)
        try c.encode(nestedVirtualization, forKey: .nestedVirtualization)
        try c.encode(saveRestore, forKey: .saveRestore)
    }
}

public struct OSInfo: Codable, Equatable, Sendable {
    /// "Linux" or "macOS".
    public var name: String
    /// Distribution (PRETTY_NAME) or macOS product version.
    public var version: String
    /// Kernel release.
    public var kernel: String

    public init(name: String, version: String, kernel: String) {
        self.name = name
        self.version = version
        self.kernel = kernel
    }
}

public enum Accelerator: String, Codable, Sendable {
    case kvm
    case tcg
    case vz
}

public struct VirtualizationInfo: Codable, Equatable, Sendable {
    public var accelerator: Accelerator
    public var hardware: Bool
    /// A sentence for the TUI's header.
    public var note: String

    public init(accelerator: Accelerator, hardware: Bool, note: String) {
        self.accelerator = accelerator
        self.hardware = hardware
        self.note = note
    }
}

public struct MacOSSlots: Codable, Equatable, Sendable {
    public var used: Int
    public var max: Int
    /// The running macOS VMs that hold the slots, sorted.
    public var vms: [String]

    public init(used: Int, max: Int, vms: [String]) {
        self.used = used
        self.max = max
        self.vms = vms
    }
}

public enum RosettaStatus: String, Codable, Sendable {
    case notSupported
    case notInstalled
    case installed
}
