import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a standalone qcow2 image and writes its guest-visible bytes into a raw file: the active
/// L1/L2 tables (internal snapshots are ignored), plain clusters copied in runs, compressed ones
/// inflated on a few threads, and zero and unallocated clusters (and all-zero data) left as holes.
/// The source is opened read-only and never written.
final class Qcow2Reader: @unchecked Sendable {  // immutable after init; the fd is only pread
    static let entryOffsetMask: UInt64 = 0x00FF_FFFF_FFFF_FE00
    static let compressedFlag: UInt64 = 1 << 62
    /// Largest L1 table qemu itself accepts (32 MiB).
    static let maxL1Bytes = 32 << 20
    /// Longest run of plain clusters read in one call.
    static let runBytes = 8 << 20

    let path: String
    let header: Qcow2Header
    private let fd: Int32
    private let fileSize: UInt64

    /// Opens and checks `path`; throws a sentence for anything it cannot read.
    init(path: String) throws {
        self.path = path
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw HelperError.fromErrno(errno, path: path, action: "open") }
        var st = stat()
        guard fstat(fd, &st) == 0 else { let e = errno; close(fd); throw HelperError.fromErrno(e, path: path, action: "read") }
        fileSize = UInt64(st.st_size)
        var first = [UInt8](repeating: 0, count: 512)
        let got = first.withUnsafeMutableBytes { pread(fd, $0.baseAddress, 512, 0) }
        do {
            guard got >= 0 else { throw HelperError.fromErrno(errno, path: path, action: "read") }
            first.removeLast(512 - got)
            header = try Qcow2Header.parse(first, file: path) { offset, length in
                guard length > 0, length <= 1023 else { return nil }
                var name = [UInt8](repeating: 0, count: Int(length))
                let n = name.withUnsafeMutableBytes { pread(fd, $0.baseAddress, Int(length), off_t(offset)) }
                return n == Int(length) ? String(decoding: name, as: UTF8.self) : nil
            }
            if header.compression == .zstd { _ = try ZstdDecompressor(file: path) }
            guard Int(header.l1Size) * 8 <= Self.maxL1Bytes else { throw ImageErrors.invalid(path, "its L1 table is larger than qemu allows") }
        } catch {
            close(fd)
            throw error
        }
        self.fd = fd
    }

    deinit { close(fd) }

    static func isQcow2(_ firstBytes: [UInt8]) -> Bool { firstBytes.count >= 4 && Array(firstBytes[0..<4]) == Qcow2Header.magic }

    /// One piece of work for a thread.
    private enum Job: Sendable {
        /// Plain clusters: `length` bytes at `host` in the image go to `guest`.
        case data(guest: UInt64, host: UInt64, length: Int)
        /// One compressed cluster: `length` compressed bytes at `host`.
        case compressed(guest: UInt64, host: UInt64, length: Int)
    }

    /// Writes the guest data into `dst`, which must read as zeros (a new file, already sized).
    /// `progress` gets the guest bytes done (from any of the threads, a few times a second);
    /// `isCancelled` is asked as the work goes.
    func convert(to dst: Int32, destinationPath: String, threads: Int = ProcessInfo.processInfo.activeProcessorCount,
                 progress: @escaping @Sendable (UInt64) -> Void = { _ in }, isCancelled: @escaping @Sendable () -> Bool = { false }) throws {
        // All tables first (small next to the data), so the threads meet only once, at the end:
        // on a loaded machine every extra meeting costs a wait for the scheduler.
        let l1 = try readTable(at: header.l1TableOffset, entries: Int(header.l1Size), what: "L1 table")
        let perL1 = UInt64(header.l2Entries) * UInt64(header.clusterSize)
        var planned: [Job] = []
        for (index, l1Entry) in l1.enumerated() {
            let base = UInt64(index) * perL1
            if base >= header.virtualSize { break }
            let l2Offset = l1Entry & Self.entryOffsetMask
            if l2Offset == 0 { continue }
            planned += try plan(try readTable(at: l2Offset, entries: header.l2Entries, what: "L2 table"), base: base)
        }
        let jobs = planned
        let workers = (0..<max(1, min(threads, 8, jobs.count))).map { _ in Worker(clusterSize: header.clusterSize) }
        for worker in workers { try worker.prepare(header.compression, file: path) }

        let shared = SharedProgress()
        DispatchQueue.concurrentPerform(iterations: workers.count) { w in
            let worker = workers[w]
            while true {
                let (job, report): (Job?, UInt64?) = shared.lock.locked {
                    guard shared.failure == nil, shared.next < jobs.count else { return (nil, nil) }
                    if shared.next % 64 == 0, isCancelled() {
                        shared.failure = HelperError.cancelled("Importing \(path)")
                        return (nil, nil)
                    }
                    let job = jobs[shared.next]
                    shared.next += 1
                    let now = ProcessInfo.processInfo.systemUptime
                    guard now - shared.lastReport >= 0.2 else { return (job, nil) }
                    shared.lastReport = now
                    return (job, guestStart(job))
                }
                guard let job else { return }
                if let report { progress(report) }
                do {
                    try perform(job, worker, dst: dst, destinationPath: destinationPath)
                } catch {
                    shared.lock.locked { if shared.failure == nil { shared.failure = error } }
                    return
                }
            }
        }
        if let failure = shared.failure { throw failure }
        if isCancelled() { throw HelperError.cancelled("Importing \(path)") }
        progress(header.virtualSize)
    }

    /// Guest bytes backed by data (plain or compressed clusters): what a conversion may write.
    func dataBytes() throws -> UInt64 {
        let l1 = try readTable(at: header.l1TableOffset, entries: Int(header.l1Size), what: "L1 table")
        var clusters: UInt64 = 0
        for l1Entry in l1 where l1Entry & Self.entryOffsetMask != 0 {
            for entry in try readTable(at: l1Entry & Self.entryOffsetMask, entries: header.l2Entries, what: "L2 table") {
                let zero = header.version == 3 && entry & Self.compressedFlag == 0 && entry & 1 != 0
                if !zero && (entry & Self.compressedFlag != 0 || entry & Self.entryOffsetMask != 0) { clusters += 1 }
            }
        }
        return min(header.virtualSize, clusters * UInt64(header.clusterSize))
    }

    private func guestStart(_ job: Job) -> UInt64 {
        switch job {
        case .data(let guest, _, _), .compressed(let guest, _, _): return guest
        }
    }

    /// The jobs of one L2 table, with neighbouring plain clusters merged into runs.
    private func plan(_ l2: [UInt64], base: UInt64) throws -> [Job] {
        let cluster = UInt64(header.clusterSize)
        let x = 62 - (UInt64(header.clusterBits) - 8)
        var jobs: [Job] = []
        for (slot, entry) in l2.enumerated() {
            let guest = base + UInt64(slot) * cluster
            if guest >= header.virtualSize { break }
            let length = Int(min(cluster, header.virtualSize - guest))
            if entry & Self.compressedFlag != 0 {
                let host = entry & ((1 << x) - 1)
                let sectors = (entry >> x) & ((1 << (62 - x)) - 1)
                let size = Int((sectors + 1) * 512 - (host & 511))
                guard host < fileSize else { throw cutShort() }
                jobs.append(.compressed(guest: guest, host: host, length: size))
                continue
            }
            // Version 3: bit 0 marks a cluster that reads as zeros, whatever its offset.
            if header.version == 3 && entry & 1 != 0 { continue }
            let host = entry & Self.entryOffsetMask
            if host == 0 { continue }  // unallocated: zeros (no backing file)
            guard host % cluster == 0 else { throw ImageErrors.invalid(path, "a data cluster is not aligned") }
            guard host + UInt64(length) <= fileSize else { throw cutShort() }
            if case .data(let g, let h, let l)? = jobs.last, g + UInt64(l) == guest, h + UInt64(l) == host, l + length <= Self.runBytes {
                jobs[jobs.count - 1] = .data(guest: g, host: h, length: l + length)
            } else {
                jobs.append(.data(guest: guest, host: host, length: length))
            }
        }
        return jobs
    }

    private func perform(_ job: Job, _ worker: Worker, dst: Int32, destinationPath: String) throws {
        switch job {
        case let .data(guest, host, length):
            let got = try CloneFile.readFully(fd, worker.runBuffer, length, at: off_t(host), path: path)
            guard got == length else { throw cutShort() }
            try CloneFile.writeNonZero(dst, worker.runBuffer, length, at: off_t(guest), zeros: worker.zeros, path: destinationPath)
        case let .compressed(guest, host, length):
            let want = min(length, worker.compressedCapacity)
            let got = try CloneFile.readFully(fd, worker.compressedBuffer, want, at: off_t(host), path: path)
            let out = Int(min(UInt64(header.clusterSize), header.virtualSize - guest))
            guard let decompressor = worker.decompressor,
                  decompressor.decompress(worker.compressedBuffer, got, into: worker.clusterBuffer, header.clusterSize) else {
                throw ImageErrors.invalid(path, "the compressed cluster at guest offset \(guest) is damaged")
            }
            try CloneFile.writeNonZero(dst, worker.clusterBuffer, out, at: off_t(guest), zeros: worker.zeros, path: destinationPath)
        }
    }

    private func readTable(at offset: UInt64, entries: Int, what: String) throws -> [UInt64] {
        guard offset % 512 == 0, offset + UInt64(entries * 8) <= fileSize else { throw cutShort(what) }
        var table = [UInt64](repeating: 0, count: entries)
        let got = try table.withUnsafeMutableBytes { try CloneFile.readFully(fd, $0.baseAddress!, entries * 8, at: off_t(offset), path: path) }
        guard got == entries * 8 else { throw cutShort(what) }
        return table.map { UInt64(bigEndian: $0) }
    }

    private func cutShort(_ what: String = "data") -> HelperError {
        ImageErrors.invalid(path, "its \(what) points past the end of the file (\(fileSize) bytes), so the file is cut short or damaged")
    }

    /// What the threads share while converting, guarded by `lock`.
    private final class SharedProgress: @unchecked Sendable {
        let lock = NSLock()
        var next = 0
        var failure: Error?
        var lastReport = ProcessInfo.processInfo.systemUptime
    }

    /// One thread's buffers and decompressor.
    private final class Worker: @unchecked Sendable {
        let clusterSize: Int
        let runBuffer: UnsafeMutableRawPointer
        let clusterBuffer: UnsafeMutableRawPointer
        /// A compressed cluster never needs more than a cluster plus a sector of slack, doubled for safety.
        let compressedCapacity: Int
        let compressedBuffer: UnsafeMutableRawPointer
        let zeros: UnsafeMutableRawPointer
        var decompressor: ClusterDecompressor?

        init(clusterSize: Int) {
            self.clusterSize = clusterSize
            runBuffer = UnsafeMutableRawPointer.allocate(byteCount: Qcow2Reader.runBytes, alignment: 4096)
            clusterBuffer = UnsafeMutableRawPointer.allocate(byteCount: clusterSize, alignment: 4096)
            compressedCapacity = 2 * clusterSize + 1024
            compressedBuffer = UnsafeMutableRawPointer.allocate(byteCount: compressedCapacity, alignment: 4096)
            zeros = UnsafeMutableRawPointer.allocate(byteCount: CloneFile.zeroBlockBytes, alignment: 16)
            zeros.initializeMemory(as: UInt8.self, repeating: 0, count: CloneFile.zeroBlockBytes)
        }

        func prepare(_ compression: Qcow2Header.Compression, file: String) throws {
            decompressor = compression == .zstd ? try ZstdDecompressor(file: file) : try DeflateDecompressor()
        }

        deinit {
            runBuffer.deallocate()
            clusterBuffer.deallocate()
            compressedBuffer.deallocate()
            zeros.deallocate()
        }
    }
}
