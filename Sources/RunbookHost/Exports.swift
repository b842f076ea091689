// The embedding API speaks in the bridge's values and errors and the core's
// configuration, so an embedder imports RunbookHost alone.
@_exported import LuaBridge
@_exported import ReleaseCore
