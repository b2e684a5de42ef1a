/*
 * Unit tests for lib/utf8.c: decoding each length of character, refusing
 * what RFC 3629 refuses (stray and truncated sequences, overlong forms,
 * surrogates, code points past U+10FFFF), terminal widths, and cutting
 * text without splitting a character.
 */
#include <stdint.h>
#include <string.h>

#include "tap.h"
#include "utf8.h"

/* Decodes s (its whole length) and checks the length and code point. */
static void decodes(const char *s, size_t want_len, uint32_t want_cp, const char *name)
{
	uint32_t cp = 0;
	size_t n = perf_utf8_decode(s, strlen(s), &cp);

	ok(n == want_len && cp == want_cp, "%s", name);
	if (n != want_len || cp != want_cp)
		printf("#   got:  %zu U+%04X\n#   want: %zu U+%04X\n", n, (unsigned)cp, want_len, (unsigned)want_cp);
}

int main(void)
{
	uint32_t cp;

	decodes("a", 1, 'a', "ASCII is one byte");
	decodes("\x7f", 1, 0x7f, "DEL is one byte");
	decodes("\xc2\x80", 2, 0x80, "the first two-byte character");
	decodes("\xc3\xa9t\xc3\xa9", 2, 0xe9, "only the first character is decoded");
	decodes("\xdf\xbf", 2, 0x7ff, "the last two-byte character");
	decodes("\xe0\xa0\x80", 3, 0x800, "the first three-byte character");
	decodes("\xe2\x82\xac", 3, 0x20ac, "the euro sign");
	decodes("\xef\xbf\xbd", 3, 0xfffd, "U+FFFD itself is valid");
	decodes("\xf0\x90\x80\x80", 4, 0x10000, "the first four-byte character");
	decodes("\xf4\x8f\xbf\xbf", 4, 0x10ffff, "U+10FFFF");

	decodes("\x80", 0, PERF_UTF8_REPLACEMENT, "a stray continuation byte is invalid");
	decodes("\xc0\xaf", 0, PERF_UTF8_REPLACEMENT, "an overlong two-byte form is invalid");
	decodes("\xc1\xbf", 0, PERF_UTF8_REPLACEMENT, "0xC1 never starts a character");
	decodes("\xe0\x80\xaf", 0, PERF_UTF8_REPLACEMENT, "an overlong three-byte form is invalid");
	decodes("\xf0\x80\x80\xaf", 0, PERF_UTF8_REPLACEMENT, "an overlong four-byte form is invalid");
	decodes("\xed\xa0\x80", 0, PERF_UTF8_REPLACEMENT, "a surrogate is invalid");
	decodes("\xf4\x90\x80\x80", 0, PERF_UTF8_REPLACEMENT, "past U+10FFFF is invalid");
	decodes("\xf5\x80\x80\x80", 0, PERF_UTF8_REPLACEMENT, "0xF5 never starts a character");
	decodes("\xff", 0, PERF_UTF8_REPLACEMENT, "0xFF is never UTF-8");
	decodes("\xc3(", 0, PERF_UTF8_REPLACEMENT, "a lead byte without its continuation is invalid");
	is_int(perf_utf8_decode("\xe2\x82\xac", 2, &cp), 0, "a character cut by the length is invalid");
	is_int(perf_utf8_decode("\xf0\x9f\x8e\x89", 3, &cp), 0, "a four-byte character cut short is invalid");

	ok(perf_utf8_continues(0x80) && perf_utf8_continues(0xbf), "0x80-0xBF continue a character");
	ok(!perf_utf8_continues('a') && !perf_utf8_continues(0xc3) && !perf_utf8_continues(0xf0),
	   "ASCII and lead bytes start one");

	is_int(perf_utf8_width('a'), 1, "a letter takes one column");
	is_int(perf_utf8_width(0xe9), 1, "an accented letter takes one column");
	is_int(perf_utf8_width(0x301), 0, "a combining accent takes none");
	is_int(perf_utf8_width(0x200b), 0, "a zero-width space takes none");
	is_int(perf_utf8_width(0x4e2d), 2, "a CJK ideograph takes two");
	is_int(perf_utf8_width(0xac00), 2, "a Hangul syllable takes two");
	is_int(perf_utf8_width(0x1f389), 2, "an emoji takes two");
	is_int(perf_utf8_width(PERF_UTF8_REPLACEMENT), 1, "U+FFFD takes one");

	is_int(perf_utf8_cut("abcdef", 3), 3, "ASCII is cut where asked");
	is_int(perf_utf8_cut("ab\xc3\xa9z", 3), 2, "a cut inside a two-byte character moves before it");
	is_int(perf_utf8_cut("ab\xc3\xa9z", 4), 4, "a cut after a character stays");
	is_int(perf_utf8_cut("a\xf0\x9f\x8e\x89z", 4), 1, "a cut inside an emoji moves before it");
	is_int(perf_utf8_cut("\xe2\x82\xac!", 2), 0, "a cut inside the first character leaves nothing");
	return tap_done();
}
