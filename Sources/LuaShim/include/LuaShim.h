// The C half of ldrun's Lua bridge.
//
// Swift never calls a Lua function that can longjmp (lua_error, luaL_error, luaL_check*,
// lua_yield*). Host functions are Swift closures reached through one C trampoline
// (ldr_trampoline) that raises errors and yields on Swift's behalf, after every Swift
// frame has returned. Operations that may run metamethods or raise run here, in C,
// under lua_pcall.
#ifndef LDRUN_LUA_SHIM_H
#define LDRUN_LUA_SHIM_H

#include <lua.h>
#include <lauxlib.h>
#include <lualib.h>
#include <stddef.h>

// Results a Swift host function hands back to the trampoline (besides n >= 0 results).
#define LDR_RAISE (-1)  // the error object is on top of the stack: raise it
#define LDR_YIELD (-2)  // suspend the calling coroutine until the scheduler resumes it

// Returned by the protected helpers below (besides Lua status codes) when the stack has no
// room for the call: nothing was pushed.
#define LDR_NOROOM (-100)

/// State shared by every thread of one lua_State, reachable from each thread's extra space:
/// the Swift owner, the interrupt flag (a C11 atomic) and the allocator's count and limit.
typedef struct ldr_context ldr_context;

/// A new context (NULL when memory is exhausted); free it after lua_close.
ldr_context *ldr_context_new(void);
void ldr_context_free(ldr_context *context);
void ldr_context_setowner(ldr_context *context, void *owner);
void *ldr_context_owner(ldr_context *context);

/// The most bytes the state may allocate (0: no limit). Past it, allocation fails and Lua
/// raises "not enough memory" (LUA_ERRMEM), which pcall catches.
void ldr_setmemorylimit(ldr_context *context, size_t limit);
size_t ldr_memorylimit(ldr_context *context);
/// Bytes the state has allocated.
size_t ldr_memoryused(ldr_context *context);

/// Called by the trampoline with the Swift box taken from the closure's upvalue.
typedef int (*ldr_dispatch_fn)(lua_State *L, void *box);
/// Releases a Swift object retained by a userdata box (called from __gc).
typedef void (*ldr_release_fn)(void *object);

/// Installs the Swift entry points; call once before any state is created.
void ldr_set_callbacks(ldr_dispatch_fn dispatch, ldr_release_fn release);

/// A new state with the counting allocator, the ldrun context in its extra space and the
/// host metatables set up. Returns NULL when memory is exhausted.
lua_State *ldr_newstate(ldr_context *context);
/// The context of any thread of a state made by ldr_newstate.
ldr_context *ldr_getcontext(lua_State *L);

/// Opens the standard libraries under protection. Returns a Lua status code.
int ldr_openlibs(lua_State *L);

// The helpers below that allocate run under lua_pcall and return a Lua status code (or
// LDR_NOROOM): on LUA_OK their results are pushed; otherwise one error object is pushed
// (for LUA_ERRMEM, Lua's preallocated "not enough memory" string).

/// Pushes a userdata that owns a retained Swift object; its __gc releases the object. With
/// tname, the userdata gets that metatable (made by ldr_newobjecttype). The object is
/// released when the push fails.
int ldr_pushobject(lua_State *L, void *retained, const char *tname);
/// The Swift object in the userdata at idx, or NULL when it is not one of ours.
void *ldr_toobject(lua_State *L, int idx);
/// Creates the metatable named tname for a type of Swift objects (__gc, __metatable, __name
/// is up to the caller) and pushes it and its __index table (for the methods).
int ldr_newobjecttype(lua_State *L, const char *tname);

/// Pushes a C closure that calls the Swift host function box (retained) via the trampoline.
/// The box is released when the push fails.
int ldr_pushhostfunction(lua_State *L, void *retained_box);

// Instructions of ldr_build, which pushes values described by Swift.
#define LDR_OP_NIL 0
#define LDR_OP_BOOLEAN 1     // integer: 0 or 1
#define LDR_OP_INTEGER 2     // integer
#define LDR_OP_NUMBER 3      // number
#define LDR_OP_STRING 4      // bytes[offset ..< offset + length]
#define LDR_OP_NULL 5        // the JSON null sentinel
#define LDR_OP_TABLE 6       // a new table: integer array slots, length hash slots
#define LDR_OP_MARKARRAY 7   // the array marker on the table on top
#define LDR_OP_SETINDEX 8    // t[integer] = v (t at -2, v at -1; pops v)
#define LDR_OP_SETFIELD 9    // t[k] = v (t at -3; pops k and v)
#define LDR_OP_ERRORMT 10    // the host error metatable on the table on top

typedef struct ldr_op {
    int kind;
    lua_Integer integer;
    lua_Number number;
    size_t offset;
    size_t length;
} ldr_op;

/// Pushes Lua's "not enough memory" message without allocating (needs one free slot).
void ldr_pushmemoryerror(lua_State *L);
/// Runs the instructions under protection, pushing the values they leave.
int ldr_build(lua_State *L, const ldr_op *ops, size_t count, const char *bytes);
/// t[k] = v, raw, for the table at idx and the key and value on top (popped).
/// Reads, raw, the fields `fields` of the table at idx and pushes their values in order;
/// when field number `list` is a table of at most `maxitems` elements, then pushes each of
/// its elements 1..#list followed by that element's `itemfields` (nils for an element that
/// is not a table) and sets *count to the number of elements (0 when the field is not a
/// table, -1 when it has more than maxitems). Protected (LUA_OK, or one error object pushed).
int ldr_gather(lua_State *L, int idx, const char *const *fields, int nfields, int list,
               const char *const *itemfields, int nitemfields, int maxitems, int *count);
int ldr_rawset(lua_State *L, int idx);
/// Sets a dotted global path (`release.get`), creating missing tables, to the value on top
/// (popped).
int ldr_setpath(lua_State *L, const char *path);
/// Anchors the value at idx in the registry.
int ldr_ref(lua_State *L, int idx, int *ref);
/// Releases a registry anchor.
void ldr_unref(lua_State *L, int ref);
/// A new thread anchored in the registry (nothing stays on L's stack).
int ldr_newthread(lua_State *L, lua_State **thread, int *ref);

/// The unique light userdata a host function yields so the scheduler can tell its yields
/// from a plain coroutine.yield.
void *ldr_yieldmarker(void);

/// Pushes the function every task's coroutine starts with (task.c): it calls the function
/// and arguments it is given under a protected call, so an uncaught error unwinds inside
/// the coroutine and `<close>` cleanup may yield (call the API). A failure makes the
/// coroutine return three values: ldr_failuremarker(), the error status, the error object.
void ldr_pushtaskentry(lua_State *L);
/// The light userdata that marks a task's failure among its coroutine's results.
void *ldr_failuremarker(void);
/// Pushes the traceback recorded where the task running on thread `task` raised its error
/// (or nil), and forgets it. LUA_OK, or a status with the error object pushed instead.
int ldr_taketasktraceback(lua_State *L, lua_State *task);

/// Pushes a list of the identifier keys starting with `prefix` of the value at the dotted
/// `path` ("" for the globals), and of its metatable's __index table (methods), reading
/// with raw lookups only (completion.c). LUA_OK, or a status with the error pushed.
int ldr_completions(lua_State *L, const char *path, const char *prefix);

/// Pushes the JSON null sentinel (a read-only table that prints as "null").
void ldr_pushnull(lua_State *L);
/// Whether the value at idx is the JSON null sentinel.
int ldr_isnull(lua_State *L, int idx);
/// Sets the array marker metatable on the table at idx, so an empty table stays an array.
void ldr_markarray(lua_State *L, int idx);
/// Whether the table at idx carries the array marker metatable.
int ldr_isarray(lua_State *L, int idx);

/// Loads a text chunk (binary chunks refused) with the given chunk name.
int ldr_loadtext(lua_State *L, const char *buffer, size_t size, const char *chunkname);

/// lua_pcall with ldr_msghandler: on error, the error object is left on the stack and its
/// traceback is stored for ldr_lasttraceback.
int ldr_pcall_traceback(lua_State *L, int nargs, int nresults);
/// Pushes the traceback recorded by the last failed ldr_pcall_traceback (or nil) and clears it.
int ldr_pushlasttraceback(lua_State *L);
/// Pushes a traceback of thread co (as luaL_traceback) onto L, under protection.
int ldr_traceback(lua_State *L, lua_State *co, const char *message, int level);

/// Converts the value at idx with luaL_tolstring (honouring __tostring and __name) under
/// protection. On success the string is pushed and LUA_OK returned; on failure the error
/// object is pushed instead.
int ldr_tostring(lua_State *L, int idx);

/// Pushes "chunk:line:" for the function at the given stack level (as luaL_where).
int ldr_where(lua_State *L, int level);

/// Resets a dead or suspended thread, closing its pending to-be-closed variables.
/// lua_resetthread on 5.4.4, lua_closethread on 5.4.6 and later.
int ldr_resetthread(lua_State *L);

/// Installs the count hook that turns ldr_interrupt into an `interrupted` error in
/// running Lua code. Threads created afterwards inherit it. While the interrupt is pending
/// it keeps raising (ever more often), so a pcall in a loop cannot swallow it.
void ldr_install_interrupt_hook(lua_State *L);
/// Requests an interrupt; safe from a signal handler and from any thread.
void ldr_interrupt(ldr_context *context);
/// Makes thread L check for a pending interrupt at its next instruction (allocates nothing,
/// never raises).
void ldr_interrupt_soon(lua_State *L);
/// Withdraws the interrupt (the next run of a session starts clean).
void ldr_clear_interrupt(ldr_context *context);
/// Whether an interrupt is pending.
int ldr_interrupt_pending(ldr_context *context);

// Wrappers of Lua macros Swift cannot import.
static inline void ldr_pop(lua_State *L, int n) { lua_pop(L, n); }
static inline void ldr_newtable(lua_State *L) { lua_newtable(L); }
static inline int ldr_upvalueindex(int i) { return lua_upvalueindex(i); }
static inline int ldr_registryindex(void) { return LUA_REGISTRYINDEX; }
static inline int ldr_ridx_globals(void) { return LUA_RIDX_GLOBALS; }
static inline int ldr_ridx_mainthread(void) { return LUA_RIDX_MAINTHREAD; }
static inline int ldr_isnoneornil(lua_State *L, int idx) { return lua_isnoneornil(L, idx); }
static inline lua_Number ldr_tonumber(lua_State *L, int idx) { return lua_tonumber(L, idx); }
static inline const char *ldr_tolstring(lua_State *L, int idx, size_t *len) { return lua_tolstring(L, idx, len); }
static inline void ldr_pushglobaltable(lua_State *L) { lua_pushglobaltable(L); }
static inline void ldr_insert(lua_State *L, int idx) { lua_insert(L, idx); }
static inline void ldr_remove(lua_State *L, int idx) { lua_remove(L, idx); }
static inline void ldr_replace(lua_State *L, int idx) { lua_replace(L, idx); }
static inline int ldr_noref(void) { return LUA_NOREF; }
static inline const char *ldr_version(void) { return LUA_RELEASE; }
static inline void ldr_gc_collect(lua_State *L) { lua_gc(L, LUA_GCCOLLECT); }
static inline int ldr_gc_count_bytes(lua_State *L) { return lua_gc(L, LUA_GCCOUNT) * 1024 + lua_gc(L, LUA_GCCOUNTB); }
static inline const char *ldr_typename(lua_State *L, int idx) { return lua_typename(L, lua_type(L, idx)); }

#endif
