import Foundation

/// A screen as packed RGB, 3 bytes a pixel, row by row.
public struct RGBFrame: Equatable, Sendable {
    public var width: Int
    public var height: Int
    public var pixels: [UInt8]

    public init(width: Int, height: Int, pixels: [UInt8]) {
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// Reads a binary PPM (P6, maxval 255): what QEMU's `screendump` writes by default.
    public static func ppm(_ data: [UInt8]) throws -> RGBFrame {
        var i = 0
        func token() -> String? {
            while i < data.count {
                if data[i] == UInt8(ascii: "#") { while i < data.count && data[i] != 0x0A { i += 1 } }
                else if data[i] == 0x20 || data[i] == 0x0A || data[i] == 0x0D || data[i] == 0x09 { i += 1 }
                else { break }
            }
            let start = i
            while i < data.count, !(data[i] == 0x20 || data[i] == 0x0A || data[i] == 0x0D || data[i] == 0x09) { i += 1 }
            return start < i ? String(decoding: data[start..<i], as: UTF8.self) : nil
        }
        guard token() == "P6", let w = token().flatMap(Int.init), let h = token().flatMap(Int.init),
              token() == "255", w > 0, h > 0, i < data.count else {
            throw HelperError.backend("QEMU's screen dump is not a binary PPM image as expected.")
        }
        i += 1  // the single whitespace after maxval
        guard data.count - i >= w * h * 3 else {
            throw HelperError.backend("QEMU's screen dump is shorter than its \(w)×\(h) header says.")
        }
        return RGBFrame(width: w, height: h, pixels: Array(data[i..<(i + w * h * 3)]))
    }

    /// Scaled to `w`×`h` by averaging the source pixels each target pixel covers (box filter):
    /// text stays legible as shades instead of vanishing between sampled rows.
    public func scaled(width w: Int, height h: Int) -> RGBFrame {
        if w == width && h == height { return self }
        var out = [UInt8](repeating: 0, count: w * h * 3)
        pixels.withUnsafeBufferPointer { src in
            for ty in 0..<h {
                let y0 = ty * height / h, y1 = max(y0 + 1, (ty + 1) * height / h)
                for tx in 0..<w {
                    let x0 = tx * width / w, x1 = max(x0 + 1, (tx + 1) * width / w)
                    var r = 0, g = 0, b = 0
                    for y in y0..<y1 {
                        var p = (y * width + x0) * 3
                        for _ in x0..<x1 {
                            r += Int(src[p]); g += Int(src[p + 1]); b += Int(src[p + 2])
                            p += 3
                        }
                    }
                    let n = (y1 - y0) * (x1 - x0)
                    let o = (ty * w + tx) * 3
                    out[o] = UInt8(r / n); out[o + 1] = UInt8(g / n); out[o + 2] = UInt8(b / n)
                }
            }
        }
        return RGBFrame(width: w, height: h, pixels: out)
    }

    /// FNV-1a over size and pixels: enough to tell "unchanged" without sending the frame.
    public var digest: String {
        var hash: UInt64 = 0xcbf29ce484222325
        func mix(_ byte: UInt8) { hash = (hash ^ UInt64(byte)) &* 0x100000001b3 }
        for v in [width, height] { for s in stride(from: 0, to: 32, by: 8) { mix(UInt8(truncatingIfNeeded: v >> s)) } }
        pixels.withUnsafeBufferPointer { for b in $0 { mix(b) } }
        return String(hash, radix: 16)
    }
}
