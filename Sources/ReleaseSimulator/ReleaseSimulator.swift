/// A loopback server that behaves like LaunchDarkly's release API.
package enum ReleaseSimulatorInfo {
    package static let name = "ldrun simulator"
}
