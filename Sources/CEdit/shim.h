#ifndef LDRUN_CEDIT_SHIM_H
#define LDRUN_CEDIT_SHIM_H
#include <stdio.h>
#include <editline/readline.h>
#endif
