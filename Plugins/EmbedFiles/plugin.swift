import Foundation
import PackagePlugin

/// Embeds the package's data files into the targets that serve them, so `pace` runs from any
/// directory with nothing beside it: `migrations/*.sql` and
/// `migrations/postgres/*.sql` into PaceStore, `openapi.yaml` into
/// PaceApp.
@main
struct EmbedFiles: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let root = context.package.directoryURL
        let output = context.pluginWorkDirectoryURL.appending(path: "Embedded\(target.name).swift")
        let tool = try context.tool(named: "pace-embed").url
        switch target.name {
        case "PaceApp":
            let spec = root.appending(path: "openapi.yaml")
            return [.buildCommand(displayName: "Embedding openapi.yaml", executable: tool,
                                  arguments: [output.path(), "text", "embeddedOpenAPI", spec.path()],
                                  inputFiles: [spec], outputFiles: [output])]
        default:
            // SQLite's migrations, and PostgreSQL's with the same numbering and meaning.
            return try [
                migrations(in: root.appending(path: "migrations"), named: "embeddedMigrations",
                           output: output, tool: tool),
                migrations(in: root.appending(path: "migrations/postgres"), named: "embeddedPostgresMigrations",
                           output: context.pluginWorkDirectoryURL.appending(path: "EmbeddedPostgres\(target.name).swift"),
                           tool: tool),
            ]
        }
    }

    private func migrations(in directory: URL, named name: String, output: URL, tool: URL) throws -> Command {
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path())
            .filter { $0.hasSuffix(".sql") }
            .sorted()
            .map { directory.appending(path: $0) }
        return .buildCommand(displayName: "Embedding \(files.count) migrations as \(name)", executable: tool,
                             arguments: [output.path(), "list", name] + files.map { $0.path() },
                             inputFiles: files, outputFiles: [output])
    }
}
