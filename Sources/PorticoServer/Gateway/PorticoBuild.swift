/// What this build of the gateway is: `portico --version` prints it and `portico_build_info` labels it.
package enum PorticoBuild {
    /// The release this source tree builds.
    package static let version = "0.2.0-dev"
}
