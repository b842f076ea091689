import Foundation

/// The data a simulator starts from (and returns to on reset): projects with their
/// environments, release pipelines and flags. Read from JSON (the format is in
/// `docs/simulator.md`) or taken from the built-in ``demo``.
public struct SimulatorSeed: Sendable {
    /// The projects, validated and ready to serve.
    let projects: [ProjectState]

    /// Reads a seed from a JSON file.
    public init(contentsOf url: URL) throws(SimulatorError) {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw .invalidConfiguration("cannot read seed file \(url.path): \(error.localizedDescription)")
        }
        try self.init(json: data)
    }

    /// Reads a seed from JSON data, checking that every reference in it resolves.
    public init(json: Data) throws(SimulatorError) {
        let file: SeedFile
        do {
            file = try JSONDecoder().decode(SeedFile.self, from: json)
        } catch let error as DecodingError {
            throw .invalidConfiguration("invalid seed: \(error.fieldDescription)")
        } catch {
            throw .invalidConfiguration("invalid seed: \(error)")
        }
        let createdAt = Date(timeIntervalSince1970: 1_700_000_000)
        var projects: [ProjectState] = []
        for project in file.projects {
            guard !projects.contains(where: { $0.key == project.key }) else {
                throw .invalidConfiguration("invalid seed: duplicate project '\(project.key)'")
            }
            projects.append(try Self.makeProject(project, createdAt: createdAt))
        }
        self.projects = projects
    }

    private static func makeProject(_ seed: SeedFile.Project, createdAt: Date) throws(SimulatorError) -> ProjectState {
        var project = ProjectState(key: seed.key, name: seed.name ?? seed.key, environments: seed.environments)
        for input in seed.pipelines ?? [] {
            guard project.pipelineIndex(input.key) == nil else {
                throw .invalidConfiguration("invalid seed: duplicate pipeline '\(input.key)' in '\(seed.key)'")
            }
            let pipeline: PipelineState
            do {
                pipeline = try project.makePipeline(
                    key: input.key, name: input.name, description: input.description, tags: input.tags,
                    phases: input.phases, isLegacy: input.isLegacy ?? false, createdAt: createdAt
                )
            } catch {
                throw .invalidConfiguration("invalid seed: pipeline '\(input.key)': \(error.message)")
            }
            project.pipelines.append(pipeline)
            if input.isProjectDefault == true || project.defaultPipelineKey == nil {
                project.defaultPipelineKey = input.key
            }
        }
        let creationDate = Int64(createdAt.timeIntervalSince1970 * 1_000)
        for input in seed.flags ?? [] {
            guard project.flag(input.key) == nil else {
                throw .invalidConfiguration("invalid seed: duplicate flag '\(input.key)' in '\(seed.key)'")
            }
            project.flags.append(project.makeFlag(input, creationDate: creationDate))
        }
        return project
    }
}

/// The JSON layout of a seed file.
private struct SeedFile: Decodable {
    struct Project: Decodable {
        var key: String
        var name: String?
        var environments: [EnvironmentRecord]
        var pipelines: [PipelineInput]?
        var flags: [FlagInput]?
    }

    var projects: [Project]
}
