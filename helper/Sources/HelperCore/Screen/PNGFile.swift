import CCompression

/// An RGB frame as PNG (8-bit truecolour, filter None, zlib from the linked libz): screenshots
/// taken from an RFB framebuffer, where no QMP screendump writes the file for us.
enum PNGFile {
    static func encode(_ frame: RGBFrame) throws -> [UInt8] {
        var raw = [UInt8]()
        raw.reserveCapacity((frame.width * 3 + 1) * frame.height)
        for y in 0..<frame.height {
            raw.append(0)  // filter: None
            raw += frame.pixels[(y * frame.width * 3)..<((y + 1) * frame.width * 3)]
        }
        var size = compressBound(uLong(raw.count))
        var packed = [UInt8](repeating: 0, count: Int(size))
        let rc = compress2(&packed, &size, raw, uLong(raw.count), 6)
        guard rc == Z_OK else { throw HelperError.backend("The screenshot could not be compressed (zlib error \(rc)).") }
        var header = be32(UInt32(frame.width)) + be32(UInt32(frame.height))
        header += [8, 2, 0, 0, 0]
        var out: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        out += chunk("IHDR", header)
        out += chunk("IDAT", Array(packed[0..<Int(size)]))
        out += chunk("IEND", [])
        return out
    }

    private static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let body = Array(type.utf8) + data
        let crc = body.withUnsafeBufferPointer { UInt32(crc32(0, $0.baseAddress, uInt($0.count))) }
        return be32(UInt32(data.count)) + body + be32(crc)
    }

    private static func be32(_ v: UInt32) -> [UInt8] { [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: v >> $0) } }
}
