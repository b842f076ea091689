import Foundation

/// One API request as the simulator saw it, including what a fault did to it.
public struct SimulatorRequestRecord: Sendable, Equatable, Codable {
    /// The HTTP method, e.g. `PUT`.
    public var method: String
    /// The path, without the query.
    public var path: String
    /// The query string, if any.
    public var query: String?
    /// The endpoint matched; `nil` for an unknown route.
    public var route: SimulatorRoute?
    /// The flag the request is about, when its path names one.
    public var flagKey: String?
    /// The status answered, or that would have been answered before a `drop=after`;
    /// `nil` when the connection was dropped before processing.
    public var status: Int?
    /// The request body, if any.
    public var body: String?
    /// When the request arrived.
    public var time: Date
    /// The faults injected, in the `--faults` action syntax (e.g. `status=503`, `drop=after`).
    public var fault: String?
    /// Whether the request reached the data and state machine (so its change, if any, happened).
    public var processed: Bool

    /// Creates a record.
    public init(
        method: String, path: String, query: String? = nil, route: SimulatorRoute? = nil, flagKey: String? = nil,
        status: Int? = nil, body: String? = nil, time: Date, fault: String? = nil, processed: Bool = false
    ) {
        self.method = method
        self.path = path
        self.query = query
        self.route = route
        self.flagKey = flagKey
        self.status = status
        self.body = body
        self.time = time
        self.fault = fault
        self.processed = processed
    }
}

/// The request log, in arrival order. A record is added when a request arrives and
/// completed when its outcome is known.
actor RequestLog {
    private var entries: [(id: Int, record: SimulatorRequestRecord)] = []
    private var nextId = 0

    /// Adds a record; returns its handle for ``update(_:_:)``.
    func append(_ record: SimulatorRequestRecord) -> Int {
        nextId += 1
        entries.append((nextId, record))
        return nextId
    }

    /// Changes a record if it is still in the log.
    func update(_ id: Int, _ change: @Sendable (inout SimulatorRequestRecord) -> Void) {
        guard let index = entries.lastIndex(where: { $0.id == id }) else { return }
        change(&entries[index].record)
    }

    var records: [SimulatorRequestRecord] { entries.map(\.record) }

    func clear() { entries.removeAll() }
}
