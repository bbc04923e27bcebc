import Foundation

/// `vmtui-helper convert-image SRC DST` (hidden; scripts/bench/qcow2-convert.sh and tests):
/// writes a raw or qcow2 image as the new sparse raw file DST, as `vm/create {image}` does, and
/// prints `{"format", "seconds", "virtualBytes"}`.
public enum ConvertImageCommand {
    public static func run(_ arguments: [String]) -> (output: String, error: String, status: Int32) {
        guard arguments.count == 2 else {
            return ("", "vmtui-helper: 'convert-image' needs a source image and a new destination: convert-image SRC DST\n", 2)
        }
        let start = Date()
        do {
            let image = try DiskImage.inspect(URL(fileURLWithPath: arguments[0]).standardizedFileURL.path)
            // VMTUI_CONVERT_THREADS: the benchmark's knob (default: one per core).
            let threads = ProcessInfo.processInfo.environment["VMTUI_CONVERT_THREADS"].flatMap { Int($0) }
            try image.importInto(URL(fileURLWithPath: arguments[1]), size: image.virtualSize, threads: threads, progress: { _ in }, isCancelled: { false })
            let seconds = Date().timeIntervalSince(start)
            return ("{\"format\":\"\(image.format.rawValue)\",\"seconds\":\(String(format: "%.3f", seconds)),\"virtualBytes\":\(image.virtualSize)}\n", "", 0)
        } catch {
            return ("", "vmtui-helper: \((error as? HelperError)?.message ?? "\(error)")\n", 1)
        }
    }
}
