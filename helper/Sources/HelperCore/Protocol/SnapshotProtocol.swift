import Foundation

/// `vm/clone` and `snapshot/*` (PROTOCOL.md, "Snapshots and clones").

public struct VMCloneParams: Codable, Equatable, Sendable {
    public var source: String
    public var target: String
    public init(source: String, target: String) {
        self.source = source
        self.target = target
    }
}

public struct VMCloneResult: Codable, Equatable, Sendable {
    /// The new VM (stopped).
    public var vm: VMInfo
    public var strategy: CloneStrategy
    /// The source was running: it was paused for the clone and resumed after it.
    public var pausedForClone: Bool
}

public struct SnapshotCreateParams: Codable, Equatable, Sendable {
    public var vm: String
    public var name: String
    public var note: String?
    public init(vm: String, name: String, note: String? = nil) {
        self.vm = vm
        self.name = name
        self.note = note
    }
}

/// `{vm, name}`: one snapshot of one VM (restore, delete).
public struct SnapshotRefParams: Codable, Equatable, Sendable {
    public var vm: String
    public var name: String
    public init(vm: String, name: String) {
        self.vm = vm
        self.name = name
    }
}

public struct SnapshotListParams: Codable, Equatable, Sendable {
    public var vm: String
    public init(vm: String) { self.vm = vm }
}

/// Logical bytes (file lengths) and allocated bytes (blocks the files reference; blocks shared by
/// copy-on-write clones are counted once per file, so sums can exceed the space really used).
public struct SpaceUsage: Codable, Equatable, Sendable {
    public var logicalBytes: UInt64
    public var allocatedBytes: UInt64
    public init(logicalBytes: UInt64 = 0, allocatedBytes: UInt64 = 0) {
        self.logicalBytes = logicalBytes
        self.allocatedBytes = allocatedBytes
    }

    public static func + (a: SpaceUsage, b: SpaceUsage) -> SpaceUsage {
        SpaceUsage(logicalBytes: a.logicalBytes + b.logicalBytes, allocatedBytes: a.allocatedBytes + b.allocatedBytes)
    }
}

/// One node of a VM's snapshot tree.
public struct SnapshotInfo: Codable, Equatable, Sendable {
    public var name: String
    /// The snapshot this one descends from; null for a root.
    public var parent: String?
    /// Snapshots whose parent is this one, oldest first.
    public var children: [String]
    public var createdAt: String
    public var note: String?
    public var logicalBytes: UInt64
    public var allocatedBytes: UInt64
    /// How its files were cloned when it was made.
    public var strategy: CloneStrategy
    /// It holds a saved machine state (state.save), so a restore resumes rather than boots.
    public var savedState: Bool

    private enum Keys: String, CodingKey {
        case name, parent, children, createdAt, note, logicalBytes, allocatedBytes, strategy, savedState
    }

    public init(name: String, parent: String?, children: [String], createdAt: String, note: String?,
                logicalBytes: UInt64, allocatedBytes: UInt64, strategy: CloneStrategy, savedState: Bool) {
        self.name = name
        self.parent = parent
        self.children = children
        self.createdAt = createdAt
        self.note = note
        self.logicalBytes = logicalBytes
        self.allocatedBytes = allocatedBytes
        self.strategy = strategy
        self.savedState = savedState
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        name = try c.decode(String.self, forKey: .name)
        parent = try c.decodeIfPresent(String.self, forKey: .parent)
        children = try c.decode([String].self, forKey: .children)
        createdAt = try c.decode(String.self, forKey: .createdAt)
        note = try c.decodeIfPresent(String.self, forKey: .note)
        logicalBytes = try c.decode(UInt64.self, forKey: .logicalBytes)
        allocatedBytes = try c.decode(UInt64.self, forKey: .allocatedBytes)
        strategy = try c.decode(CloneStrategy.self, forKey: .strategy)
        savedState = try c.decode(Bool.self, forKey: .savedState)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(name, forKey: .name)
        try c.encode(parent, forKey: .parent)  // null for a root, never absent
        try c.encode(children, forKey: .children)
        try c.encode(createdAt, forKey: .createdAt)
        try c.encodeIfPresent(note, forKey: .note)
        try c.encode(logicalBytes, forKey: .logicalBytes)
        try c.encode(allocatedBytes, forKey: .allocatedBytes)
        try c.encode(strategy, forKey: .strategy)
        try c.encode(savedState, forKey: .savedState)
    }
}

public struct SnapshotListResult: Codable, Equatable, Sendable {
    public var vm: String
    /// Every snapshot, oldest first; `parent`/`children` make the tree.
    public var snapshots: [SnapshotInfo]
    /// The snapshot the VM's present disk descends from (the last one made or restored); null when none.
    public var current: String?
    /// The VM's own files (everything in its bundle outside snapshots/).
    public var vmSpace: SpaceUsage
    /// All its snapshots together.
    public var snapshotsSpace: SpaceUsage
    /// Snapshot folders whose meta.json cannot be read, each with a sentence; never dropped silently.
    public var problems: [VMProblem]

    private enum Keys: String, CodingKey { case vm, snapshots, current, vmSpace, snapshotsSpace, problems }

    public init(vm: String, snapshots: [SnapshotInfo], current: String?, vmSpace: SpaceUsage, snapshotsSpace: SpaceUsage,
                problems: [VMProblem]) {
        self.vm = vm
        self.snapshots = snapshots
        self.current = current
        self.vmSpace = vmSpace
        self.snapshotsSpace = snapshotsSpace
        self.problems = problems
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        vm = try c.decode(String.self, forKey: .vm)
        snapshots = try c.decode([SnapshotInfo].self, forKey: .snapshots)
        current = try c.decodeIfPresent(String.self, forKey: .current)
        vmSpace = try c.decode(SpaceUsage.self, forKey: .vmSpace)
        snapshotsSpace = try c.decode(SpaceUsage.self, forKey: .snapshotsSpace)
        problems = try c.decode([VMProblem].self, forKey: .problems)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(vm, forKey: .vm)
        try c.encode(snapshots, forKey: .snapshots)
        try c.encode(current, forKey: .current)  // null when none, never absent
        try c.encode(vmSpace, forKey: .vmSpace)
        try c.encode(snapshotsSpace, forKey: .snapshotsSpace)
        try c.encode(problems, forKey: .problems)
    }
}

public struct SnapshotRestoreResult: Codable, Equatable, Sendable {
    /// The VM as restored (stopped).
    public var vm: VMInfo
    /// The snapshot it now descends from.
    public var current: String
    public var strategy: CloneStrategy
}

public enum VMCloneRequest: RPCRequestType { public typealias Params = VMCloneParams; public typealias Result = VMCloneResult; public static let method = "vm/clone" }
public enum SnapshotCreateRequest: RPCRequestType { public typealias Params = SnapshotCreateParams; public typealias Result = SnapshotInfo; public static let method = "snapshot/create" }
public enum SnapshotListRequest: RPCRequestType { public typealias Params = SnapshotListParams; public typealias Result = SnapshotListResult; public static let method = "snapshot/list" }
public enum SnapshotRestoreRequest: RPCRequestType { public typealias Params = SnapshotRefParams; public typealias Result = SnapshotRestoreResult; public static let method = "snapshot/restore" }
public enum SnapshotDeleteRequest: RPCRequestType { public typealias Params = SnapshotRefParams; public typealias Result = NullResult; public static let method = "snapshot/delete" }

/// What a long copy is making: a clone (`name` is the new VM), a snapshot, or a restore (`name`
/// is the snapshot).
public enum CopyOperation: String, Codable, Sendable {
    case clone, snapshot, restore
}

/// `copy/progress`: at most a few a second while vm/clone, snapshot/create or snapshot/restore
/// copies data (the sparse copy; a copy-on-write clone is instant and sends none).
public struct CopyProgressParams: Codable, Equatable, Sendable {
    /// The VM whose files are copied (a clone's source).
    public var vm: String
    public var operation: CopyOperation
    public var name: String
    /// Data bytes copied so far, and in all (holes are not counted: they are not copied).
    public var doneBytes: UInt64
    public var totalBytes: UInt64
    public var bytesPerSecond: Double
    /// null while it cannot be estimated.
    public var etaSeconds: Double?

    private enum Keys: String, CodingKey { case vm, operation, name, doneBytes, totalBytes, bytesPerSecond, etaSeconds }

    public init(vm: String, operation: CopyOperation, name: String, doneBytes: UInt64, totalBytes: UInt64,
                bytesPerSecond: Double, etaSeconds: Double?) {
        self.vm = vm
        self.operation = operation
        self.name = name
        self.doneBytes = doneBytes
        self.totalBytes = totalBytes
        self.bytesPerSecond = bytesPerSecond
        self.etaSeconds = etaSeconds
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        vm = try c.decode(String.self, forKey: .vm)
        operation = try c.decode(CopyOperation.self, forKey: .operation)
        name = try c.decode(String.self, forKey: .name)
        doneBytes = try c.decode(UInt64.self, forKey: .doneBytes)
        totalBytes = try c.decode(UInt64.self, forKey: .totalBytes)
        bytesPerSecond = try c.decode(Double.self, forKey: .bytesPerSecond)
        etaSeconds = try c.decodeIfPresent(Double.self, forKey: .etaSeconds)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(vm, forKey: .vm)
        try c.encode(operation, forKey: .operation)
        try c.encode(name, forKey: .name)
        try c.encode(doneBytes, forKey: .doneBytes)
        try c.encode(totalBytes, forKey: .totalBytes)
        try c.encode(bytesPerSecond, forKey: .bytesPerSecond)
        try c.encode(etaSeconds, forKey: .etaSeconds)  // null, never absent
    }
}

public enum CopyProgressNotification: RPCNotificationType { public typealias Params = CopyProgressParams; public static let method = "copy/progress" }
