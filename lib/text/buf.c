#include "buf.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"

int perf_buf_grow(struct perf_buf *b, size_t extra)
{
	size_t need, cap;
	char *p;

	if (extra > (size_t)-1 / 2 - b->len)
		return PERF_ENOMEM;
	need = b->len + extra + 1;
	if (need <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap *= 2;
	p = realloc(b->ptr, cap);
	if (!p)
		return PERF_ENOMEM;
	b->ptr = p;
	b->cap = cap;
	if (b->len == 0)
		b->ptr[0] = '\0';
	return 0;
}

int perf_buf_add(struct perf_buf *b, const void *data, size_t len)
{
	if (perf_buf_grow(b, len))
		return PERF_ENOMEM;
	if (len)
		memcpy(b->ptr + b->len, data, len);
	b->len += len;
	b->ptr[b->len] = '\0';
	return 0;
}

int perf_buf_puts(struct perf_buf *b, const char *s)
{
	return perf_buf_add(b, s, strlen(s));
}

int perf_buf_putc(struct perf_buf *b, char c)
{
	return perf_buf_add(b, &c, 1);
}

int perf_buf_vprintf(struct perf_buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	int n;

	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		return PERF_EINVALID;
	if (perf_buf_grow(b, (size_t)n))
		return PERF_ENOMEM;
	vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return 0;
}

int perf_buf_printf(struct perf_buf *b, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = perf_buf_vprintf(b, fmt, ap);
	va_end(ap);
	return rc;
}

int perf_buf_splice(struct perf_buf *b, size_t at, size_t del, const void *data, size_t len)
{
	if (at > b->len || del > b->len - at)
		return PERF_EINVALID;
	if (len > del && perf_buf_grow(b, len - del))
		return PERF_ENOMEM;
	if (!b->ptr && perf_buf_grow(b, 0))
		return PERF_ENOMEM;
	memmove(b->ptr + at + len, b->ptr + at + del, b->len - at - del);
	if (len)
		memcpy(b->ptr + at, data, len);
	b->len = b->len - del + len;
	b->ptr[b->len] = '\0';
	return 0;
}

void perf_buf_truncate(struct perf_buf *b, size_t len)
{
	if (len < b->len) {
		b->len = len;
		b->ptr[len] = '\0';
	}
}

char *perf_buf_detach(struct perf_buf *b)
{
	char *p;

	if (!b->ptr && perf_buf_grow(b, 0))
		return NULL;
	p = b->ptr;
	b->ptr = NULL;
	b->len = b->cap = 0;
	return p;
}

void perf_buf_release(struct perf_buf *b)
{
	free(b->ptr);
	b->ptr = NULL;
	b->len = b->cap = 0;
}

const char *perf_buf_cstr(const struct perf_buf *b)
{
	return b->ptr ? b->ptr : "";
}

int perf_array_grow(void **v, size_t *cap, size_t n, size_t size, size_t first)
{
	size_t want = *cap ? *cap * 2 : first;
	void *p;

	if (n < *cap)
		return 0;
	if (want < n + 1 || want > SIZE_MAX / size)
		return PERF_ENOMEM;
	if (!(p = realloc(*v, want * size)))
		return PERF_ENOMEM;
	*v = p;
	*cap = want;
	return 0;
}
