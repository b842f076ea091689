import Foundation
import LuaBridge

/// `spawn`, `sleep`, and the monotonic clock the prelude's waits use.
enum TaskAPI {
    static func register(_ context: RunContext) {
        context.bind("spawn") { context, call in
            try call.checkFunction(at: 1)
            _ = try context.scheduler.currentTask(call)
            let task: RunbookTask
            do {
                task = try context.scheduler.spawn(from: call, functionAt: 1)
            } catch {
                throw LuaHostError(code: "spawn_failed", message: String(describing: error))
            }
            try call.stack.push(object: TaskHandle(task), metatable: "ldrun.task")
            return .pushed(1)
        }

        context.bindAsync("sleep") { context, call in
            let duration = try RunbookDuration.argument(call, 1)
            if context.operations.isDryRun { return { [] } }
            let time = context.time
            return {
                try await time.sleep(for: duration)
                return []
            }
        }

        let time = context.time
        let start = time.now
        context.bind("ldrun.clock") { _, _ in
            .values([.number(RunbookDuration.seconds(time.now - start))])
        }
    }
}
