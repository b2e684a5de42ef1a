/*
 * UTF-8: decoding one character with its validity, the columns a character
 * takes on a terminal, cutting text without splitting a character, and
 * writing letters in ASCII for identifiers.
 *
 * Valid means what RFC 3629 says: shortest form, no surrogates, nothing
 * past U+10FFFF.  Nothing here allocates; every pointer is borrowed.
 */
#ifndef PERF_UTF8_H
#define PERF_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The replacement character, U+FFFD, as *cp holds it for invalid bytes. */
#define PERF_UTF8_REPLACEMENT 0xFFFDu

/* The length (1 to 4) of the valid character at s[0..len), len at least 1,
 * with its code point in *cp; 0 when the bytes there are not valid UTF-8
 * (a stray or truncated sequence), with *cp set to U+FFFD. */
size_t perf_utf8_decode(const char *s, size_t len, uint32_t *cp);

/* Whether byte c continues a character rather than starting one. */
static inline bool perf_utf8_continues(unsigned char c)
{
	return (c & 0xC0) == 0x80;
}

/* The columns cp takes on a terminal: 0 for combining marks and zero-width
 * characters, 2 for East Asian wide characters and emoji, else 1. */
unsigned perf_utf8_width(uint32_t cp);

/* The largest n at most max that does not split a character of s (which
 * holds more than max bytes), for cutting text short. */
size_t perf_utf8_cut(const char *s, size_t max);

/* The ASCII letters (lowercase) a Latin, Greek or Cyrillic letter is written
 * with when accents cannot be ("é" "e", "ß" "ss", "ж" "zh"): "" for a
 * combining mark or a letter written with none (the soft sign); NULL when
 * there is none (another script, punctuation, a symbol). */
const char *perf_utf8_latin(uint32_t cp);
/* Whether cp is a bidirectional embedding, override or isolate (U+202A to
 * U+202E, U+2066 to U+2069): invisible, they reorder the text after them,
 * so text from a repository can read as other text. */
static inline bool perf_utf8_is_bidi_control(uint32_t cp)
{
	return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

/* Whether cp is part of a word (a letter or digit of any script), not a
 * space, punctuation or a symbol (roughly: the common blocks of those). */
bool perf_utf8_is_word(uint32_t cp);

#endif
