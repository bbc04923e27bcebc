import Foundation

/// A small FAT12 volume image with files in its root folder, long names included (VFAT entries), so
/// the helper writes cloud-init's `cidata` seed itself on both platforms, with no mkfs or mtools.
/// Layout: boot sector, two FATs, a 64-entry root folder, then data clusters, each file contiguous.
public enum FATImage {
    public struct File: Equatable, Sendable {
        public var name: String
        public var contents: Data
        public init(name: String, contents: Data) { self.name = name; self.contents = contents }
    }

    static let sectorSize = 512
    static let rootEntries = 64
    /// FAT12 counts at most 4084 clusters; more would make readers take it for FAT16.
    static let maxClusters = 4084

    /// The image: at least 1 MiB, more (with larger clusters) when the files need it.
    /// `label` is up to 11 characters of A-Z, 0-9, space, '-' or '_'; names are short ASCII ones
    /// (1-64 characters: letters, digits, '.', '-', '_'), unique ignoring case.
    public static func make(label: String, files: [File], date: Date = Date()) throws -> Data {
        let upperLabel = label.uppercased()
        guard !upperLabel.isEmpty, upperLabel.count <= 11,
              upperLabel.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || " -_".contains($0)) }) else {
            throw HelperError.invalidParams(field: "label", message: "A FAT volume label has 1 to 11 letters, digits, spaces, '-' or '_'; '\(label)' does not.")
        }
        var seen = Set<String>()
        for f in files {
            guard !f.name.isEmpty, f.name.count <= 64, f.name.first != ".",
                  f.name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || ".-_".contains($0)) }) else {
                throw HelperError.invalidParams(field: "files", message: "'\(f.name)' cannot be a file name on the seed volume: use 1 to 64 letters, digits, '.', '-' or '_'.")
            }
            guard seen.insert(f.name.lowercased()).inserted else {
                throw HelperError.invalidParams(field: "files", message: "Two files on the seed volume are named '\(f.name)'.")
            }
        }
        let entriesNeeded = 1 + files.reduce(0) { $0 + 1 + longEntryCount($1.name) }
        guard entriesNeeded <= rootEntries else {
            throw HelperError.invalidParams(field: "files", message: "Too many or too long file names for the seed volume's root folder (\(entriesNeeded) entries of \(rootEntries)).")
        }

        // Geometry: the smallest cluster size that keeps the count within FAT12's, on at least 1 MiB.
        let dataBytes = files.reduce(0) { $0 + $1.contents.count }
        var clusterSectors = 1
        var totalSectors = 0, fatSectors = 0, clusters = 0
        let rootSectors = rootEntries * 32 / sectorSize
        while true {
            let clusterBytes = clusterSectors * sectorSize
            let neededClusters = files.reduce(0) { $0 + ($1.contents.count + clusterBytes - 1) / clusterBytes }
            clusters = max(neededClusters + 16, (1 << 20) / clusterBytes - 16)
            clusters = min(clusters, maxClusters)
            fatSectors = ((clusters + 2) * 3 / 2 + sectorSize) / sectorSize
            totalSectors = 1 + 2 * fatSectors + rootSectors + clusters * clusterSectors
            if neededClusters <= clusters { break }
            clusterSectors *= 2
            guard clusterSectors <= 64 else {
                throw HelperError.invalidParams(field: "files", message: "The seed's files (\(dataBytes) bytes) are too large for a FAT12 volume; keep user-data under 64 MiB.")
            }
        }
        guard totalSectors <= 0xFFFF else {
            throw HelperError.invalidParams(field: "files", message: "The seed's files (\(dataBytes) bytes) are too large for its volume.")
        }

        var image = Data(count: totalSectors * sectorSize)
        let dataStart = (1 + 2 * fatSectors + rootSectors) * sectorSize
        writeBootSector(&image, label: upperLabel, totalSectors: totalSectors, clusterSectors: clusterSectors,
                        fatSectors: fatSectors, serial: UInt32(truncatingIfNeeded: Int(date.timeIntervalSince1970)))

        // FAT: media byte, end-of-chain marker, then one contiguous chain per file.
        var fat = [UInt16](repeating: 0, count: clusters + 2)
        fat[0] = 0xFF8
        fat[1] = 0xFFF
        var next = 2
        var root = Data()
        root.append(shortEntry(name: padded(upperLabel), attributes: 0x08, cluster: 0, size: 0, date: date))
        for (index, f) in files.enumerated() {
            let clusterBytes = clusterSectors * sectorSize
            let count = (f.contents.count + clusterBytes - 1) / clusterBytes
            let first = count == 0 ? 0 : next
            for c in 0..<count { fat[next + c] = c == count - 1 ? 0xFFF : UInt16(next + c + 1) }
            if count > 0 {
                let offset = dataStart + (first - 2) * clusterBytes
                image.replaceSubrange(offset..<offset + f.contents.count, with: f.contents)
            }
            next += count
            let short = shortName(f.name, index: index)
            if needsLongName(f.name) { root.append(longEntries(f.name, checksum: checksum(short))) }
            root.append(shortEntry(name: short, attributes: 0x20, cluster: first, size: f.contents.count, date: date))
        }
        let fatBytes = packFAT12(fat)
        for copy in 0..<2 {
            let offset = (1 + copy * fatSectors) * sectorSize
            image.replaceSubrange(offset..<offset + fatBytes.count, with: fatBytes)
        }
        let rootOffset = (1 + 2 * fatSectors) * sectorSize
        image.replaceSubrange(rootOffset..<rootOffset + root.count, with: root)
        return image
    }

    // MARK: Boot sector

    static func writeBootSector(_ image: inout Data, label: String, totalSectors: Int, clusterSectors: Int,
                                fatSectors: Int, serial: UInt32) {
        var b = Data()
        b += [0xEB, 0x3C, 0x90]                      // jump over the BPB
        b += Array("VMTUI1.0".utf8)                  // OEM name
        b += le16(sectorSize)
        b.append(UInt8(clusterSectors))
        b += le16(1)                                 // reserved sectors (this one)
        b.append(2)                                  // FATs
        b += le16(rootEntries)
        b += le16(totalSectors)
        b.append(0xF8)                               // media: fixed disk
        b += le16(fatSectors)
        b += le16(32)                                // sectors per track
        b += le16(2)                                 // heads
        b += le32(0)                                 // hidden sectors
        b += le32(0)                                 // total sectors (32-bit): the 16-bit field holds it
        b.append(0x80)                               // drive number
        b.append(0)
        b.append(0x29)                               // extended boot signature: the next three fields
        b += le32(Int(serial))
        b += Array(padded(label).utf8)
        b += Array("FAT12   ".utf8)
        image.replaceSubrange(0..<b.count, with: b)
        image[510] = 0x55
        image[511] = 0xAA
    }

    // MARK: Folder entries

    static func needsLongName(_ name: String) -> Bool {
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let base = parts.first, base.count <= 8, (parts.count == 1 || parts[1].count <= 3),
              !name.contains("-") else { return true }
        return name != name.uppercased()
    }

    static func longEntryCount(_ name: String) -> Int {
        needsLongName(name) ? (name.utf16.count + 12) / 13 : 0
    }

    /// An 8.3 name: the name itself when it fits, else its first letters and `~N` (unique by index).
    static func shortName(_ name: String, index: Int) -> String {
        let allowed = name.uppercased().map { $0.isLetter || $0.isNumber || "-_".contains($0) ? $0 : "_" }
        let dot = name.lastIndex(of: ".").map { name.distance(from: name.startIndex, to: $0) }
        let baseChars = dot.map { Array(allowed[..<$0]) } ?? allowed
        let extChars = dot.map { Array(allowed[($0 + 1)...]).filter { $0 != "." } } ?? []
        let base = String(baseChars.filter { $0 != "." })
        let ext = String(extChars.prefix(3))
        if !needsLongName(name) { return padded(base, 8) + padded(ext, 3) }
        let tail = "~\(index + 1)"
        return padded(String(base.prefix(8 - tail.count)) + tail, 8) + padded(ext, 3)
    }

    static func checksum(_ short: String) -> UInt8 {
        var sum: UInt8 = 0
        for byte in short.utf8 { sum = ((sum & 1) << 7) &+ (sum >> 1) &+ byte }
        return sum
    }

    /// The long-name entries in the order they are stored: the last piece (flagged 0x40) first.
    static func longEntries(_ name: String, checksum: UInt8) -> Data {
        let units = Array(name.utf16)
        let count = (units.count + 12) / 13
        var out = Data()
        for piece in stride(from: count, through: 1, by: -1) {
            var chars = [UInt16]()
            for i in 0..<13 {
                let at = (piece - 1) * 13 + i
                chars.append(at < units.count ? units[at] : at == units.count ? 0x0000 : 0xFFFF)
            }
            var e = Data()
            e.append(UInt8(piece) | (piece == count ? 0x40 : 0))
            for c in chars[0..<5] { e += le16(Int(c)) }
            e += [0x0F, 0x00, checksum]
            for c in chars[5..<11] { e += le16(Int(c)) }
            e += le16(0)
            for c in chars[11..<13] { e += le16(Int(c)) }
            out += e
        }
        return out
    }

    static func shortEntry(name: String, attributes: UInt8, cluster: Int, size: Int, date: Date) -> Data {
        let (dosDate, dosTime) = dosDateTime(date)
        var e = Data(Array(name.utf8))
        e.append(attributes)
        e.append(0)                                  // case flags
        e.append(0)                                  // creation time, tenths of a second
        e += le16(dosTime) + le16(dosDate)           // created
        e += le16(dosDate)                           // accessed
        e += le16(0)                                 // high cluster word (FAT32 only)
        e += le16(dosTime) + le16(dosDate)           // modified
        e += le16(cluster)
        e += le32(size)
        return e
    }

    static func dosDateTime(_ date: Date) -> (date: Int, time: Int) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        let year = min(max((c.year ?? 1980) - 1980, 0), 127)
        return ((year << 9) | ((c.month ?? 1) << 5) | (c.day ?? 1),
                ((c.hour ?? 0) << 11) | ((c.minute ?? 0) << 5) | ((c.second ?? 0) / 2))
    }

    // MARK: Bytes

    static func packFAT12(_ entries: [UInt16]) -> Data {
        var out = Data(count: (entries.count * 3 + 1) / 2)
        for (i, value) in entries.enumerated() {
            let v = Int(value & 0xFFF)
            let at = i * 3 / 2
            if i % 2 == 0 {
                out[at] = UInt8(v & 0xFF)
                out[at + 1] = (out[at + 1] & 0xF0) | UInt8(v >> 8)
            } else {
                out[at] = (out[at] & 0x0F) | UInt8((v & 0x0F) << 4)
                out[at + 1] = UInt8(v >> 4)
            }
        }
        return out
    }

    static func padded(_ s: String, _ width: Int = 11) -> String {
        String(s.prefix(width)).padding(toLength: width, withPad: " ", startingAt: 0)
    }

    static func le16(_ v: Int) -> [UInt8] { [UInt8(v & 0xFF), UInt8((v >> 8) & 0xFF)] }
    static func le32(_ v: Int) -> [UInt8] { (0..<4).map { UInt8((v >> ($0 * 8)) & 0xFF) } }
}
