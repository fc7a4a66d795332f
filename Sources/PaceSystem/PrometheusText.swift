/// The text exposition format's pieces that every `/metrics` section writes the same way.
package enum PrometheusText {
    /// `# HELP` and `# TYPE` lines for `name`.
    package static func header(_ name: String, _ type: String, _ help: String) -> String {
        "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
    }

    /// A metric with one unlabelled sample.
    package static func single(_ name: String, _ type: String, _ help: String, _ value: Int) -> String {
        header(name, type, help) + "\(name) \(value)\n"
    }
}
