import Foundation

/// The VM methods (PROTOCOL.md, "VMs" and "Console"). The serve process answers them for its
/// client; a per-VM host answers the lifecycle and console ones on its control socket.

public struct VMNameParams: Codable, Equatable, Sendable {
    public var name: String
    public init(name: String) { self.name = name }
}

public struct VMCreateParams: Codable, Equatable, Sendable {
    public var name: String
    public var os: GuestOS?
    /// Provisioning (Provision/): the guest user (default: the host user's name), public key files
    /// (default ~/.ssh/*.pub), a user-data file, and `provision: false` for no seed. An image VM
    /// is provisioned by default.
    public var user: String?
    public var sshKeyFiles: [String]?
    public var userData: String?
    public var provision: Bool?
    public var cpuCount: Int?
    public var memoryBytes: UInt64?
    public var diskBytes: UInt64?
    /// Required unless `image` is given (an image VM boots EFI from its own disk by default).
    public var boot: BootConfig?
    /// Allow a sparse disk larger than the free space now (it only fills as the guest writes).
    public var sparseOvercommit: Bool?
    /// macOS guests: the local restore image (.ipsw) that `vm/install` installs from.
    public var ipsw: String?
    /// The guest's screen size; absent: the default for the boot kind (VMDisplay.swift).
    public var display: DisplaySize?
    /// No screen at all (wins over `display`).
    public var noDisplay: Bool?
    /// Where the VNC server listens: "socket" (default) or "tcp" (127.0.0.1 with a password).
    public var vnc: VNCServerKind?
    /// Host ports forwarded to guest ports (besides SSH).
    public var forwards: [PortForward]?
    /// A raw or qcow2 disk image (absolute path, or http(s) URL downloaded into cache/images/)
    /// that becomes the VM's disk (Images/, VMs/ImageCreate.swift).
    public var image: String?
    /// Hex SHA-256 the image (file or download) must have.
    public var sha256: String?
    /// Host folders shared with the guest (Store/VMShares.swift).
    public var shares: [ShareParams]?
    /// Rosetta for a Linux guest (VZ on Apple silicon), nested virtualization, a macOS guest's keyboard.
    public var rosetta: Bool?
    public var nestedVirtualization: Bool?
    public var keyboard: KeyboardKind?
}

public struct VMRenameParams: Codable, Equatable, Sendable {
    public var name: String
    public var newName: String
}

public struct VMConfigureParams: Codable, Equatable, Sendable {
    public var name: String
    public var cpuCount: Int?
    public var memoryBytes: UInt64?
    public var diskBytes: UInt64?
    /// Remove the install ISO from an EFI guest once it is installed.
    public var detachISO: Bool?
    public var sparseOvercommit: Bool?
    public var display: DisplaySize?
    public var noDisplay: Bool?
    public var vnc: VNCServerKind?
    /// A new host port for the guest's SSH (stopped VMs only).
    public var sshPort: Int?
    /// Forwards to add and host ports to remove; a running QEMU guest gets them at once.
    public var addForwards: [PortForward]?
    public var removeForwards: [ForwardRemoval]?
    /// Kernel-boot VMs only: a new kernel, initrd ("" removes it) or command line.
    public var kernel: String?
    public var initrd: String?
    public var cmdline: String?
    /// Shares to add and tags to remove.
    public var addShares: [ShareParams]?
    public var removeShares: [String]?
    /// true turns on, false off; absent leaves it as it is.
    public var rosetta: Bool?
    public var nestedVirtualization: Bool?
    public var keyboard: KeyboardKind?
}

public struct VMStopParams: Codable, Equatable, Sendable {
    public var name: String
    /// Skip the power button and quit the hypervisor at once.
    public var force: Bool?
    /// How long the guest gets to power off after the power button (default `defaultTimeoutMs`).
    public var timeoutMs: Int?

    /// timeoutMs when it is absent (the TypeScript side: DEFAULT_STOP_TIMEOUT_MS).
    public static let defaultTimeoutMs = 30_000
    /// timeoutMs in seconds, the default when absent.
    public var timeout: TimeInterval { Double(timeoutMs ?? Self.defaultTimeoutMs) / 1000 }
}

/// A VM as the client sees it: its configuration plus live state.
public struct VMInfo: Codable, Equatable, Sendable {
    public var name: String
    public var state: VMState
    public var stateReason: String?
    public var os: GuestOS
    public var arch: String
    public var cpuCount: Int
    public var memoryBytes: UInt64
    public var diskBytes: UInt64
    public var diskAllocatedBytes: UInt64
    public var macAddress: String
    public var boot: BootConfig
    public var createdAt: String
    public var hostPid: Int32?
    public var vmPid: Int32?
    public var accelerator: String?
    public var sshAddress: String?
    public var startedAt: String?
    /// The guest's own address where the backend knows it (VZ NAT), with its source and age.
    public var address: GuestAddress?
    /// The guest's screen size; absent when it has none.
    public var display: DisplaySize?
    /// Where SSH reaches the guest and whether it answers (PROTOCOL.md "Guest access").
    public var ssh: VMSSHInfo?
    public var forwards: [PortForward]?
    /// Shared folders, and how a QEMU host carries them (absent when there are none).
    public var shares: [SharedFolder]?
    public var sharing: ShareTransportInfo?
    /// Present only when set.
    public var rosetta: Bool?
    public var nestedVirtualization: Bool?
    public var keyboard: KeyboardKind?
}

/// How shares reach the guest: "virtiofs", or "9p" with a sentence saying why and what that means.
public struct ShareTransportInfo: Codable, Equatable, Sendable {
    public var transport: String
    public var note: String?

    public init(transport: String, note: String? = nil) {
        self.transport = transport
        self.note = note
    }
}

public struct VMListResult: Codable, Equatable, Sendable {
    public var vms: [VMInfo]
    /// Bundles that could not be read, each with a sentence (a corrupt config.json, say).
    public var problems: [VMProblem]
}

public struct VMProblem: Codable, Equatable, Sendable {
    public var name: String
    public var message: String
}

/// What a per-VM host reports about its guest.
public struct HostStatus: Codable, Equatable, Sendable {
    public var state: VMState
    public var stateReason: String?
    public var hostPid: Int32
    public var vmPid: Int32?
    public var accelerator: String
    public var sshAddress: String?
    public var startedAt: String
    public var address: GuestAddress?
    public var ssh: VMSSHInfo?
}

public struct ConsoleWriteParams: Codable, Equatable, Sendable {
    public var name: String
    public var data: String
}

public struct ConsoleAttachResult: Codable, Equatable, Sendable {
    /// The recent console output (the tail of console.log), shown before live data.
    public var tail: String
}

public struct StateChangedParams: Codable, Equatable, Sendable {
    public var name: String
    public var state: VMState
    /// A stop-ladder step: "powerButton", "forceQuit".
    public var step: String?
    public var reason: String?
    public var time: String
    /// Sent when the guest's SSH starts or stops answering (the state itself may be unchanged).
    public var sshReady: Bool?
}

public struct ConsoleDataParams: Codable, Equatable, Sendable {
    public var name: String
    public var data: String
}

public enum VMListRequest: RPCRequestType { public typealias Params = EmptyParams; public typealias Result = VMListResult; public static let method = "vm/list" }
public enum VMGetRequest: RPCRequestType { public typealias Params = VMNameParams; public typealias Result = VMInfo; public static let method = "vm/get" }
public enum VMCreateRequest: RPCRequestType { public typealias Params = VMCreateParams; public typealias Result = VMInfo; public static let method = "vm/create" }
public enum VMDeleteRequest: RPCRequestType { public typealias Params = VMNameParams; public typealias Result = NullResult; public static let method = "vm/delete" }
public enum VMRenameRequest: RPCRequestType { public typealias Params = VMRenameParams; public typealias Result = VMInfo; public static let method = "vm/rename" }
public enum VMConfigureRequest: RPCRequestType { public typealias Params = VMConfigureParams; public typealias Result = VMInfo; public static let method = "vm/configure" }
public enum VMStartRequest: RPCRequestType { public typealias Params = VMNameParams; public typealias Result = VMInfo; public static let method = "vm/start" }
// Serve answers these with the VM's VMInfo; the per-VM host answers with its HostStatus only (a
// subset: the running state), which serve completes with the bundle's facts.
public enum VMStopRequest: HostRequestType { public typealias Params = VMStopParams; public typealias Result = VMInfo; public typealias HostResult = HostStatus; public static let method = "vm/stop" }
public enum VMPauseRequest: HostRequestType { public typealias Params = VMNameParams; public typealias Result = VMInfo; public typealias HostResult = HostStatus; public static let method = "vm/pause" }
public enum VMResumeRequest: HostRequestType { public typealias Params = VMNameParams; public typealias Result = VMInfo; public typealias HostResult = HostStatus; public static let method = "vm/resume" }
public enum ConsoleAttachRequest: HostRequestType { public typealias Params = VMNameParams; public typealias Result = ConsoleAttachResult; public static let method = "console/attach" }
public enum ConsoleWriteRequest: HostRequestType { public typealias Params = ConsoleWriteParams; public typealias Result = NullResult; public static let method = "console/write" }
public enum ConsoleDetachRequest: HostRequestType { public typealias Params = VMNameParams; public typealias Result = NullResult; public static let method = "console/detach" }
/// Host control socket only.
public enum HostStatusRequest: HostRequestType { public typealias Params = VMNameParams; public typealias Result = HostStatus; public static let method = "host/status" }

public enum StateChangedNotification: RPCNotificationType { public typealias Params = StateChangedParams; public static let method = "vm/stateChanged" }
public enum ConsoleDataNotification: RPCNotificationType { public typealias Params = ConsoleDataParams; public static let method = "console/data" }

extension VMNameParams: VMNamed {}
extension VMStopParams: VMNamed {}
extension ConsoleWriteParams: VMNamed {}
