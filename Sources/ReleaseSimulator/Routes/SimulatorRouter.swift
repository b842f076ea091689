import Hummingbird

/// Assembles the router: the request pipeline, the API endpoints and the admin endpoints.
enum SimulatorRouter {
    static func make(state: SimulatorState) -> Router<SimulatorRequestContext> {
        let router = Router(context: SimulatorRequestContext.self)
        var routes: [String: SimulatorRoute] = [:]
        for route in SimulatorRoute.allCases {
            routes["\(route.method) \(RouterPath(route.path))"] = route
        }
        router.add(middleware: RequestPipeline(state: state, routes: routes))
        let api = APIHandlers(store: state.store)
        for route in SimulatorRoute.allCases {
            router.on(RouterPath(route.path), method: route.method) { request, context in
                try await api.respond(route, request: request, context: context)
            }
        }
        AdminHandlers(state: state).register(on: router)
        return router
    }
}
