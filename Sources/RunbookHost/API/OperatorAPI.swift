import Foundation
import LuaBridge
import ReleaseCore

/// `confirm` and `log.*`: talking to the operator.
enum OperatorAPI {
    static func register(_ context: RunContext) {
        context.bindAsync("confirm") { context, call in
            let question = try call.string(at: 1)
            let events = context.events
            let fields: [String: JSONValue] = ["question": .string(question)]
            switch context.configuration.confirmation {
            case .assumeYes:
                return {
                    events.emit(
                        RunEvent(level: .info, name: "confirm", message: "\(question) yes (--yes)", fields: fields))
                    return [.boolean(true)]
                }
            case .refuse:
                throw LuaHostError(
                    code: "confirm_required",
                    message: "confirm(\"\(question)\") needs an answer: run on a terminal, or pass --yes",
                    fields: ["question": .string(question)]
                )
            case .ask(let ask):
                if context.scheduler.isRunningInBackground {
                    throw LuaHostError(
                        code: "confirm_in_background",
                        message: "confirm(\"\(question)\") cannot ask while the REPL's prompt has the terminal: "
                            + "the task runs in the background; wait for it (task:wait()) to answer",
                        fields: ["question": .string(question)]
                    )
                }
                return {
                    let answer = await ask(question)
                    events.emit(
                        RunEvent(
                            level: .info, name: "confirm", message: "\(question) \(answer ? "yes" : "no")",
                            fields: fields))
                    return [.boolean(answer)]
                }
            }
        }

        for (name, level) in [("debug", RunEvent.Level.debug), ("info", .info), ("warn", .warn), ("error", .error)] {
            context.bind("log.\(name)") { context, call in
                let message = call.type(at: 1) == .string ? try call.string(at: 1) : call.stack.describe(at: 1)
                var fields: [String: JSONValue] = [:]
                if !call.isAbsent(2) {
                    guard call.type(at: 2) == .table else { throw call.typeError(2, expected: "table") }
                    // A field that cannot be converted (a function, a cycle) is a bad argument.
                    if case .table(let entries) = try call.value(at: 2) {
                        for (key, value) in entries {
                            guard case .string(let name) = key else { continue }
                            guard let json = try? LuaJSON.json(value) else {
                                throw call.argumentError(2, "field '\(name)' cannot be logged: \(value.typeName)")
                            }
                            fields[name] = json
                        }
                    }
                }
                context.events.emit(RunEvent(level: level, name: "log", message: message, fields: fields))
                return .none
            }
        }
    }
}
