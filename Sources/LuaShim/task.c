// The entry of every task's coroutine.
//
// A task's function runs under a protected call inside its own coroutine. When it raises an
// error nobody catches, Lua unwinds it there, in the protected call's continuation, where
// the pending `<close>` variables run in a context that may yield: a cleanup can still call
// the API, and it sees the error. The message handler records the traceback at the point of
// the error first. The coroutine then returns normally with a marker, the error's status
// and the error object, which the bridge turns back into a failure, so nothing is raised
// twice and a memory error stays a memory error.
#include "LuaShim.h"

static const char ldr_failure_marker_byte = 0;

void *ldr_failuremarker(void) { return (void *)&ldr_failure_marker_byte; }

/* Level 0 is this function, 1 the message handler, 2 where the error was raised. */
static int ldr_task_traceback_p(lua_State *L) {
    luaL_traceback(L, L, NULL, 2);
    lua_rawsetp(L, LUA_REGISTRYINDEX, (void *)L);
    return 0;
}

/* Keeps the error object as it is; a traceback that cannot be built (no memory) is left out. */
static int ldr_task_msghandler(lua_State *L) {
    lua_settop(L, 1);
    if (lua_checkstack(L, 4)) {
        lua_pushcfunction(L, ldr_task_traceback_p);
        if (lua_pcall(L, 0, 0, 0) != LUA_OK) lua_settop(L, 1);
    }
    return 1;
}

static int ldr_task_finish(lua_State *L, int status, lua_KContext context) {
    (void)context;
    /* The results sit above the message handler at index 1. */
    if (status == LUA_OK || status == LUA_YIELD) return lua_gettop(L) - 1;
    /* The error object is on top, and the `<close>` variables have run. */
    if (!lua_checkstack(L, 2)) return lua_error(L);
    lua_pushlightuserdata(L, ldr_failuremarker());
    lua_pushinteger(L, status);
    lua_rotate(L, -3, 2);
    return 3;
}

static int ldr_task_entry(lua_State *L) {
    int arguments = lua_gettop(L) - 1;
    luaL_checkstack(L, 1, "no room to start the task");
    lua_pushcfunction(L, ldr_task_msghandler);
    lua_insert(L, 1);
    int status = lua_pcallk(L, arguments, LUA_MULTRET, 1, 0, ldr_task_finish);
    return ldr_task_finish(L, status, 0);
}

void ldr_pushtaskentry(lua_State *L) { lua_pushcfunction(L, ldr_task_entry); }

static int ldr_taketraceback_p(lua_State *L) {
    void *thread = lua_touserdata(L, 1);
    lua_rawgetp(L, LUA_REGISTRYINDEX, thread);
    lua_pushnil(L);
    lua_rawsetp(L, LUA_REGISTRYINDEX, thread);
    return 1;
}

int ldr_taketasktraceback(lua_State *L, lua_State *task) {
    if (!lua_checkstack(L, 3)) return LDR_NOROOM;
    lua_pushcfunction(L, ldr_taketraceback_p);
    lua_pushlightuserdata(L, (void *)task);
    return lua_pcall(L, 1, 1, 0);
}
