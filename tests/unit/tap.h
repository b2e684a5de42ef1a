/*
 * A tiny TAP producer for the unit tests of lib/.  Each test program prints
 * "ok N - name" or "not ok N - name" lines and a plan at the end; prove reads
 * them.  Failures print the expected and actual values as TAP comments.
 */
#ifndef PERF_TAP_H
#define PERF_TAP_H

#include <stdio.h>
#include <string.h>

static int tap_n, tap_failed;

#define ok(cond, ...)                                                                                                  \
	do {                                                                                                           \
		int tap_ok_ = !!(cond);                                                                                 \
		printf("%sok %d - ", tap_ok_ ? "" : "not ", ++tap_n);                                                  \
		printf(__VA_ARGS__);                                                                                   \
		printf("\n");                                                                                          \
		if (!tap_ok_) {                                                                                         \
			tap_failed++;                                                                                  \
			printf("#   failed at %s:%d: %s\n", __FILE__, __LINE__, #cond);                              \
		}                                                                                                      \
	} while (0)

#define is_str(got, want, ...)                                                                                         \
	do {                                                                                                           \
		const char *tap_g_ = (got), *tap_w_ = (want);                                                          \
		int tap_c_ = (tap_g_ && tap_w_) ? !strcmp(tap_g_, tap_w_) : tap_g_ == tap_w_;                          \
		ok(tap_c_, __VA_ARGS__);                                                                               \
		if (!tap_c_)                                                                                           \
			printf("#   got:  '%s'\n#   want: '%s'\n", tap_g_ ? tap_g_ : "(null)",                       \
			       tap_w_ ? tap_w_ : "(null)");                                                            \
	} while (0)

#define is_int(got, want, ...)                                                                                         \
	do {                                                                                                           \
		long tap_g_ = (long)(got), tap_w_ = (long)(want);                                                      \
		ok(tap_g_ == tap_w_, __VA_ARGS__);                                                                     \
		if (tap_g_ != tap_w_)                                                                                  \
			printf("#   got:  %ld\n#   want: %ld\n", tap_g_, tap_w_);                                       \
	} while (0)

/* A known limitation, as tests/lib.sh's test_known_breakage: a TAP TODO that
 * prove shows (and says when it starts passing) without failing the run. */
#define known_breakage(cond, ...)                                                                                      \
	do {                                                                                                           \
		int tap_kb_ = !!(cond);                                                                                \
		printf("%sok %d - ", tap_kb_ ? "" : "not ", ++tap_n);                                                  \
		printf(__VA_ARGS__);                                                                                   \
		printf(tap_kb_ ? " # TODO known breakage now passes\n" : " # TODO known breakage\n");                 \
	} while (0)

static inline int tap_done(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}

#endif
