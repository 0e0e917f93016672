import Foundation

/// Runs a fuzz target's entry point on saved inputs, once each: every file named on the command line, and
/// every file in a folder named there. Used when a target is built without libFuzzer, to replay the seed
/// corpus and the crashes that became regression inputs.
public enum FuzzReplay {
    /// Replays the inputs named in `arguments` (the program's own name first) and exits 0 when every one ran.
    public static func run(_ arguments: [String], _ body: (UnsafePointer<UInt8>?, Int) -> CInt) -> Never {
        var files: [URL] = []
        for path in arguments.dropFirst() {
            let url = URL(fileURLWithPath: path)
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
                FileHandle.standardError.write(Data("no such input: \(path)\n".utf8))
                exit(2)
            }
            if isFolder.boolValue {
                let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
                files += names.sorted().map { url.appendingPathComponent($0) }
            } else {
                files.append(url)
            }
        }
        for file in files {
            guard let data = try? Data(contentsOf: file) else { continue }
            let bytes = [UInt8](data) + [0]
            _ = bytes.withUnsafeBufferPointer { body($0.baseAddress!, data.count) }
        }
        print("replayed \(files.count) inputs")
        exit(0)
    }

    /// The repository's `Tests/Fixtures/protos` folder, found from this file's place in the repository.
    public static var fixtureProtos: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Tests/Fixtures/protos")
    }

    /// Stops the process with a message: a property every input must keep did not hold.
    public static func violated(_ property: String) -> Never {
        FileHandle.standardError.write(Data("property violated: \(property)\n".utf8))
        abort()
    }
}
