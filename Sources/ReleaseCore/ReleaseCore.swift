/// The LaunchDarkly Releases and Release pipelines client, phase selection and waiting.
package enum ReleaseCoreInfo {
    /// The user agent product token sent with every request.
    package static let product = "ldrun"
}
