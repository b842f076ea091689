import Foundation

/// Finding test files and the files they name.
public enum TestFiles {
    /// The folders searched when `ldrun test` is given no path.
    public static let defaultFolders = ["tests", "runbooks"]

    /// The `*_test.lua` files under `paths` (files are taken as they are; folders are searched
    /// recursively, skipping hidden ones), sorted, without repeats; and the paths that do not
    /// exist.
    public static func discover(_ paths: [String]) -> (files: [String], missing: [String]) {
        var files: [String] = []
        var missing: [String] = []
        let manager = FileManager.default
        for path in paths {
            var isFolder: ObjCBool = false
            guard manager.fileExists(atPath: path, isDirectory: &isFolder) else {
                missing.append(path)
                continue
            }
            guard isFolder.boolValue else {
                files.append(path)
                continue
            }
            var found: [String] = []
            let base = path.hasSuffix("/") ? String(path.dropLast()) : path
            if let walker = manager.enumerator(atPath: base) {
                while let relative = walker.nextObject() as? String {
                    let name = (relative as NSString).lastPathComponent
                    if name.hasPrefix(".") {
                        walker.skipDescendants()
                        continue
                    }
                    if name.hasSuffix("_test.lua") { found.append(base == "." ? relative : base + "/" + relative) }
                }
            }
            files += found.sorted()
        }
        var seen = Set<String>()
        return (files.filter { seen.insert($0).inserted }, missing)
    }

    /// The folders `require` searches for a test file in `folder`, after `--lib` and
    /// `LDRUN_PATH`: the file's own folder, and, when that is a `tests` or `spec` folder, the
    /// one above it (a library keeps its tests in `tests/` beside its modules).
    static func moduleFolders(forTestsIn folder: String) -> [String] {
        let name = (folder as NSString).lastPathComponent
        guard name == "tests" || name == "spec" else { return [folder] }
        let parent = (folder as NSString).deletingLastPathComponent
        return [folder, parent.isEmpty ? "." : parent]
    }

    /// `path` as a file to open: absolute paths as they are; relative ones in `folder` (the
    /// test file's), or with `preferringWorkingDirectory` in the working directory first.
    static func resolve(_ path: String, in folder: String, preferringWorkingDirectory: Bool = false) -> String {
        if path.hasPrefix("/") { return path }
        let inFolder = folder.isEmpty || folder == "." ? path : folder + "/" + path
        if preferringWorkingDirectory, FileManager.default.fileExists(atPath: path) { return path }
        if FileManager.default.fileExists(atPath: inFolder) { return inFolder }
        return preferringWorkingDirectory ? path : inFolder
    }
}
