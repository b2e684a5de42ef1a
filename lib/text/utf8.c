#include "utf8.h"

size_t perf_utf8_decode(const char *text, size_t len, uint32_t *cp)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t n, i;
	uint32_t c;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xC2 && s[0] <= 0xDF) {
		n = 2;
		c = s[0] & 0x1F;
	} else if (s[0] >= 0xE0 && s[0] <= 0xEF) {
		n = 3;
		c = s[0] & 0x0F;
	} else if (s[0] >= 0xF0 && s[0] <= 0xF4) {
		n = 4;
		c = s[0] & 0x07;
	} else {
		goto bad;
	}
	if (len < n)
		goto bad;
	for (i = 1; i < n; i++) {
		if (!perf_utf8_continues(s[i]))
			goto bad;
		c = (c << 6) | (s[i] & 0x3F);
	}
	/* Overlong forms, surrogates and what lies past U+10FFFF. */
	if ((n == 3 && c < 0x800) || (n == 4 && (c < 0x10000 || c > 0x10FFFF)) || (c >= 0xD800 && c <= 0xDFFF))
		goto bad;
	*cp = c;
	return n;
bad:
	*cp = PERF_UTF8_REPLACEMENT;
	return 0;
}

unsigned perf_utf8_width(uint32_t c)
{
	if ((c >= 0x0300 && c <= 0x036F) || (c >= 0x200B && c <= 0x200F) || (c >= 0xFE00 && c <= 0xFE0F) ||
	    (c >= 0x1AB0 && c <= 0x1AFF) || (c >= 0x20D0 && c <= 0x20FF))
		return 0;
	if ((c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0x303E) || (c >= 0x3041 && c <= 0x33FF) ||
	    (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0xA000 && c <= 0xA4CF) ||
	    (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFE30 && c <= 0xFE4F) ||
	    (c >= 0xFF00 && c <= 0xFF60) || (c >= 0xFFE0 && c <= 0xFFE6) || (c >= 0x1F300 && c <= 0x1F64F) ||
	    (c >= 0x1F900 && c <= 0x1F9FF) || (c >= 0x20000 && c <= 0x3FFFD))
		return 2;
	return 1;
}

size_t perf_utf8_cut(const char *s, size_t max)
{
	while (max > 0 && perf_utf8_continues((unsigned char)s[max]))
		max--;
	return max;
}

/* Latin-1 letters U+00C0..U+00FF, lowercase ASCII; "" for × and ÷. */
static const char *const latin1[64] = {
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i",  "i",  /* U+00C0 */
    "d", "n", "o", "o", "o", "o", "o",  "",  "o", "u", "u", "u", "u", "y", "th", "ss", /* U+00D0 */
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i",  "i",  /* U+00E0 */
    "d", "n", "o", "o", "o", "o", "o",  "",  "o", "u", "u", "u", "u", "y", "th", "y",  /* U+00F0 */
};

/* Latin Extended-A, U+0100..U+017F. */
static const char *const latin_a[128] = {
    "a", "a", "a",  "a",  "a", "a", "c", "c", "c", "c", "c",  "c",  "c", "c", "d", "d", /* U+0100 */
    "d", "d", "e",  "e",  "e", "e", "e", "e", "e", "e", "e",  "e",  "g", "g", "g", "g", /* U+0110 */
    "g", "g", "g",  "g",  "h", "h", "h", "h", "i", "i", "i",  "i",  "i", "i", "i", "i", /* U+0120 */
    "i", "i", "ij", "ij", "j", "j", "k", "k", "k", "l", "l",  "l",  "l", "l", "l", "l", /* U+0130 */
    "l", "l", "l",  "n",  "n", "n", "n", "n", "n", "n", "ng", "ng", "o", "o", "o", "o", /* U+0140 */
    "o", "o", "oe", "oe", "r", "r", "r", "r", "r", "r", "s",  "s",  "s", "s", "s", "s", /* U+0150 */
    "s", "s", "t",  "t",  "t", "t", "t", "t", "u", "u", "u",  "u",  "u", "u", "u", "u", /* U+0160 */
    "u", "u", "u",  "u",  "w", "w", "y", "y", "y", "z", "z",  "z",  "z", "z", "z", "s", /* U+0170 */
};

/* Greek, U+0386..U+03CE (modern, as ELOT 743 writes it); NULL: not a letter. */
static const char *const greek[73] = {
    "a", NULL, "e",  "i", "i", NULL, "o", NULL, "y",  "o", "i",                     /* U+0386 */
    "a", "v",  "g",  "d", "e", "z",  "i", "th", "i",  "k", "l", "m", "n", "x", "o", /* U+0391 */
    "p", "r",  NULL, "s", "t", "y",  "f", "ch", "ps", "o", "i", "y",                /* U+03A0 */
    "a", "e",  "i",  "i", "y",                                                      /* U+03AC */
    "a", "v",  "g",  "d", "e", "z",  "i", "th", "i",  "k", "l", "m", "n", "x", "o", /* U+03B1 */
    "p", "r",  "s",  "s", "t", "y",  "f", "ch", "ps", "o", "i", "y", "o", "y", "o", /* U+03C0 */
};

/* Cyrillic, U+0400..U+045F (Russian, Ukrainian, Belarusian, Serbian, Macedonian). */
static const char *const cyrillic[96] = {
    "e", "e", "dj", "gj", "ye", "dz", "i",  "yi", "j",  "lj",   "nj", "c", "kj", "i", "u",  "dz", /* U+0400 */
    "a", "b", "v",  "g",  "d",  "e",  "zh", "z",  "i",  "y",    "k",  "l", "m",  "n", "o",  "p",  /* U+0410 */
    "r", "s", "t",  "u",  "f",  "kh", "ts", "ch", "sh", "shch", "",   "y", "",   "e", "yu", "ya", /* U+0420 */
    "a", "b", "v",  "g",  "d",  "e",  "zh", "z",  "i",  "y",    "k",  "l", "m",  "n", "o",  "p",  /* U+0430 */
    "r", "s", "t",  "u",  "f",  "kh", "ts", "ch", "sh", "shch", "",   "y", "",   "e", "yu", "ya", /* U+0440 */
    "e", "e", "dj", "gj", "ye", "dz", "i",  "yi", "j",  "lj",   "nj", "c", "kj", "i", "u",  "dz", /* U+0450 */
};

const char *perf_utf8_latin(uint32_t cp)
{
	/* Combining marks (an accent typed apart from its letter) belong to the letter before. */
	if ((cp >= 0x300 && cp <= 0x36F) || (cp >= 0x1AB0 && cp <= 0x1AFF) || (cp >= 0x1DC0 && cp <= 0x1DFF) ||
	    (cp >= 0x20D0 && cp <= 0x20FF) || (cp >= 0xFE20 && cp <= 0xFE2F))
		return "";
	if (cp >= 0xC0 && cp <= 0xFF)
		return latin1[cp - 0xC0][0] ? latin1[cp - 0xC0] : NULL;
	if (cp >= 0x100 && cp <= 0x17F)
		return latin_a[cp - 0x100];
	switch (cp) {
	case 0x18F:
	case 0x259:
		return "e"; /* Ə ə */
	case 0x1A0:
	case 0x1A1:
		return "o"; /* Ơ ơ */
	case 0x1AF:
	case 0x1B0:
		return "u"; /* Ư ư */
	case 0x1CD:
	case 0x1CE:
		return "a";
	case 0x1CF:
	case 0x1D0:
		return "i";
	case 0x1D1:
	case 0x1D2:
		return "o";
	case 0x1D3:
	case 0x1D4:
		return "u";
	case 0x218:
	case 0x219:
		return "s"; /* Ș ș */
	case 0x21A:
	case 0x21B:
		return "t"; /* Ț ț */
	case 0x490:
	case 0x491:
		return "g"; /* Ґ ґ */
	case 0x49A:
	case 0x49B:
		return "q";
	case 0x4A2:
	case 0x4A3:
		return "ng";
	case 0x4AE:
	case 0x4AF:
		return "u";
	case 0x4B0:
	case 0x4B1:
		return "u";
	case 0x4BA:
	case 0x4BB:
		return "h";
	case 0x4D8:
	case 0x4D9:
		return "a";
	case 0x4E8:
	case 0x4E9:
		return "o";
	case 0x1E9E:
		return "ss"; /* capital ẞ */
	}
	if (cp >= 0x386 && cp <= 0x3CE)
		return greek[cp - 0x386];
	if (cp >= 0x400 && cp <= 0x45F)
		return cyrillic[cp - 0x400];
	/* Vietnamese letters with two marks, U+1EA0..U+1EF9. */
	if (cp >= 0x1EA0 && cp <= 0x1EB7)
		return "a";
	if (cp >= 0x1EB8 && cp <= 0x1EC7)
		return "e";
	if (cp >= 0x1EC8 && cp <= 0x1ECB)
		return "i";
	if (cp >= 0x1ECC && cp <= 0x1EE3)
		return "o";
	if (cp >= 0x1EE4 && cp <= 0x1EF1)
		return "u";
	if (cp >= 0x1EF2 && cp <= 0x1EF9)
		return "y";
	/* Fullwidth Latin letters and digits. */
	if (cp >= 0xFF10 && cp <= 0xFF19) {
		static const char digits[] = "0\0"
		                             "1\0"
		                             "2\0"
		                             "3\0"
		                             "4\0"
		                             "5\0"
		                             "6\0"
		                             "7\0"
		                             "8\0"
		                             "9";
		return digits + 2 * (cp - 0xFF10);
	}
	if ((cp >= 0xFF21 && cp <= 0xFF3A) || (cp >= 0xFF41 && cp <= 0xFF5A)) {
		static const char letters[] =
		    "a\0b\0c\0d\0e\0f\0g\0h\0i\0j\0k\0l\0m\0n\0o\0p\0q\0r\0s\0t\0u\0v\0w\0x\0y\0z";
		return letters + 2 * ((cp >= 0xFF41 ? cp - 0xFF41 : cp - 0xFF21));
	}
	return NULL;
}

bool perf_utf8_is_word(uint32_t cp)
{
	/* Spaces, punctuation and symbols of the common blocks; the rest of what is above ASCII is taken for letters.
	 */
	if (cp < 0x80)
		return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
	if (cp <= 0xBF || cp == 0xD7 || cp == 0xF7)
		return false;
	if ((cp >= 0x2000 && cp <= 0x2BFF) || (cp >= 0x3000 && cp <= 0x303F) || (cp >= 0xFE30 && cp <= 0xFE4F) ||
	    (cp >= 0xFF00 && cp <= 0xFF0F) || (cp >= 0xFF1A && cp <= 0xFF20) || (cp >= 0xFF3B && cp <= 0xFF40) ||
	    (cp >= 0xFF5B && cp <= 0xFF65) || (cp >= 0x1F000 && cp <= 0x1FAFF) || cp == PERF_UTF8_REPLACEMENT ||
	    (cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0xE000 && cp <= 0xF8FF))
		return false;
	return true;
}
