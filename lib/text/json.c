#include "json.h"

void perf_json_str(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	if (!s) {
		fputs("null", f);
		return;
	}
	fputc('"', f);
	for (; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p == '\n')
			fputs("\\n", f);
		else if (*p == '\r')
			fputs("\\r", f);
		else if (*p == '\t')
			fputs("\\t", f);
		else if (*p < 0x20 || *p == 0x7f)
			fprintf(f, "\\u%04x", *p);
		else if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f)
			/* C1 controls: escaped, so JSON shown on a terminal cannot drive it. */
			fprintf(f, "\\u%04x", *++p);
		else
			fputc(*p, f);
	}
	fputc('"', f);
}

void perf_json_key(FILE *f, const char *key)
{
	perf_json_str(f, key);
	fputs(": ", f);
}

void perf_json_bool(FILE *f, bool b)
{
	fputs(b ? "true" : "false", f);
}
