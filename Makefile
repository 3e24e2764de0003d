# Tandem: `make` builds build/tandem; `make run` and `make test` are the two
# commands of the README. Sanitizer builds go to build/asan, fuzz builds to
# build/fuzz.

CC      ?= gcc
PKGS    := libmicrohttpd jansson sqlite3 libpq libsodium libpsl libutf8proc
VERSION := 0.1.0

PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)

WARN    := -Wall -Wextra -Wpedantic -Werror -Wshadow -Wformat=2 -Wstrict-prototypes \
           -Wmissing-prototypes -Wno-unused-parameter
COMMON  := -std=c17 -D_GNU_SOURCE -DTANDEM_VERSION='"$(VERSION)"' -Isrc \
           $(WARN) $(PKG_CFLAGS) -MMD -MP
RELEASE_CFLAGS := $(COMMON) -O2 -g
ASAN_CFLAGS    := $(COMMON) -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
                  -fno-sanitize-recover=all
LIBS    := $(PKG_LIBS) -lpthread

SRCS     := $(sort $(wildcard src/*/*.c)) src/main.c
GEN      := build/gen/iso_tables.c build/gen/embedded.c
EMBEDDED := src/api/openapi.json
LIB_SRCS := $(filter-out src/main.c,$(SRCS))

OBJS      := $(SRCS:%.c=build/obj/%.o) $(GEN:build/gen/%.c=build/obj/gen/%.o)
ASAN_OBJS := $(SRCS:%.c=build/asan/obj/%.o) $(GEN:build/gen/%.c=build/asan/obj/gen/%.o)
LIB_OBJS      := $(filter-out build/obj/src/main.o,$(OBJS))
ASAN_LIB_OBJS := $(filter-out build/asan/obj/src/main.o,$(ASAN_OBJS))

UNIT_SRCS  := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BINS  := $(UNIT_SRCS:tests/unit/%.c=build/test/%)
ASAN_UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=build/asan/test/%)

.PHONY: all asan deps test-deps run test unit http-test lint-openapi bench bench-engines clean fuzz
all: build/tandem

deps:
	@scripts/deps.sh

test-deps:
	@scripts/deps.sh --test

build/gen/iso_tables.c: tools/gen_iso.py
	@mkdir -p $(dir $@)
	$(Q)python3 tools/gen_iso.py $@

build/gen/embedded.c: tools/embed.py $(EMBEDDED)
	@mkdir -p $(dir $@)
	$(Q)python3 tools/embed.py $@ src $(EMBEDDED)

# V=1 shows the whole command lines
Q := $(if $(V),,@)

build/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(RELEASE_CFLAGS) -c $< -o $@

build/obj/gen/%.o: build/gen/%.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(RELEASE_CFLAGS) -c $< -o $@

build/asan/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC asan $<")
	$(Q)$(CC) $(ASAN_CFLAGS) -c $< -o $@

build/asan/obj/gen/%.o: build/gen/%.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC asan $<")
	$(Q)$(CC) $(ASAN_CFLAGS) -c $< -o $@

build/tandem: $(OBJS)
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(CC) $(RELEASE_CFLAGS) -o $@ $^ $(LIBS)

build/asan/tandem: $(ASAN_OBJS)
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(CC) $(ASAN_CFLAGS) -o $@ $^ $(LIBS)

asan: build/asan/tandem

build/test/%: tests/unit/%.c tests/unit/testdb.h $(LIB_OBJS)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(CC) $(RELEASE_CFLAGS) -Itests/unit -o $@ $< $(LIB_OBJS) $(LIBS) -lcmocka

build/asan/test/%: tests/unit/%.c tests/unit/testdb.h $(ASAN_LIB_OBJS)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(CC) $(ASAN_CFLAGS) -Itests/unit -o $@ $< $(ASAN_LIB_OBJS) $(LIBS) -lcmocka

# The demo on SQLite: installs what is missing, builds, loads the demo into a
# new ./tandem.db, serves on http://127.0.0.1:8080.
run: deps
	@$(MAKE) --no-print-directory build/tandem
	@if [ -f tandem.db ]; then \
	    echo "Using the existing ./tandem.db (delete it for a fresh demo; logins in README.md)."; \
	else \
	    ./build/tandem demo --db ./tandem.db; \
	fi
	@echo "The API: http://127.0.0.1:8080/api/v1 (its OpenAPI document: http://127.0.0.1:8080/api/v1/openapi.json; sign in with POST /api/v1/sessions, see README.md)"
	@exec ./build/tandem serve --db ./tandem.db --listen 127.0.0.1:8080

# Every test: unit tests and black-box HTTP tests, each on the optimised and
# the ASan+UBSan build, and the OpenAPI lint.
test: test-deps
	@$(MAKE) --no-print-directory build/tandem build/asan/tandem $(UNIT_BINS) $(ASAN_UNIT_BINS)
	@scripts/test.sh

unit: $(UNIT_BINS) $(ASAN_UNIT_BINS)
	@for t in $(UNIT_BINS) $(ASAN_UNIT_BINS); do $$t || exit 1; done

bench: build/tandem
	@bench/run.sh

# The read and conflict-check benchmarks on SQLite and on PostgreSQL (a private
# cluster) in one run
bench-engines: build/tandem
	@bench/engines.sh

clean:
	rm -rf build

-include $(OBJS:.o=.d) $(ASAN_OBJS:.o=.d)

# Benchmark programs beyond bench/run.sh (the conflict engine's quality and speed)
-include bench/bench.mk

# libFuzzer targets (clang, ASan+UBSan): `make fuzz`
-include tests/fuzz/fuzz.mk
