/*
 * Writing JSON: string literals, object keys and booleans, as every --json
 * output and export of perf writes them.
 *
 * Strings are written byte for byte with JSON's escapes for the quote, the
 * backslash and control characters; C1 controls (U+0080-U+009F) are
 * escaped too, so JSON shown on a terminal cannot drive it.  Other bytes,
 * UTF-8 or not, pass as they are.  Nothing here allocates; f is the
 * caller's.
 */
#ifndef PERF_JSON_H
#define PERF_JSON_H

#include <stdbool.h>
#include <stdio.h>

/* A JSON string literal, or null for NULL. */
void perf_json_str(FILE *f, const char *s);
/* An object's key and its colon: "key": */
void perf_json_key(FILE *f, const char *key);
/* true or false. */
void perf_json_bool(FILE *f, bool b);

#endif
