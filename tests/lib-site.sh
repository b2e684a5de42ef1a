# Helpers for the tests of perf site's pages (t1060-t1069).  Source it
# after lib.sh.

# site_text FILE: the page's text as a reader sees it: styles, the title
# and code blocks left out, inline tags dropped, other tags made blanks,
# entities read, blanks collapsed to one space.
site_text() {
	python3 - "$1" <<-'PY'
	import html, re, sys
	s = open(sys.argv[1]).read()
	s = re.sub(r"(?s)<(style|title|pre)>.*?</\1>", " ", s)
	s = re.sub(r"</?(a|b|time|span|strong|em|code|input)\b[^>]*>", "", s)
	print(re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]*>", " ", s))))
	PY
}
