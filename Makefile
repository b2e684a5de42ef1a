# perf — keep a team's performance conversations in git.
# Plain make; libraries found with pkg-config.  See README.md.

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
DATADIR ?= $(PREFIX)/share
DESTDIR ?=

CC ?= cc
PKG_CONFIG ?= pkg-config
PKGS = libgit2 libcmark yaml-0.1 libcrypto libsodium zlib
VERSION = 0.1.0

# Tables name the fields they set; a field left out is zero, on purpose (as
# git's developer flags allow).
WARN = -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
       -Wwrite-strings -Wvla -Wformat=2 -Wno-format-nonliteral \
      
CFLAGS ?= -O2 -g
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE $(WARN) $(CFLAGS) -Ilib/text -Ilib/git -Ilib/team \
	-DPERF_VERSION='"$(VERSION)"' $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
ALL_LDFLAGS = $(LDFLAGS)
LIBS = $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null)

BUILD = build
ifdef DEVELOPER
ALL_CFLAGS += -Werror
BUILD = build-dev
endif
ifdef SANITIZE
ALL_CFLAGS += -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all -DPERF_TEST_BUILD
ALL_LDFLAGS += -fsanitize=$(SANITIZE)
BUILD = build-san
endif

LIB_SRC = $(sort $(wildcard lib/*/*.c))
CMD_SRC = $(sort $(wildcard cmd/*.c))
UNIT_SRC = $(sort $(wildcard tests/unit/test-*.c))
LIB_OBJ = $(LIB_SRC:%.c=$(BUILD)/%.o)
CMD_OBJ = $(CMD_SRC:%.c=$(BUILD)/%.o)
UNIT_BIN = $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
MAN_SRC = $(sort $(wildcard man/*.scd))
MAN_OUT = $(MAN_SRC:man/%.scd=$(BUILD)/man/%)
E2E = $(sort $(wildcard tests/t[0-9]*.sh))

PERF = $(BUILD)/perf

.SECONDARY:

.PHONY: all check unit e2e fuzz-check install uninstall fmt fmt-check man deps demo clean bench

all: $(PERF)

$(BUILD)/%.o: %.c $(wildcard lib/*/*.h cmd/*.h tests/unit/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(BUILD)/libperf.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(PERF): $(CMD_OBJ) $(BUILD)/libperf.a
	$(CC) $(ALL_LDFLAGS) -o $@ $(CMD_OBJ) $(BUILD)/libperf.a $(LIBS)

$(BUILD)/tests/%: $(BUILD)/tests/unit/%.o $(BUILD)/libperf.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $< $(BUILD)/libperf.a $(LIBS)

$(BUILD)/man/%: man/%.scd
	@mkdir -p $(dir $@)
	scdoc < $< > $@

man: $(MAN_OUT)

# Every test, unit and end-to-end, through prove.
check: deps $(PERF) $(UNIT_BIN) $(MAN_OUT)
	PERF_BIN=$(abspath $(PERF)) PERF_SRC=$(CURDIR) PERF_BUILD=$(abspath $(BUILD)) \
		prove -j2 $(PROVE_FLAGS) $(UNIT_BIN) $(E2E) tests/fuzz/run-short.sh

# The unit tests of lib/ alone (no perf binary, no network, no fuzzing).
unit: $(UNIT_BIN)
	prove $(PROVE_FLAGS) $(UNIT_BIN)

deps:
	@sh tests/deps.sh

demo: deps $(PERF)
	@PERF_BIN=$(abspath $(PERF)) sh tests/demo.sh

bench: $(PERF)
	PERF_BIN=$(abspath $(PERF)) sh tests/bench/run.sh

install: $(PERF) $(MAN_OUT)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5
	install -m755 $(PERF) $(DESTDIR)$(BINDIR)/perf
	ln -sf perf $(DESTDIR)$(BINDIR)/git-perf
	for f in $(filter %.1,$(MAN_OUT)); do install -m644 $$f $(DESTDIR)$(MANDIR)/man1/; done
	for f in $(filter %.5,$(MAN_OUT)); do install -m644 $$f $(DESTDIR)$(MANDIR)/man5/; done
	install -d $(DESTDIR)$(DATADIR)/bash-completion/completions \
		$(DESTDIR)$(DATADIR)/zsh/site-functions $(DESTDIR)$(DATADIR)/fish/vendor_completions.d
	test ! -f completions/perf.bash || install -m644 completions/perf.bash $(DESTDIR)$(DATADIR)/bash-completion/completions/perf
	test ! -f completions/perf.bash || ln -sf perf $(DESTDIR)$(DATADIR)/bash-completion/completions/git-perf
	test ! -f completions/_perf || install -m644 completions/_perf $(DESTDIR)$(DATADIR)/zsh/site-functions/_perf
	test ! -f completions/perf.fish || install -m644 completions/perf.fish $(DESTDIR)$(DATADIR)/fish/vendor_completions.d/perf.fish

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/perf $(DESTDIR)$(BINDIR)/git-perf
	for f in $(notdir $(filter %.1,$(MAN_OUT))); do rm -f $(DESTDIR)$(MANDIR)/man1/$$f; done
	for f in $(notdir $(filter %.5,$(MAN_OUT))); do rm -f $(DESTDIR)$(MANDIR)/man5/$$f; done
	rm -f $(DESTDIR)$(DATADIR)/bash-completion/completions/perf \
		$(DESTDIR)$(DATADIR)/bash-completion/completions/git-perf \
		$(DESTDIR)$(DATADIR)/zsh/site-functions/_perf \
		$(DESTDIR)$(DATADIR)/fish/vendor_completions.d/perf.fish

fmt:
	clang-format -i $(LIB_SRC) $(CMD_SRC) $(wildcard lib/*/*.h cmd/*.h) $(UNIT_SRC)

fmt-check:
	clang-format --dry-run --Werror $(LIB_SRC) $(CMD_SRC) $(wildcard lib/*/*.h cmd/*.h) $(UNIT_SRC)

clean:
	rm -rf build build-dev build-san
