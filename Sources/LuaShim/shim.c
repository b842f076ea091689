#include "LuaShim.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Shared by every thread of one state (reachable from each thread's extra space). */
struct ldr_context {
    /* Swift's owner of the state (unretained; it outlives the lua_State). */
    void *owner;
    /* Set from any thread or a signal handler; stays set until cleared. */
    atomic_int interrupt_pending;
    /* Bytes the allocator has handed out, and the most it may (0: no limit). Touched only
     * by the thread running the state. */
    size_t used;
    size_t limit;
    /* Lua's warning system, as lauxlib does it: off by default, "@on"/"@off". */
    int warnings_on;
    int warning_continues;
};

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

ldr_context *ldr_context_new(void) {
    ldr_context *context = (ldr_context *)calloc(1, sizeof(ldr_context));
    if (context != NULL) atomic_init(&context->interrupt_pending, 0);
    return context;
}

void ldr_context_free(ldr_context *context) { free(context); }
void ldr_context_setowner(ldr_context *context, void *owner) { context->owner = owner; }
void *ldr_context_owner(ldr_context *context) { return context->owner; }

/* ---- Memory ---------------------------------------------------------------------- */

/* A lua_Alloc that counts what it hands out and refuses to grow past the limit: Lua then
 * collects garbage, retries, and raises its own "not enough memory" error (LUA_ERRMEM),
 * which pcall catches. Shrinking and freeing never fail. */
static void *ldr_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
    ldr_context *context = (ldr_context *)ud;
    size_t old = ptr != NULL ? osize : 0;
    if (nsize == 0) {
        free(ptr);
        context->used -= old;
        return NULL;
    }
    if (nsize > old && context->limit != 0) {
        size_t growth = nsize - old;
        if (context->used > context->limit || growth > context->limit - context->used) return NULL;
    }
    void *block = realloc(ptr, nsize);
    if (block == NULL) return NULL;
    context->used = context->used - old + nsize;
    return block;
}

void ldr_setmemorylimit(ldr_context *context, size_t limit) { context->limit = limit; }
size_t ldr_memorylimit(ldr_context *context) { return context->limit; }
size_t ldr_memoryused(ldr_context *context) { return context->used; }

static int ldr_panic(lua_State *L) {
    const char *message = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "error object is not a string";
    fprintf(stderr, "ldrun: unprotected error in a Lua call (%s)\n", message);
    fflush(stderr);
    return 0; /* Lua then aborts */
}

static void ldr_warn(void *ud, const char *message, int tocont) {
    ldr_context *context = (ldr_context *)ud;
    if (!context->warning_continues && !tocont && message[0] == '@') {
        if (strcmp(message, "@on") == 0) context->warnings_on = 1;
        else if (strcmp(message, "@off") == 0) context->warnings_on = 0;
        return;
    }
    if (context->warnings_on) {
        if (!context->warning_continues) fputs("Lua warning: ", stderr);
        fputs(message, stderr);
        if (!tocont) fputs("\n", stderr);
        fflush(stderr);
    }
    context->warning_continues = tocont;
}

/* ---- Swift objects in userdata ---------------------------------------------------- */

static int ldr_object_gc(lua_State *L);
int ldr_trampoline(lua_State *L);

/* Whether the value at idx is a full userdata whose metatable's __gc is ldr_object_gc: one
 * of the boxes made by ldr_pushobject. Pushes nothing. */
static int ldr_isbox(lua_State *L, int idx) {
    if (lua_type(L, idx) != LUA_TUSERDATA || !lua_getmetatable(L, idx)) return 0;
    lua_pushliteral(L, "__gc");
    lua_rawget(L, -2);
    int ours = lua_tocfunction(L, -1) == ldr_object_gc;
    lua_pop(L, 2);
    return ours;
}

/* Releases the Swift object of a box, once. Anything else it is handed (Lua code can reach
 * __gc through debug.getmetatable) is left alone. */
static int ldr_object_gc(lua_State *L) {
    if (!ldr_isbox(L, 1)) return 0;
    ldr_box *box = (ldr_box *)lua_touserdata(L, 1);
    if (box != NULL && box->object != NULL) {
        void *object = box->object;
        box->object = NULL;
        if (ldr_release != NULL) ldr_release(object);
    }
    return 0;
}

/* Arguments of the protected pushes of Swift objects. The object is consumed either way:
 * owned by the box once `taken`, released here when the push failed before that. */
typedef struct ldr_objectpush {
    void *retained;
    const char *tname;
    int closure;
    int taken;
} ldr_objectpush;

static int ldr_pushobject_p(lua_State *L) {
    ldr_objectpush *push = (ldr_objectpush *)lua_touserdata(L, 1);
    ldr_box *box = (ldr_box *)lua_newuserdatauv(L, sizeof(ldr_box), 0);
    box->object = NULL;
    if (push->tname == NULL || luaL_getmetatable(L, push->tname) != LUA_TTABLE) {
        if (push->tname != NULL) lua_pop(L, 1);
        luaL_getmetatable(L, LDR_OBJECT_MT);
    }
    lua_setmetatable(L, -2);
    box->object = push->retained;
    push->taken = 1;
    if (push->closure) lua_pushcclosure(L, ldr_trampoline, 1);
    return 1;
}

static int ldr_pushobject_protected(lua_State *L, ldr_objectpush *push) {
    if (!lua_checkstack(L, 3)) {
        if (ldr_release != NULL) ldr_release(push->retained);
        return LDR_NOROOM;
    }
    lua_pushcfunction(L, ldr_pushobject_p);
    lua_pushlightuserdata(L, push);
    int status = lua_pcall(L, 1, 1, 0);
    if (status != LUA_OK && !push->taken && ldr_release != NULL) ldr_release(push->retained);
    return status;
}

int ldr_pushobject(lua_State *L, void *retained, const char *tname) {
    ldr_objectpush push = {retained, tname, 0, 0};
    return ldr_pushobject_protected(L, &push);
}

void *ldr_toobject(lua_State *L, int idx) {
    if (!ldr_isbox(L, idx)) return NULL;
    return ((ldr_box *)lua_touserdata(L, idx))->object;
}

/* Completes the metatable on top of the stack for a type of Swift objects: __gc releases
 * the object, __metatable hides the table from getmetatable, __name names the type. */
static int ldr_newobjecttype_p(lua_State *L) {
    const char *tname = (const char *)lua_touserdata(L, 1);
    luaL_newmetatable(L, tname);
    lua_pushcfunction(L, ldr_object_gc);
    lua_setfield(L, -2, "__gc");
    lua_pushstring(L, tname);
    lua_setfield(L, -2, "__metatable");
    lua_createtable(L, 0, 4);
    lua_pushvalue(L, -1);
    lua_setfield(L, -3, "__index");
    return 2;
}

int ldr_newobjecttype(lua_State *L, const char *tname) {
    if (!lua_checkstack(L, 4)) return LDR_NOROOM;
    lua_pushcfunction(L, ldr_newobjecttype_p);
    lua_pushlightuserdata(L, (void *)tname);
    int status = lua_pcall(L, 1, 2, 0);
    return status;
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

static int ldr_newstate_p(lua_State *L) {
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
    /* getmetatable(err) gives a copy, so code that checks for __tostring still finds it
     * while the shared metatable cannot be changed. */
    lua_createtable(L, 0, 2);
    lua_pushcfunction(L, ldr_error_tostring);
    lua_setfield(L, -2, "__tostring");
    lua_pushliteral(L, "ldrun.error");
    lua_setfield(L, -2, "__name");
    lua_setfield(L, -2, "__metatable");
    lua_pop(L, 1);

    ldr_pushnull(L);
    lua_pop(L, 1);
    return 0;
}

lua_State *ldr_newstate(ldr_context *context) {
    lua_State *L = lua_newstate(ldr_alloc, context);
    if (L == NULL) return NULL;
    lua_atpanic(L, ldr_panic);
    lua_setwarnf(L, ldr_warn, context);
    *(ldr_context **)lua_getextraspace(L) = context;
    lua_pushcfunction(L, ldr_newstate_p);
    if (lua_pcall(L, 0, 0, 0) != LUA_OK) {
        lua_close(L);
        return NULL;
    }
    return L;
}

/* ---- Lua's own loaders, text only ---------------------------------------------- */

/* As lbaselib's load_aux: the chunk (with `env` as its first upvalue when given), or
 * fail plus the message. */
static int ldr_loadresult(lua_State *L, int status, int env) {
    if (status != LUA_OK) {
        luaL_pushfail(L);
        lua_insert(L, -2);
        return 2;
    }
    if (env != 0) {
        lua_pushvalue(L, env);
        if (!lua_setupvalue(L, -2, 1)) lua_pop(L, 1);
    }
    return 1;
}

/* load(chunk [, chunkname [, mode [, env]]]): Lua's own load (upvalue 1) with the mode
 * forced to "t", so a binary chunk fails with "attempt to load a binary chunk". */
static int ldr_textload(lua_State *L) {
    int count = lua_gettop(L);
    if (count < 3) {
        lua_settop(L, 3);
        count = 3;
    }
    lua_pushliteral(L, "t");
    lua_replace(L, 3);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, count, LUA_MULTRET);
    return lua_gettop(L);
}

/* loadfile([filename [, mode [, env]]]): text only whatever the mode. luaL_loadfilex skips
 * a UTF-8 BOM and a first line starting with '#', keeping line numbers. */
static int ldr_textloadfile(lua_State *L) {
    const char *name = luaL_optstring(L, 1, NULL);
    int env = !lua_isnone(L, 3) ? 3 : 0;
    int status = luaL_loadfilex(L, name, "t");
    return ldr_loadresult(L, status, env);
}

static int ldr_dofilecontinue(lua_State *L, int status, lua_KContext ctx) {
    (void)status;
    (void)ctx;
    return lua_gettop(L) - 1;
}

/* dofile([filename]): as Lua's, text only. */
static int ldr_textdofile(lua_State *L) {
    const char *name = luaL_optstring(L, 1, NULL);
    lua_settop(L, 1);
    if (luaL_loadfilex(L, name, "t") != LUA_OK) return lua_error(L);
    lua_callk(L, 0, LUA_MULTRET, 0, ldr_dofilecontinue);
    return ldr_dofilecontinue(L, 0, 0);
}

/* Replaces load, loadfile and dofile with text-only versions, and removes what loads C
 * code: package.loadlib, the C and all-in-one searchers, package.cpath. */
static void ldr_restrictloaders(lua_State *L) {
    lua_getglobal(L, "load");
    lua_pushcclosure(L, ldr_textload, 1);
    lua_setglobal(L, "load");
    lua_pushcfunction(L, ldr_textloadfile);
    lua_setglobal(L, "loadfile");
    lua_pushcfunction(L, ldr_textdofile);
    lua_setglobal(L, "dofile");
    if (lua_getglobal(L, "package") == LUA_TTABLE) {
        lua_pushnil(L);
        lua_setfield(L, -2, "loadlib");
        lua_pushliteral(L, "");
        lua_setfield(L, -2, "cpath");
        if (lua_getfield(L, -1, "searchers") == LUA_TTABLE) {
            lua_pushnil(L);
            lua_rawseti(L, -2, 4);
            lua_pushnil(L);
            lua_rawseti(L, -2, 3);
        }
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
}

static int ldr_openlibs_p(lua_State *L) {
    luaL_openlibs(L);
    ldr_restrictloaders(L);
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

int ldr_trampoline(lua_State *L) {
    ldr_box *box = (ldr_box *)lua_touserdata(L, lua_upvalueindex(1));
    if (box == NULL || box->object == NULL || ldr_dispatch == NULL) {
        return luaL_error(L, "host function is no longer available");
    }
    int result = ldr_dispatch(L, box->object);
    if (result >= 0) return result;
    if (result == LDR_RAISE) return lua_error(L);
    luaL_checkstack(L, 1, "no room to suspend the call");
    int base = lua_gettop(L);
    lua_pushlightuserdata(L, ldr_yieldmarker());
    return lua_yieldk(L, 1, (lua_KContext)base, ldr_continue);
}

int ldr_pushhostfunction(lua_State *L, void *retained_box) {
    ldr_objectpush push = {retained_box, NULL, 1, 0};
    return ldr_pushobject_protected(L, &push);
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

static int ldr_lasttraceback_p(lua_State *L) {
    lua_getfield(L, LUA_REGISTRYINDEX, LDR_TRACEBACK_KEY);
    lua_pushnil(L);
    lua_setfield(L, LUA_REGISTRYINDEX, LDR_TRACEBACK_KEY);
    return 1;
}

int ldr_pushlasttraceback(lua_State *L) {
    if (!lua_checkstack(L, 3)) return LDR_NOROOM;
    lua_pushcfunction(L, ldr_lasttraceback_p);
    return lua_pcall(L, 0, 1, 0);
}

static int ldr_traceback_p(lua_State *L) {
    lua_State *co = (lua_State *)lua_touserdata(L, 1);
    const char *message = (const char *)lua_touserdata(L, 2);
    luaL_traceback(L, co, message, (int)lua_tointeger(L, 3));
    return 1;
}

int ldr_traceback(lua_State *L, lua_State *co, const char *message, int level) {
    if (!lua_checkstack(L, 4)) return LDR_NOROOM;
    lua_pushcfunction(L, ldr_traceback_p);
    lua_pushlightuserdata(L, co);
    lua_pushlightuserdata(L, (void *)message);
    lua_pushinteger(L, level);
    return lua_pcall(L, 3, 1, 0);
}

static int ldr_tostring_p(lua_State *L) {
    luaL_tolstring(L, 1, NULL);
    return 1;
}

int ldr_tostring(lua_State *L, int idx) {
    idx = lua_absindex(L, idx);
    if (!lua_checkstack(L, 3)) return LDR_NOROOM;
    /* An index past the top (an absent argument) would name the function pushed below. */
    if (lua_type(L, idx) == LUA_TNONE) {
        lua_pushliteral(L, "nil");
        return LUA_OK;
    }
    lua_pushcfunction(L, ldr_tostring_p);
    lua_pushvalue(L, idx);
    return lua_pcall(L, 1, 1, 0);
}

typedef struct ldr_whereargs {
    lua_State *thread;
    int level;
} ldr_whereargs;

static int ldr_where_p(lua_State *L) {
    ldr_whereargs *args = (ldr_whereargs *)lua_touserdata(L, 1);
    lua_Debug ar;
    if (lua_getstack(args->thread, args->level + 1, &ar)) { /* + 1: this function */
        lua_getinfo(args->thread, "Sl", &ar);
        if (ar.currentline > 0) {
            lua_pushfstring(L, "%s:%d:", ar.short_src, ar.currentline);
            return 1;
        }
    }
    lua_pushliteral(L, "");
    return 1;
}

int ldr_where(lua_State *L, int level) {
    if (!lua_checkstack(L, 3)) return LDR_NOROOM;
    ldr_whereargs args = {L, level};
    lua_pushcfunction(L, ldr_where_p);
    lua_pushlightuserdata(L, &args);
    return lua_pcall(L, 1, 1, 0);
}

int ldr_resetthread(lua_State *L) {
#if LUA_VERSION_RELEASE_NUM >= 50406
    return lua_closethread(L, NULL);
#else
    return lua_resetthread(L);
#endif
}

/* ---- Interrupts ------------------------------------------------------------------ */

#define LDR_HOOK_COUNT 1000

/* While an interrupt is pending, every check raises `interrupted`, and each raise halves
 * the interval to the next check, down to every instruction: cleanup (`<close>`, a pcall
 * handler) gets a short grace, but a pcall in a loop cannot swallow the interrupt, since
 * the instruction after a caught error is itself checked. Once the interrupt is cleared,
 * the next check restores the normal interval. */
static void ldr_interrupt_hook(lua_State *L, lua_Debug *ar) {
    (void)ar;
    ldr_context *context = ldr_getcontext(L);
    int count = lua_gethookcount(L);
    if (context == NULL || !atomic_load(&context->interrupt_pending)) {
        if (count != LDR_HOOK_COUNT) lua_sethook(L, ldr_interrupt_hook, LUA_MASKCOUNT, LDR_HOOK_COUNT);
        return;
    }
    lua_sethook(L, ldr_interrupt_hook, LUA_MASKCOUNT, count > 1 ? count / 2 : 1);
    ldr_pusherror(L, "interrupted", "interrupted");
    lua_error(L);
}

void ldr_install_interrupt_hook(lua_State *L) {
    lua_sethook(L, ldr_interrupt_hook, LUA_MASKCOUNT, LDR_HOOK_COUNT);
}

void ldr_interrupt_soon(lua_State *L) { lua_sethook(L, ldr_interrupt_hook, LUA_MASKCOUNT, 1); }

void ldr_interrupt(ldr_context *context) { atomic_store(&context->interrupt_pending, 1); }
void ldr_clear_interrupt(ldr_context *context) { atomic_store(&context->interrupt_pending, 0); }
int ldr_interrupt_pending(ldr_context *context) { return atomic_load(&context->interrupt_pending); }

/* ---- Building values under protection ----------------------------------------------- */

typedef struct ldr_buildargs {
    const ldr_op *ops;
    size_t count;
    const char *bytes;
} ldr_buildargs;

static int ldr_build_p(lua_State *L) {
    ldr_buildargs *args = (ldr_buildargs *)lua_touserdata(L, 1);
    lua_settop(L, 0);
    for (size_t i = 0; i < args->count; i++) {
        const ldr_op *op = &args->ops[i];
        luaL_checkstack(L, 4, "value nested too deep");
        switch (op->kind) {
        case LDR_OP_NIL: lua_pushnil(L); break;
        case LDR_OP_BOOLEAN: lua_pushboolean(L, op->integer != 0); break;
        case LDR_OP_INTEGER: lua_pushinteger(L, op->integer); break;
        case LDR_OP_NUMBER: lua_pushnumber(L, op->number); break;
        case LDR_OP_STRING: lua_pushlstring(L, args->bytes + op->offset, op->length); break;
        case LDR_OP_NULL: ldr_pushnull(L); break;
        case LDR_OP_TABLE: lua_createtable(L, (int)op->integer, (int)op->length); break;
        case LDR_OP_MARKARRAY: ldr_markarray(L, -1); break;
        case LDR_OP_SETINDEX: lua_rawseti(L, -2, op->integer); break;
        case LDR_OP_SETFIELD: lua_rawset(L, -3); break;
        case LDR_OP_ERRORMT: luaL_setmetatable(L, LDR_ERROR_MT); break;
        default: return luaL_error(L, "bad value builder instruction %d", op->kind);
        }
    }
    return lua_gettop(L);
}

int ldr_build(lua_State *L, const ldr_op *ops, size_t count, const char *bytes) {
    if (!lua_checkstack(L, 3)) return LDR_NOROOM;
    ldr_buildargs args = {ops, count, bytes};
    lua_pushcfunction(L, ldr_build_p);
    lua_pushlightuserdata(L, &args);
    return lua_pcall(L, 1, LUA_MULTRET, 0);
}

/* ---- Protected gathering of fields ------------------------------------------------- */

typedef struct ldr_gatherargs {
    const char *const *fields;
    int nfields;
    int list;
    const char *const *itemfields;
    int nitemfields;
    int maxitems;
    int count;
} ldr_gatherargs;

/* The table at 1, the arguments (light userdata) at 2; see ldr_gather. */
static int ldr_gather_p(lua_State *L) {
    ldr_gatherargs *args = (ldr_gatherargs *)lua_touserdata(L, 2);
    if (!lua_checkstack(L, args->nfields + args->nitemfields + 2)) return luaL_error(L, "stack overflow");
    /* The items' keys, made once (at 3...) rather than once per item: pushing a C string
       looks it up in Lua's string cache, which compares it whole. They are not returned. */
    int keys = 3;
    for (int k = 0; k < args->nitemfields; k++) lua_pushstring(L, args->itemfields[k]);
    int base = keys + args->nitemfields;
    for (int i = 0; i < args->nfields; i++) {
        lua_pushstring(L, args->fields[i]);
        lua_rawget(L, 1);
    }
    int list = base + args->list;
    args->count = 0;
    if (args->list < 0 || args->list >= args->nfields || lua_type(L, list) != LUA_TTABLE) {
        return lua_gettop(L) - base + 1;
    }
    lua_Unsigned n = lua_rawlen(L, list);
    if (n > (lua_Unsigned)args->maxitems) {
        args->count = -1;
        return lua_gettop(L) - base + 1;
    }
    if (!lua_checkstack(L, (int)n * (args->nitemfields + 1) + 2)) return luaL_error(L, "stack overflow");
    for (lua_Unsigned i = 1; i <= n; i++) {
        int item = lua_rawgeti(L, list, (lua_Integer)i) == LUA_TTABLE ? lua_gettop(L) : 0;
        for (int k = 0; k < args->nitemfields; k++) {
            if (item) {
                lua_pushvalue(L, keys + k);
                lua_rawget(L, item);
            } else {
                lua_pushnil(L);
            }
        }
    }
    args->count = (int)n;
    return lua_gettop(L) - base + 1;
}

int ldr_gather(lua_State *L, int idx, const char *const *fields, int nfields, int list,
               const char *const *itemfields, int nitemfields, int maxitems, int *count) {
    idx = lua_absindex(L, idx);
    if (!lua_checkstack(L, 3)) return LDR_NOROOM;
    ldr_gatherargs args = {fields, nfields, list, itemfields, nitemfields, maxitems, 0};
    lua_pushcfunction(L, ldr_gather_p);
    lua_pushvalue(L, idx);
    lua_pushlightuserdata(L, &args);
    int status = lua_pcall(L, 2, LUA_MULTRET, 0);
    *count = args.count;
    return status;
}

/* ---- Protected table and registry writes -------------------------------------------- */

/* t[key] = v, raw, with t at 1, key at 2 and v at 3. */
static int ldr_rawset_p(lua_State *L) {
    lua_rawset(L, 1);
    return 0;
}

int ldr_rawset(lua_State *L, int idx) {
    idx = lua_absindex(L, idx);
    if (!lua_checkstack(L, 4)) return LDR_NOROOM;
    lua_pushcfunction(L, ldr_rawset_p);
    lua_pushvalue(L, idx);
    lua_rotate(L, -4, 2); /* function, table, key, value */
    int status = lua_pcall(L, 3, 0, 0);
    return status;
}

/* Walks a dotted path from the globals table, creating missing tables, and sets its last
 * part to the value at 2 (the path is a light userdata at 1). */
static int ldr_setpath_p(lua_State *L) {
    const char *path = (const char *)lua_touserdata(L, 1);
    lua_rawgeti(L, LUA_REGISTRYINDEX, LUA_RIDX_GLOBALS);
    const char *part = path;
    const char *dot;
    while ((dot = strchr(part, '.')) != NULL) {
        lua_pushlstring(L, part, (size_t)(dot - part));
        lua_pushvalue(L, -1);
        lua_rawget(L, -3);
        if (lua_type(L, -1) != LUA_TTABLE) {
            lua_pop(L, 1);
            lua_createtable(L, 0, 4);
            lua_pushvalue(L, -2);
            lua_pushvalue(L, -2);
            lua_rawset(L, -5);
        }
        lua_remove(L, -2);
        lua_remove(L, -2);
        part = dot + 1;
    }
    lua_pushstring(L, part);
    lua_pushvalue(L, 2);
    lua_rawset(L, -3);
    return 0;
}

int ldr_setpath(lua_State *L, const char *path) {
    if (!lua_checkstack(L, 3)) return LDR_NOROOM;
    lua_pushcfunction(L, ldr_setpath_p);
    lua_insert(L, -2);
    lua_pushlightuserdata(L, (void *)path);
    lua_insert(L, -2);
    return lua_pcall(L, 2, 0, 0);
}

static int ldr_ref_p(lua_State *L) {
    lua_pushinteger(L, luaL_ref(L, LUA_REGISTRYINDEX));
    return 1;
}

int ldr_ref(lua_State *L, int idx, int *ref) {
    idx = lua_absindex(L, idx);
    if (!lua_checkstack(L, 3)) return LDR_NOROOM;
    lua_pushcfunction(L, ldr_ref_p);
    lua_pushvalue(L, idx);
    int status = lua_pcall(L, 1, 1, 0);
    if (status == LUA_OK) {
        *ref = (int)lua_tointeger(L, -1);
        lua_pop(L, 1);
    }
    return status;
}

static int ldr_unref_p(lua_State *L) {
    luaL_unref(L, LUA_REGISTRYINDEX, (int)lua_tointeger(L, 1));
    return 0;
}

void ldr_unref(lua_State *L, int ref) {
    if (ref < 0 || !lua_checkstack(L, 3)) return;
    lua_pushcfunction(L, ldr_unref_p);
    lua_pushinteger(L, ref);
    if (lua_pcall(L, 1, 0, 0) != LUA_OK) lua_pop(L, 1);
}

static int ldr_newthread_p(lua_State *L) {
    lua_State **thread = (lua_State **)lua_touserdata(L, 1);
    *thread = lua_newthread(L);
    lua_pushinteger(L, luaL_ref(L, LUA_REGISTRYINDEX));
    return 1;
}

int ldr_newthread(lua_State *L, lua_State **thread, int *ref) {
    if (!lua_checkstack(L, 3)) return LDR_NOROOM;
    lua_pushcfunction(L, ldr_newthread_p);
    lua_pushlightuserdata(L, thread);
    int status = lua_pcall(L, 1, 1, 0);
    if (status == LUA_OK) {
        *ref = (int)lua_tointeger(L, -1);
        lua_pop(L, 1);
    }
    return status;
}

/* Lua's own memory error message is a fixed, interned string: pushing it finds the existing
 * string and allocates nothing. */
void ldr_pushmemoryerror(lua_State *L) { lua_pushliteral(L, "not enough memory"); }
