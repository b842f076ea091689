// Names for the REPL's Tab completion, read without running any Lua code: raw lookups
// only, so no metamethod (a __index function, a proxy) runs while the operator types.
#include "LuaShim.h"

#include <string.h>

/* The value of field `name` (raw) in the value on top, replacing it: from a table itself,
 * else from its metatable's __index table (host values, strings). Nil when there is none. */
static void ldr_rawfield(lua_State *L, const char *name, size_t length) {
    if (lua_type(L, -1) == LUA_TTABLE) {
        lua_pushlstring(L, name, length);
        if (lua_rawget(L, -2) != LUA_TNIL) {
            lua_remove(L, -2);
            return;
        }
        lua_pop(L, 1);
    }
    if (lua_getmetatable(L, -1)) {
        lua_pushliteral(L, "__index");
        if (lua_rawget(L, -2) == LUA_TTABLE) {
            lua_pushlstring(L, name, length);
            lua_rawget(L, -2);
            lua_replace(L, -4);
            lua_pop(L, 2);
            return;
        }
        lua_pop(L, 2);
    }
    lua_pop(L, 1);
    lua_pushnil(L);
}

static int ldr_isidentifier(const char *name, size_t length) {
    if (length == 0 || !(name[0] == '_' || (name[0] >= 'a' && name[0] <= 'z') || (name[0] >= 'A' && name[0] <= 'Z')))
        return 0;
    for (size_t i = 1; i < length; i++) {
        char c = name[i];
        if (!(c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) return 0;
    }
    return 1;
}

/* Appends to the result table at `result` the identifier keys of the table at `source`
 * that start with `prefix`. */
static void ldr_collect(lua_State *L, int source, int result, const char *prefix, size_t prefix_length) {
    lua_pushnil(L);
    while (lua_next(L, source) != 0) {
        lua_pop(L, 1);
        if (lua_type(L, -1) == LUA_TSTRING) {
            size_t length;
            const char *key = lua_tolstring(L, -1, &length);
            if (length >= prefix_length && memcmp(key, prefix, prefix_length) == 0 && ldr_isidentifier(key, length)) {
                lua_pushvalue(L, -1);
                lua_rawseti(L, result, (lua_Integer)lua_rawlen(L, result) + 1);
            }
        }
    }
}

/* 1: the dotted path before the last separator ("" for globals); 2: the partial name. */
static int ldr_completions_p(lua_State *L) {
    size_t path_length, prefix_length;
    const char *path = lua_tolstring(L, 1, &path_length);
    const char *prefix = lua_tolstring(L, 2, &prefix_length);
    lua_settop(L, 2);
    lua_newtable(L); /* 3: the names */
    lua_pushglobaltable(L);
    const char *part = path;
    const char *end = path + path_length;
    while (part < end) {
        const char *dot = memchr(part, '.', (size_t)(end - part));
        size_t length = dot ? (size_t)(dot - part) : (size_t)(end - part);
        ldr_rawfield(L, part, length);
        if (lua_isnil(L, -1)) return 1;
        part += length + 1;
    }
    int value = lua_gettop(L);
    if (lua_type(L, value) == LUA_TTABLE) ldr_collect(L, value, 3, prefix, prefix_length);
    if (lua_getmetatable(L, value)) {
        lua_pushliteral(L, "__index");
        if (lua_rawget(L, -2) == LUA_TTABLE) ldr_collect(L, lua_gettop(L), 3, prefix, prefix_length);
    }
    lua_settop(L, 3);
    return 1;
}

int ldr_completions(lua_State *L, const char *path, const char *prefix) {
    if (!lua_checkstack(L, 4)) return LDR_NOROOM;
    lua_pushcfunction(L, ldr_completions_p);
    lua_pushstring(L, path);
    lua_pushstring(L, prefix);
    return lua_pcall(L, 2, 1, 0);
}
