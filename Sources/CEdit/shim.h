#ifndef LDRUN_CEDIT_SHIM_H
#define LDRUN_CEDIT_SHIM_H
#include <stdio.h>
#include <editline/readline.h>

/* libedit's settings are C globals; these set them from one place. */

/* Characters that end a word for completion: `.` and `:` do not, so `phase.st` is one word. */
static const char ldr_edit_word_breaks[] = " \t\n\"'`<>=;,+-*/%^~#&|(){}[]";

static char *ldr_edit_no_entries(const char *text, int state) {
    (void)text;
    (void)state;
    return NULL;
}

/* Completes with `complete` only (never file names), appending nothing after a match. */
static inline void ldr_edit_install_completion(char **(*complete)(const char *, int, int)) {
    rl_basic_word_break_characters = ldr_edit_word_breaks;
    rl_completion_append_character = 0;
    rl_attempted_completion_function = complete;
    rl_completion_entry_function = ldr_edit_no_entries;
}

/* Signals reach the program's own handlers; libedit installs none of its own. */
static inline void ldr_edit_leave_signals(void) { rl_catch_signals = 0; }

/* Reads every character of the line editor through `getc` (which may wait on more than
 * the terminal, so Ctrl-C can end the line being typed). */
static inline void ldr_edit_read_with(int (*getc)(FILE *)) { rl_getc_function = getc; }

/* Called from the completion function: no fallback to file names. */
static inline void ldr_edit_completion_over(void) { rl_attempted_completion_over = 1; }
#endif
