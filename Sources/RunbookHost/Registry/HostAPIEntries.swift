/// The entries of ``HostAPI/builtIn``: one per function, method and value of the runbook
/// API, in the order of docs/lua-api.md.
enum HostAPIEntries {
    typealias T = HostAPI.ValueType

    static let functions: [HostAPI.Function] =
        release + phase + pipeline + waiting + operatorGate + json + context + sim

    static let values: [HostAPI.Value] = [
        .init(
            name: "json.null", annotation: "ldrun.JSONNull",
            summary: "The JSON null sentinel (truthy, distinct from nil)."),
        .init(
            name: "args", annotation: "table<string|integer, string>",
            summary: "`-a key=value` options and positional arguments after `--`."),
        .init(name: "ldrun.dry_run", annotation: "boolean", summary: "`true` in a dry run (`--dry-run`)."),
        .init(name: "ldrun.version", annotation: "string", summary: "ldrun's version."),
        .init(name: "ldrun.project", annotation: "string?", summary: "The default project, nil when there is none."),
        .init(name: "ldrun.runbook", annotation: "string", summary: "The runbook's path as given on the command line."),
    ]

    // MARK: release

    static let target = [
        option("flag", .string, required: true, "The flag key."),
        option("project", .string, "The project (default: the run's)."),
    ]
    static let targetParameter = parameter("target", .target, options: target, class: "ldrun.Target")

    static let release: [HostAPI.Function] = [
        function("release.get", "release.get(target)", [targetParameter], returns: [ret("ldrun.Release?")]),
        function(
            "release.create", "release.create(flag, pipeline [, variation])",
            [
                parameter("flag", .string), parameter("pipeline", .string),
                parameter("variation", .string, optional: true),
            ],
            tableForm: [
                option("flag", .string, required: true, "The flag key."),
                option("pipeline", .string, required: true, "The release pipeline's key."),
                option("variation", .string, "The `_id` of the variation to release."),
                option("project", .string, "The project (default: the run's)."),
            ],
            returns: [ret("ldrun.Release")]),
        function("release.delete", "release.delete(target)", [targetParameter], returns: [ret("true")]),
        function(
            "release.patch", "release.patch{flag=, ops=, project=}",
            [
                parameter(
                    "form", .table,
                    options: [
                        option("flag", .string, required: true, "The flag key."),
                        option("ops", .table, required: true, "JSON-patch operations: `{op=, path=, value=}`."),
                        option("project", .string, "The project (default: the run's)."),
                    ], class: "ldrun.ReleasePatchForm")
            ],
            returns: [ret("ldrun.Release")]),
        function(
            "release.status", "release.status(rel)", [parameter("rel", .release)], returns: [ret("ldrun.ReleaseStatus")]
        ),
        function("release.summary", "release.summary(rel)", [parameter("rel", .release)], returns: [ret("string")]),
    ]

    // MARK: phase

    static let phase: [HostAPI.Function] = [
        function("phase.next", "phase.next(rel)", [parameter("rel", .release)], returns: [ret("ldrun.Phase?")]),
        function("phase.active", "phase.active(rel)", [parameter("rel", .release)], returns: [ret("ldrun.Phase?")]),
        function(
            "phase.find", "phase.find(rel, name_or_id)",
            [parameter("rel", .release), parameter("name_or_id", .string)],
            returns: [ret("ldrun.Phase?")]),
        function(
            "phase.state", "phase.state(rel, phase)", [parameter("rel", .release), parameter("phase", .phase)],
            returns: [ret("ldrun.PhaseState")]),
        function(
            "phase.start", "phase.start(target [, phase [, options]])",
            [
                targetParameter, parameter("phase", .phase, optional: true),
                parameter(
                    "options", .table, optional: true,
                    options: [option("audiences", .table, "Audience settings sent with the start.")],
                    class: "ldrun.PhaseStartOptions"),
            ],
            returns: [ret("ldrun.Release", "rel"), ret("boolean", "started_now")]),
        function(
            "phase.wait", "phase.wait(target [, phase [, options]])",
            [
                targetParameter, parameter("phase", .phaseOrStarted, optional: true),
                parameter(
                    "options", .table, optional: true,
                    options: [
                        option("timeout", .duration, "Give up after this long (default 10 minutes)."),
                        option("every", .duration, "Interval between checks (default 5 seconds)."),
                        option(
                            "backoff", .number,
                            "Multiply the interval by this after each check, up to a minute (default 1: fixed)."),
                        option(
                            "until", .string, choices: ["rolled_out", "complete"],
                            "`\"rolled_out\"` (the default) or `\"complete\"`."),
                    ], class: "ldrun.PhaseWaitOptions"),
            ],
            returns: [ret("ldrun.Release")]),
    ]

    // MARK: pipeline and flag

    static let pipeline: [HostAPI.Function] = [
        function(
            "pipeline.list", "pipeline.list([{project=, query=, env=}])",
            [
                parameter(
                    "options", .table, optional: true,
                    options: [
                        option("project", .string, "The project (default: the run's)."),
                        option("query", .string, "Only pipelines whose key, name or description match."),
                        option("env", .string, "Only pipelines with this environment."),
                        option("environment", .string, "Same as `env`."),
                    ], class: "ldrun.PipelineListOptions")
            ],
            returns: [ret("ldrun.Pipeline[]")]),
        function(
            "pipeline.get", "pipeline.get(key)", [parameter("key", .string)],
            tableForm: [
                option("key", .string, required: true, "The pipeline's key."),
                option("project", .string, "The project (default: the run's)."),
            ],
            returns: [ret("ldrun.Pipeline")]),
        function(
            "pipeline.releases", "pipeline.releases(key [, {status=, phase=, project=}])",
            [
                parameter("key", .string),
                parameter(
                    "options", .table, optional: true, options: releasesOptions, class: "ldrun.PipelineReleasesOptions"),
            ],
            tableForm: [option("key", .string, required: true, "The pipeline's key.")] + releasesOptions,
            returns: [ret("ldrun.ReleaseProgress")]),
        function(
            "flag.get", "flag.get(key)", [parameter("key", .string)],
            tableForm: [
                option("key", .string, required: true, "The flag key."),
                option("project", .string, "The project (default: the run's)."),
                option("env", .string, "Only this environment's settings."),
            ],
            returns: [ret("table")]),
    ]

    static let releasesOptions = [
        option("status", .string, choices: ["active", "completed"], "`\"active\"` or `\"completed\"`."),
        option("phase", .string, "Only releases whose active phase is this one (name or id)."),
        option("project", .string, "The project (default: the run's)."),
    ]

    // MARK: waiting and concurrency

    static let waiting: [HostAPI.Function] = [
        function("sleep", "sleep(d)", [parameter("d", .duration)]),
        function(
            "wait_until", "wait_until(fn [, options])",
            [
                parameter("fn", .function),
                parameter(
                    "options", .table, optional: true,
                    options: [
                        option("timeout", .duration, "Give up after this long (default \"5m\")."),
                        option("every", .duration, "First interval between calls (default \"2s\")."),
                        option("backoff", .number, "Multiply the interval by this after each call (default 1)."),
                        option("max_every", .duration, "Longest interval."),
                        option("what", .string, "What is awaited, for messages."),
                    ], class: "ldrun.WaitOptions"),
            ],
            returns: [ret("any")], origin: .prelude),
        function("spawn", "spawn(fn, ...)", [parameter("fn", .function)], variadic: true, returns: [ret("ldrun.Task")]),
        function("task:wait", "task:wait()", returns: [ret("any ...")], origin: .method),
        function("task:done", "task:done()", returns: [ret("boolean")], origin: .method),
        function(
            "parallel", "parallel(list, fn [, {limit=}])",
            [
                parameter("list", .table), parameter("fn", .function),
                parameter(
                    "options", .table, optional: true,
                    options: [option("limit", .integer, "Most calls in flight at once (default 10).")],
                    class: "ldrun.ParallelOptions"),
            ],
            returns: [ret("table<integer, any>", "results"), ret("table<integer, any>", "errors")], origin: .prelude),
    ]

    // MARK: operator, json, context

    static let operatorGate: [HostAPI.Function] =
        [function("confirm", "confirm(question)", [parameter("question", .string)], returns: [ret("boolean")])]
        + ["debug", "info", "warn", "error"].map { level in
            function(
                "log.\(level)", "log.\(level)(message [, fields])",
                [parameter("message", .any), parameter("fields", .table, optional: true)])
        }

    static let json: [HostAPI.Function] = [
        function(
            "json.encode", "json.encode(value [, {pretty=true}])",
            [
                parameter("value", .any),
                parameter(
                    "options", .table, optional: true,
                    options: [option("pretty", .boolean, "Indent the text.")], class: "ldrun.JSONEncodeOptions"),
            ],
            returns: [ret("string")]),
        function("json.decode", "json.decode(text)", [parameter("text", .string)], returns: [ret("any")]),
        function("json.array", "json.array([t])", [parameter("t", .table, optional: true)], returns: [ret("table")]),
    ]

    static let context: [HostAPI.Function] = [
        function("ldrun.clock", "ldrun.clock()", returns: [ret("number")]),
        function("ldrun.duration", "ldrun.duration(d)", [parameter("d", .duration)], returns: [ret("number")]),
        function(
            "ldrun.pretty", "ldrun.pretty(value [, options])",
            [
                parameter("value", .any),
                parameter(
                    "options", .table, optional: true,
                    options: [
                        option("depth", .integer, "Levels shown (default 4)."),
                        option("width", .integer, "Columns a one-line table may take (default 100)."),
                        option("items", .integer, "Entries shown per table (default 50)."),
                        option("summary", .boolean, "`false` leaves a release's summary line out."),
                    ], class: "ldrun.PrettyOptions"),
            ],
            returns: [ret("string")], origin: .prelude),
        function(
            "ldrun.error", "ldrun.error(code, message [, fields [, level]])",
            [
                parameter("code", .string), parameter("message", .string), parameter("fields", .table, optional: true),
                parameter("level", .integer, optional: true),
            ],
            returns: [ret("ldrun.Error")]),
        function(
            "ldrun.options", "ldrun.options(opts, known, fname [, argument])",
            [
                parameter("opts", .table, optional: true), parameter("known", .table), parameter("fname", .string),
                parameter("argument", .integer, optional: true),
            ],
            returns: [ret("table")]),
        function(
            "os.exit", "os.exit([status [, close]])",
            [parameter("status", .exitStatus, optional: true), parameter("close", .any, optional: true)],
            origin: .standard),
    ]

    static let sim: [HostAPI.Function] = ["approve", "regress", "complete"].map { action in
        function(
            "sim.\(action)", "sim.\(action)(flag [, phase])",
            [parameter("flag", .string), parameter("phase", .phase, optional: true)], returns: [ret("true")],
            origin: .simulator)
    }

    // MARK: builders

    static func function(
        _ name: String, _ signature: String, _ parameters: [HostAPI.Parameter] = [], variadic: Bool = false,
        tableForm: [HostAPI.Option]? = nil, returns: [HostAPI.Return] = [], origin: HostAPI.Origin = .host
    ) -> HostAPI.Function {
        HostAPI.Function(
            name: name, signature: signature, parameters: parameters, variadic: variadic, tableForm: tableForm,
            returns: returns, origin: origin)
    }

    static func parameter(
        _ name: String, _ type: T, optional: Bool = false, options: [HostAPI.Option]? = nil, class name2: String? = nil
    ) -> HostAPI.Parameter {
        HostAPI.Parameter(name: name, type: type, optional: optional, options: options, optionsClass: name2)
    }

    static func option(
        _ name: String, _ type: T, required: Bool = false, choices: [String] = [], _ summary: String
    ) -> HostAPI.Option {
        HostAPI.Option(name: name, type: type, required: required, choices: choices, summary: summary)
    }

    static func ret(_ annotation: String, _ name: String = "") -> HostAPI.Return {
        HostAPI.Return(annotation: annotation, name: name)
    }
}

extension HostAPI.ValueType {
    static let string = Self("string", [.string], expected: "string")
    static let number = Self("number", [.number], expected: "number")
    static let integer = Self("integer", [.number], expected: "integer")
    static let boolean = Self("boolean", [.boolean], expected: "boolean")
    static let table = Self("table", [.table], expected: "table")
    static let function = Self("function", [.function], expected: "function")
    static let any = Self("any", nil, expected: "value")
    static let duration = Self("number|string", [.number, .string], expected: "duration", isDuration: true)
    static let target = Self("string|ldrun.Release|ldrun.Target", [.string, .table], expected: "release or flag key")
    static let release = Self("ldrun.Release", [.table], expected: "release table")
    static let phase = Self("string|ldrun.Phase", [.string, .table], expected: "phase name, id or table")
    /// `phase.wait`'s phase, which may be the boolean `phase.start` returns second.
    static let phaseOrStarted = Self(
        "string|ldrun.Phase|boolean", [.string, .table, .boolean], expected: "phase name, id or table")
    static let exitStatus = Self("boolean|integer", [.boolean, .number], expected: "boolean or integer")
}
