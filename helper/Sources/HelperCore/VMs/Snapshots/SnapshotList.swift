import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// `snapshot/list`: the snapshot tree with the space it takes.
extension SnapshotStore {
    /// The tree: every readable snapshot (oldest first) with its children, the current one, and the space used.
    public static func list(_ bundle: VMBundle) -> SnapshotListResult {
        var metas: [(name: String, meta: SnapshotMeta, dir: URL)] = []
        var problems: [VMProblem] = []
        for name in names(bundle) {
            guard let dir = try? directory(bundle, name) else { continue }
            do { metas.append((name, try readMeta(dir), dir)) } catch {
                problems.append(VMProblem(name: name, message: (error as? HelperError)?.message ?? "\(error)"))
            }
        }
        metas.sort { ($0.meta.createdAt, $0.name) < ($1.meta.createdAt, $1.name) }
        let known = Set(metas.map(\.name))
        var snapshots: [SnapshotInfo] = []
        var all = SpaceUsage()
        for entry in metas {
            // A parent that is gone (only a hand-edited folder can do that) makes this a root.
            let parent = entry.meta.parent.flatMap { known.contains($0) ? $0 : nil }
            let children = metas.filter { $0.meta.parent == entry.name }.map(\.name)
            let used = space(of: entry.dir, skipping: [metaFile])
            all = all + used
            snapshots.append(SnapshotInfo(name: entry.name, parent: parent, children: children, createdAt: entry.meta.createdAt,
                                          note: entry.meta.note, logicalBytes: used.logicalBytes, allocatedBytes: used.allocatedBytes,
                                          strategy: entry.meta.strategy,
                                          savedState: FileOps.isRegularFile(entry.dir.appendingPathComponent("state.save").path)))
        }
        let current = current(bundle).flatMap { known.contains($0) ? $0 : nil }
        return SnapshotListResult(vm: bundle.name, snapshots: snapshots, current: current,
                                  vmSpace: space(of: bundle.url, skipping: ["snapshots"]), snapshotsSpace: all, problems: problems)
    }
}

extension SnapshotService {
    public func list(_ p: SnapshotListParams) throws -> SnapshotListResult {
        SnapshotStore.list(try store.existing(p.vm))
    }
}
