/*
 * A growable byte buffer, always NUL-terminated.
 *
 * The buffer owns its memory; perf_buf_release frees it and leaves an empty
 * buffer that can be reused.  perf_buf_detach hands the memory to the caller.
 * Functions that grow the buffer return 0 or PERF_ENOMEM.
 */
#ifndef PERF_BUF_H
#define PERF_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct perf_buf {
	char *ptr;
	size_t len;
	size_t cap;
};

#define PERF_BUF_INIT                                                                                                  \
	{                                                                                                              \
		NULL, 0, 0                                                                                             \
	}

int perf_buf_grow(struct perf_buf *b, size_t extra);
int perf_buf_add(struct perf_buf *b, const void *data, size_t len);
int perf_buf_puts(struct perf_buf *b, const char *s);
int perf_buf_putc(struct perf_buf *b, char c);
int perf_buf_printf(struct perf_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int perf_buf_vprintf(struct perf_buf *b, const char *fmt, va_list ap);
/* Replaces bytes [at, at+del) with data[0..len). */
int perf_buf_splice(struct perf_buf *b, size_t at, size_t del, const void *data, size_t len);
void perf_buf_truncate(struct perf_buf *b, size_t len);
/* Returns the buffer's memory (never NULL: an empty buffer yields "") or NULL on ENOMEM. */
char *perf_buf_detach(struct perf_buf *b);
void perf_buf_release(struct perf_buf *b);
/* Returns b->ptr, or "" for a buffer that never grew. */
const char *perf_buf_cstr(const struct perf_buf *b);

/*
 * Makes room for item n of an array of *cap items of size bytes: doubles
 * *cap (from first) when n has reached it.  0 or PERF_ENOMEM (the array
 * is left as it was).
 */
int perf_array_grow(void **v, size_t *cap, size_t n, size_t size, size_t first);

#endif
