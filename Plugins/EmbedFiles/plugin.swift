import Foundation
import PackagePlugin

/// Embeds the package's data files into the targets that serve them, so `pace` runs from any
/// directory with nothing beside it: `migrations/*.sql` and `migrations/postgres/*.sql` into
/// PaceStore, `openapi.yaml` and the web client (`web/`) into PaceApp.
@main
struct EmbedFiles: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let root = context.package.directoryURL
        let output = context.pluginWorkDirectoryURL.appending(path: "Embedded\(target.name).swift")
        let tool = try context.tool(named: "pace-embed").url
        switch target.name {
        case "PaceApp":
            let spec = root.appending(path: "openapi.yaml")
            let webOutput = context.pluginWorkDirectoryURL.appending(path: "EmbeddedWeb.swift")
            let web = try files(in: root.appending(path: "web"), suffixes: [".html", ".js", ".css", ".svg", ".webmanifest"])
            return [.buildCommand(displayName: "Embedding openapi.yaml", executable: tool,
                                  arguments: [output.path(), "text", "embeddedOpenAPI", spec.path()],
                                  inputFiles: [spec], outputFiles: [output]),
                    .buildCommand(displayName: "Embedding \(web.count) web client files", executable: tool,
                                  arguments: [webOutput.path(), "files", "embeddedWebFiles"] + web.map { $0.path() },
                                  inputFiles: web, outputFiles: [webOutput])]
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
        let files = try files(in: directory, suffixes: [".sql"])
        return .buildCommand(displayName: "Embedding \(files.count) migrations as \(name)", executable: tool,
                             arguments: [output.path(), "list", name] + files.map { $0.path() },
                             inputFiles: files, outputFiles: [output])
    }

    /// The directory's files (not its subdirectories) with one of `suffixes`, by name.
    private func files(in directory: URL, suffixes: [String]) throws -> [URL] {
        try FileManager.default.contentsOfDirectory(atPath: directory.path())
            .filter { name in suffixes.contains { name.hasSuffix($0) } }
            .sorted()
            .map { directory.appending(path: $0) }
    }
}
