import Foundation
import LuaBridge
import ReleaseSimulator
import RunbookHost

/// What a test's simulated world looks like (`t.scenario{...}`, or the table given to
/// `test(name, scenario, fn)`): the data, the dialect, the time phases take, releases
/// already part-way through, approvals and regressions that come by themselves, faults,
/// scripted answers to `confirm`, and the args and project of runs.
struct TestScenario {
    var dialect: SimulatorDialect = .observed
    var seed: SimulatorSeed = .demo
    var project: String?
    var phaseDuration: Duration = TestScenario.defaultPhaseDuration
    var releases: [PreparedRelease] = []
    var timedActions: [TimedPhaseAction] = []
    var faults: FaultPlan = .none
    var randomSeed: UInt64 = 0
    /// Answers `confirm` gives, in order; nil answers every question yes.
    var answers: [Bool]? = []
    var arguments: [String: String] = [:]
    var positionalArguments: [String] = []
    /// What `os.getenv` sees (nothing else of the environment).
    var environment: [String: String] = [:]

    /// How long a started phase runs when the scenario does not say: in the spec dialect it
    /// then completes; in the observed dialect a guarded phase's monitoring ends.
    static let defaultPhaseDuration: Duration = .seconds(60)

    /// The keys a scenario table may have.
    static let keys = [
        "dialect", "seed", "inline_seed", "project", "phase_duration", "releases", "approvals", "regress",
        "complete", "faults", "random_seed", "answers", "yes", "args", "env",
    ]

    /// The scenario of a test that describes none: the demo data, observed dialect.
    init() {}

    /// Reads a scenario table; `folder` is the test file's, which a seed path is relative to.
    /// - Throws: `bad_argument` naming the key and what it expects.
    init(_ table: LuaValue, folder: String, defaultProject: String) throws(LuaHostError) {
        let entries = try Self.entries(of: table, "the scenario")
        for key in entries.keys {
            guard let name = key.stringValue, Self.keys.contains(name) else {
                let hint = key.stringValue.flatMap { OptionKeys.closest(to: $0, in: Self.keys) }
                throw Self.problem(
                    "unknown key \(Self.show(key))" + (hint.map { "; did you mean '\($0)'?" } ?? "")
                        + " (keys: \(Self.keys.filter { $0 != "inline_seed" }.joined(separator: ", ")))")
            }
        }
        if let value = entries["dialect"] {
            guard let text = value.stringValue, let dialect = SimulatorDialect(rawValue: text) else {
                throw Self.problem(
                    "dialect: expected \"observed\" or \"spec\", got \(Self.show(value)) (\"both\" works in test(name, scenario, fn))"
                )
            }
            self.dialect = dialect
        }
        if let value = entries["seed"] {
            guard let text = value.stringValue else { throw Self.problem("seed: expected a file name or a table") }
            do throws(SimulatorError) {
                if entries["inline_seed"]?.booleanValue == true {
                    seed = try SimulatorSeed(json: Data(text.utf8))
                } else {
                    let path = TestFiles.resolve(text, in: folder)
                    seed = try SimulatorSeed(contentsOf: URL(fileURLWithPath: path))
                }
            } catch {
                throw Self.problem("seed: \(error.message)")
            }
        }
        if let value = entries["project"] {
            guard let text = value.stringValue, !text.isEmpty else { throw Self.problem("project: expected a key") }
            project = text
        }
        let project = self.project ?? defaultProject
        if let value = entries["phase_duration"] { phaseDuration = try Self.duration(value, "phase_duration") }
        if let value = entries["releases"] { releases = try Self.releases(value) }
        for (key, kind) in [
            ("approvals", TimedPhaseAction.Kind.approve), ("regress", .regress), ("complete", .complete),
        ] {
            guard let value = entries[.string(key)] else { continue }
            timedActions += try Self.actions(value, key, kind, project: project)
        }
        if let value = entries["faults"] {
            let spec: String
            if let text = value.stringValue {
                spec = text
            } else if case .array(let items) = value, let texts = Optional(items.compactMap(\.stringValue)),
                texts.count == items.count
            {
                spec = texts.joined(separator: ";")
            } else {
                throw Self.problem("faults: expected a fault spec such as \"phase-start:count=1:status=503\"")
            }
            do throws(SimulatorError) {
                faults = try FaultPlan(spec: spec)
            } catch {
                throw Self.problem("faults: \(error.message)")
            }
        }
        if let value = entries["random_seed"] {
            guard let number = value.integerValue, number >= 0 else {
                throw Self.problem("random_seed: expected a whole number of 0 or more")
            }
            randomSeed = UInt64(number)
        }
        if entries["yes"]?.isTruthy == true { answers = nil }
        if let value = entries["answers"] { answers = try Self.answers(value) }
        if let value = entries["args"] { (arguments, positionalArguments) = try Self.arguments(value, "args") }
        if let value = entries["env"] { environment = try Self.arguments(value, "env").0 }
    }

    /// The simulator this scenario describes, on `clock`'s time.
    func simulatorConfiguration(now: @escaping @Sendable () -> Int64) -> SimulatorConfiguration {
        var configuration = SimulatorConfiguration(
            seed: seed, phaseDuration: phaseDuration, dialect: dialect, rateLimit: .off, faults: faults,
            randomSeed: randomSeed)
        configuration.now = now
        configuration.timedActions = timedActions
        return configuration
    }

    // MARK: Reading the keys

    /// A bad argument to `function` (`t.scenario`, or `t.run` for its args and env).
    static func problem(_ message: String, function: String = "t.scenario", argument: Int = 1) -> LuaHostError {
        LuaHostError(code: "bad_argument", message: "bad argument #\(argument) to '\(function)' (\(message))")
    }

    private static func show(_ value: LuaValue) -> String {
        if let text = value.stringValue { return "'\(text)'" }
        if let number = value.doubleValue { return "\(number)" }
        return value.typeName
    }

    private static func entries(
        of value: LuaValue, _ what: String, function: String = "t.scenario", argument: Int = 1
    ) throws(LuaHostError) -> [LuaValue: LuaValue] {
        switch value {
        case .table(let entries): return entries
        case .array(let items):
            var entries: [LuaValue: LuaValue] = [:]
            for (index, item) in items.enumerated() { entries[.integer(Int64(index + 1))] = item }
            return entries
        case .null: return [:]
        default:
            throw problem("\(what): expected a table, got \(value.typeName)", function: function, argument: argument)
        }
    }

    private static func items(of value: LuaValue) -> [LuaValue]? {
        switch value {
        case .array(let items): return items
        case .null: return []
        default: return nil
        }
    }

    private static func duration(_ value: LuaValue, _ key: String) throws(LuaHostError) -> Duration {
        do throws(RunbookDuration.Invalid) {
            if let seconds = value.doubleValue { return try RunbookDuration.check(seconds: seconds) }
            if let text = value.stringValue { return try RunbookDuration.parseChecked(text) }
        } catch {
            throw problem("\(key): \(error.message)")
        }
        throw problem("\(key): expected a duration such as \"10m\", got \(value.typeName)")
    }

    /// `releases = {["new-checkout"] = {pipeline = "standard", started = "Staging"}, ...}`.
    private static func releases(_ value: LuaValue) throws(LuaHostError) -> [PreparedRelease] {
        let flags = try entries(of: value, "releases")
        var prepared: [PreparedRelease] = []
        for (key, description) in flags.sorted(by: { (show($0.key)) < (show($1.key)) }) {
            guard let flag = key.stringValue else {
                throw problem(
                    "releases: expected flag keys, as in releases = {[\"new-checkout\"] = {started = \"Staging\"}}")
            }
            let fields = try entries(of: description, "releases.\(flag)")
            let known = ["pipeline", "completed", "started", "approved"]
            for field in fields.keys where !known.contains(field.stringValue ?? "") {
                throw problem("releases.\(flag): unknown key \(show(field)) (keys: \(known.joined(separator: ", ")))")
            }
            var release = PreparedRelease(flag: flag)
            if let pipeline = fields["pipeline"] {
                guard let text = pipeline.stringValue else {
                    throw problem("releases.\(flag).pipeline: expected a key")
                }
                release.pipeline = text
            }
            switch fields["completed"] ?? .nil {
            case .nil, .boolean(false): break
            case .boolean(true): release.completed = .all
            case .string(let name): release.completed = .through(name)
            default: throw problem("releases.\(flag).completed: expected a phase name, or true for every phase")
            }
            if let started = fields["started"] {
                guard let name = started.stringValue else {
                    throw problem("releases.\(flag).started: expected a phase name")
                }
                release.started = name
            }
            release.approved = fields["approved"]?.isTruthy ?? false
            prepared.append(release)
        }
        return prepared
    }

    /// `approvals = {flag = "new-checkout", phase = "Production", after = "30m"}`, or a list.
    private static func actions(
        _ value: LuaValue, _ key: String, _ kind: TimedPhaseAction.Kind, project: String
    ) throws(LuaHostError) -> [TimedPhaseAction] {
        let list: [LuaValue]
        if let items = items(of: value), !(value["flag"].stringValue != nil) {
            list = items
        } else {
            list = [value]
        }
        var actions: [TimedPhaseAction] = []
        for item in list {
            guard let flag = item["flag"].stringValue, let phase = item["phase"].stringValue else {
                throw problem("\(key): expected {flag = KEY, phase = NAME, after = DURATION}, or a list of them")
            }
            let fields = try entries(of: item, key)
            for field in fields.keys where !["flag", "phase", "after"].contains(field.stringValue ?? "") {
                throw problem("\(key): unknown key \(show(field)) (keys: flag, phase, after)")
            }
            let after = item["after"] == .nil ? Duration.zero : try duration(item["after"], "\(key).after")
            actions.append(TimedPhaseAction(kind, project: project, flag: flag, phase: phase, after: after))
        }
        return actions
    }

    /// `answers = {confirm = {true, false}}` (or just the list).
    private static func answers(_ value: LuaValue) throws(LuaHostError) -> [Bool] {
        let list = value["confirm"] == .nil ? value : value["confirm"]
        guard let items = items(of: list) else {
            throw problem("answers: expected {confirm = {true, false, ...}}")
        }
        var answers: [Bool] = []
        for item in items {
            guard let answer = item.booleanValue else {
                throw problem("answers.confirm: expected true or false, got \(item.typeName)")
            }
            answers.append(answer)
        }
        return answers
    }

    /// `args = {flag = "new-checkout", "first positional", ...}`: `args.key` and `args[n]`.
    static func arguments(_ value: LuaValue, _ key: String, function: String = "t.scenario", argument: Int = 1)
        throws(LuaHostError)
        -> ([String: String], [String])
    {
        var named: [String: String] = [:]
        var positional: [Int: String] = [:]
        for (name, item) in try entries(of: value, key, function: function, argument: argument) {
            let text: String
            switch item {
            case .string(let string): text = string
            case .integer(let number): text = String(number)
            case .number(let number): text = String(number)
            case .boolean(let flag): text = flag ? "true" : "false"
            default:
                throw problem(
                    "\(key): values must be strings, numbers or booleans (\(show(name)) is a \(item.typeName))",
                    function: function, argument: argument)
            }
            if let string = name.stringValue {
                named[string] = text
            } else if let index = name.integerValue, index >= 1 {
                positional[Int(index)] = text
            } else {
                throw problem(
                    "\(key): keys must be names or positions 1, 2, ...", function: function, argument: argument)
            }
        }
        let count = positional.keys.max() ?? 0
        return (named, (0..<count).map { positional[$0 + 1] ?? "" })
    }
}
