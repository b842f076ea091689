#include "LuaShim.h"

#include <string.h>

static ldr_dispatch_fn ldr_dispatch = NULL;
static ldr_release_fn ldr_release = NULL;
static const char ldr_yield_marker_byte = 0;

static const char *const LDR_OBJECT_MT = "ldrun.object";
static const char *const LDR_ERROR_MT = "ldrun.error";
static const char *const LDR_ARRAY_MT = "ldrun.array";
static const char *const LDR_TRACEBACK_KEY = "ldrun.lasttraceback";

typedef struct ldr_box {
    void *object;
} ldr_box;

void ldr_set_callbacks(ldr_dispatch_fn dispatch, ldr_release_fn release) {
    ldr_dispatch = dispatch;
    ldr_release = release;
}

void *ldr_yieldmarker(void) { return (void *)&ldr_yield_marker_byte; }

ldr_context *ldr_getcontext(lua_State *L) { return *(ldr_context **)lua_getextraspace(L); }

/* ---- Swift objects in userdata ---------------------------------------------------- */

static int ldr_object_gc(lua_State *L) {
    ldr_box *box = (ldr_box *)lua_touserdata(L, 1);
    if (box != NULL && box->object != NULL) {
        void *object = box->object;
        box->object = NULL;
        if (ldr_release != NULL) ldr_release(object);
    }
    return 0;
}

void ldr_pushobject(lua_State *L, void *retained) {
    ldr_box *box = (ldr_box *)lua_newuserdatauv(L, sizeof(ldr_box), 0);
    box->object = retained;
    luaL_setmetatable(L, LDR_OBJECT_MT);
}

void *ldr_toobject(lua_State *L, int idx) {
    ldr_box *box = (ldr_box *)lua_touserdata(L, idx);
    if (box == NULL || lua_islightuserdata(L, idx) || !lua_getmetatable(L, idx)) return NULL;
    lua_pushliteral(L, "__gc");
    lua_rawget(L, -2);
    int ours = lua_tocfunction(L, -1) == ldr_object_gc;
    lua_pop(L, 2);
    return ours ? box->object : NULL;
}

void ldr_setobjectmetatable(lua_State *L, const char *tname) {
    luaL_getmetatable(L, tname);
    lua_pushliteral(L, "__gc");
    lua_rawget(L, -2);
    int has_gc = !lua_isnil(L, -1);
    lua_pop(L, 1);
    if (!has_gc) {
        lua_pushliteral(L, "__gc");
        lua_pushcfunction(L, ldr_object_gc);
        lua_rawset(L, -3);
    }
    lua_setmetatable(L, -2);
}

/* ---- Errors ---------------------------------------------------------------------- */

/* __tostring of host error tables: "where: message", falling back to the code. */
static int ldr_error_tostring(lua_State *L) {
    int pieces = 0;
    if (lua_type(L, 1) == LUA_TTABLE) {
        lua_pushliteral(L, "where");
        lua_rawget(L, 1);
        if (lua_type(L, -1) == LUA_TSTRING && lua_rawlen(L, -1) > 0) {
            lua_pushliteral(L, ": ");
            pieces += 2;
        } else {
            lua_pop(L, 1);
        }
        lua_pushliteral(L, "message");
        lua_rawget(L, 1);
        if (lua_type(L, -1) != LUA_TSTRING) {
            lua_pop(L, 1);
            lua_pushliteral(L, "code");
            lua_rawget(L, 1);
        }
        if (lua_type(L, -1) != LUA_TSTRING) {
            lua_pop(L, 1);
            lua_pushliteral(L, "error");
        }
        pieces += 1;
    } else {
        lua_pushliteral(L, "error");
        pieces = 1;
    }
    lua_concat(L, pieces);
    return 1;
}

static void ldr_pusherror(lua_State *L, const char *code, const char *message) {
    lua_createtable(L, 0, 3);
    lua_pushstring(L, code);
    lua_setfield(L, -2, "code");
    lua_pushstring(L, message);
    lua_setfield(L, -2, "message");
    luaL_setmetatable(L, LDR_ERROR_MT);
}

/* ---- State ----------------------------------------------------------------------- */

lua_State *ldr_newstate(ldr_context *context) {
    lua_State *L = luaL_newstate();
    if (L == NULL) return NULL;
    *(ldr_context **)lua_getextraspace(L) = context;

    luaL_newmetatable(L, LDR_OBJECT_MT);
    lua_pushcfunction(L, ldr_object_gc);
    lua_setfield(L, -2, "__gc");
    lua_pushliteral(L, "userdata");
    lua_setfield(L, -2, "__metatable");
    lua_pop(L, 1);

    luaL_newmetatable(L, LDR_ARRAY_MT);
    lua_pushliteral(L, "json.array");
    lua_setfield(L, -2, "__name");
    lua_pop(L, 1);

    luaL_newmetatable(L, LDR_ERROR_MT);
    lua_pushcfunction(L, ldr_error_tostring);
    lua_setfield(L, -2, "__tostring");
    lua_pop(L, 1);
    return L;
}

static int ldr_openlibs_p(lua_State *L) {
    luaL_openlibs(L);
    return 0;
}

int ldr_openlibs(lua_State *L) {
    lua_pushcfunction(L, ldr_openlibs_p);
    return lua_pcall(L, 0, 0, 0);
}

/* ---- Host functions -------------------------------------------------------------- */

/* Runs when a coroutine suspended by a host function is resumed. The resume arguments
 * sit above `base`: a boolean flag, then either the results (true) or an error object
 * (false), which is raised here, in C, as if the host function had raised it. */
static int ldr_continue(lua_State *L, int status, lua_KContext ctx) {
    (void)status;
    int base = (int)ctx;
    int top = lua_gettop(L);
    if (top <= base) return 0;
    if (!lua_toboolean(L, base + 1)) {
        if (top < base + 2) lua_pushnil(L);
        else lua_pushvalue(L, base + 2);
        return lua_error(L);
    }
    return top - base - 1;
}

static int ldr_trampoline(lua_State *L) {
    ldr_box *box = (ldr_box *)lua_touserdata(L, lua_upvalueindex(1));
    if (box == NULL || box->object == NULL || ldr_dispatch == NULL) {
        return luaL_error(L, "host function is no longer available");
    }
    int result = ldr_dispatch(L, box->object);
    if (result >= 0) return result;
    if (result == LDR_RAISE) return lua_error(L);
    int base = lua_gettop(L);
    lua_pushlightuserdata(L, ldr_yieldmarker());
    return lua_yieldk(L, 1, (lua_KContext)base, ldr_continue);
}

void ldr_pushhostfunction(lua_State *L, void *retained_box) {
    ldr_pushobject(L, retained_box);
    lua_pushcclosure(L, ldr_trampoline, 1);
}

/* ---- JSON markers ---------------------------------------------------------------- */

static const char ldr_null_key = 0;

static int ldr_null_tostring(lua_State *L) {
    lua_pushliteral(L, "null");
    return 1;
}

static int ldr_null_newindex(lua_State *L) { return luaL_error(L, "json.null is read-only"); }

void ldr_pushnull(lua_State *L) {
    if (lua_rawgetp(L, LUA_REGISTRYINDEX, &ldr_null_key) == LUA_TTABLE) return;
    lua_pop(L, 1);
    lua_newtable(L);
    lua_createtable(L, 0, 4);
    lua_pushcfunction(L, ldr_null_tostring);
    lua_setfield(L, -2, "__tostring");
    lua_pushcfunction(L, ldr_null_newindex);
    lua_setfield(L, -2, "__newindex");
    lua_pushliteral(L, "json.null");
    lua_setfield(L, -2, "__name");
    lua_pushliteral(L, "json.null");
    lua_setfield(L, -2, "__metatable");
    lua_setmetatable(L, -2);
    lua_pushvalue(L, -1);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &ldr_null_key);
}

int ldr_isnull(lua_State *L, int idx) {
    idx = lua_absindex(L, idx);
    if (lua_type(L, idx) != LUA_TTABLE) return 0;
    lua_rawgetp(L, LUA_REGISTRYINDEX, &ldr_null_key);
    int same = lua_rawequal(L, idx, -1);
    lua_pop(L, 1);
    return same;
}

void ldr_markarray(lua_State *L, int idx) {
    idx = lua_absindex(L, idx);
    luaL_getmetatable(L, LDR_ARRAY_MT);
    lua_setmetatable(L, idx);
}

int ldr_isarray(lua_State *L, int idx) {
    if (!lua_getmetatable(L, idx)) return 0;
    luaL_getmetatable(L, LDR_ARRAY_MT);
    int same = lua_rawequal(L, -1, -2);
    lua_pop(L, 2);
    return same;
}

/* ---- Loading and calling --------------------------------------------------------- */

int ldr_loadtext(lua_State *L, const char *buffer, size_t size, const char *chunkname) {
    return luaL_loadbufferx(L, buffer, size, chunkname, "t");
}

static int ldr_msghandler(lua_State *L) {
    luaL_traceback(L, L, NULL, 1);
    lua_setfield(L, LUA_REGISTRYINDEX, LDR_TRACEBACK_KEY);
    lua_settop(L, 1);
    return 1;
}

int ldr_pcall_traceback(lua_State *L, int nargs, int nresults) {
    int handler = lua_gettop(L) - nargs;
    lua_pushcfunction(L, ldr_msghandler);
    lua_insert(L, handler);
    int status = lua_pcall(L, nargs, nresults, handler);
    lua_remove(L, handler);
    return status;
}

void ldr_pushlasttraceback(lua_State *L) {
    lua_getfield(L, LUA_REGISTRYINDEX, LDR_TRACEBACK_KEY);
    lua_pushnil(L);
    lua_setfield(L, LUA_REGISTRYINDEX, LDR_TRACEBACK_KEY);
}

static int ldr_traceback_p(lua_State *L) {
    lua_State *co = (lua_State *)lua_touserdata(L, 1);
    const char *message = lua_tostring(L, 2);
    luaL_traceback(L, co, message, (int)lua_tointeger(L, 3));
    return 1;
}

int ldr_traceback(lua_State *L, lua_State *co, const char *message, int level) {
    lua_pushcfunction(L, ldr_traceback_p);
    lua_pushlightuserdata(L, co);
    if (message != NULL) lua_pushstring(L, message);
    else lua_pushnil(L);
    lua_pushinteger(L, level);
    return lua_pcall(L, 3, 1, 0);
}

static int ldr_tostring_p(lua_State *L) {
    luaL_tolstring(L, 1, NULL);
    return 1;
}

int ldr_tostring(lua_State *L, int idx) {
    idx = lua_absindex(L, idx);
    lua_pushcfunction(L, ldr_tostring_p);
    lua_pushvalue(L, idx);
    return lua_pcall(L, 1, 1, 0);
}

void ldr_where(lua_State *L, int level) { luaL_where(L, level); }

int ldr_resetthread(lua_State *L) {
#if LUA_VERSION_RELEASE_NUM >= 50406
    return lua_closethread(L, NULL);
#else
    return lua_resetthread(L);
#endif
}

/* ---- Interrupts ------------------------------------------------------------------ */

static void ldr_interrupt_hook(lua_State *L, lua_Debug *ar) {
    (void)ar;
    ldr_context *context = ldr_getcontext(L);
    if (context != NULL && context->interrupt_pending) {
        context->interrupt_pending = 0;
        ldr_pusherror(L, "interrupted", "interrupted");
        lua_error(L);
    }
}

void ldr_install_interrupt_hook(lua_State *L) {
    lua_sethook(L, ldr_interrupt_hook, LUA_MASKCOUNT, 1000);
}

void ldr_interrupt(ldr_context *context) { context->interrupt_pending = 1; }
