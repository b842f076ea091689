import Foundation

/// Path arithmetic done on the text, without Foundation's `NSString` path methods (whose
/// `deletingLastPathComponent` traps on `.` and `./`).
public enum FilePaths {
    /// The folder part of `path`: everything before its last `/` (trailing slashes aside),
    /// `/` for a name at the root, and "" for a bare name (`.`, `promote.lua`).
    public static func folder(of path: String) -> String {
        var path = Substring(path)
        while path.count > 1, path.hasSuffix("/") { path.removeLast() }
        guard let slash = path.lastIndex(of: "/") else { return "" }
        var folder = path[..<slash]
        while folder.count > 1, folder.hasSuffix("/") { folder.removeLast() }
        return folder.isEmpty ? "/" : String(folder)
    }

    /// `mkdir -p` with mode 0700 (folders of the journal and history hold records of one
    /// user). Returns the folder that could not be created and the system's reason, or nil.
    public static func makeFolders(_ directory: String) -> (folder: String, reason: String)? {
        var current = directory.hasPrefix("/") ? "" : "."
        for part in directory.split(separator: "/") {
            current += "/" + part
            if mkdir(current, 0o700) != 0 && errno != EEXIST {
                return (current, String(cString: strerror(errno)))
            }
        }
        return nil
    }
}
