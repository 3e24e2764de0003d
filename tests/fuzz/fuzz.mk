# libFuzzer targets (included by the Makefile): clang with
# -fsanitize=fuzzer,address,undefined. The project's sources are compiled
# again with clang into build/fuzz/obj (coverage-instrumented, sanitized) and
# archived, so that each target links only what it uses.
#
#   make fuzz                  builds every target and runs each for FUZZ_SECONDS
#   make fuzz FUZZ_SECONDS=5   the same, briefly (what scripts/test.sh does)
#   make fuzz-build            builds only
#   tests/fuzz/run.sh SECONDS [TARGET...]
#
# Targets and seeds: tests/fuzz/fuzz_*.c, tests/fuzz/corpus/<target>/.

FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 60

FUZZ_SAN    := -fsanitize=address,undefined -fno-sanitize-recover=all
# The sources are the project's; their warnings are gcc's business (-Werror
# stays for the fuzz targets themselves).
FUZZ_CFLAGS := $(filter-out -Werror,$(COMMON)) -O1 -g -fno-omit-frame-pointer $(FUZZ_SAN) \
               -fsanitize=fuzzer-no-link
FUZZ_OBJS   := $(LIB_SRCS:%.c=build/fuzz/obj/%.o) $(GEN:build/gen/%.c=build/fuzz/obj/gen/%.o)
FUZZ_LIB    := build/fuzz/libtandem.a

FUZZ_SRCS    := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_TARGETS := $(FUZZ_SRCS:tests/fuzz/%.c=build/fuzz/%)

.PHONY: fuzz fuzz-build
fuzz: fuzz-build
	@tests/fuzz/run.sh $(FUZZ_SECONDS)

fuzz-build: $(FUZZ_TARGETS)

build/fuzz/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC fuzz $<")
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -c $< -o $@

build/fuzz/obj/gen/%.o: build/gen/%.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC fuzz $<")
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -c $< -o $@

$(FUZZ_LIB): $(FUZZ_OBJS)
	@$(if $(Q),echo "  AR      $@")
	@rm -f $@
	$(Q)ar rcs $@ $^

build/fuzz/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h $(FUZZ_LIB)
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(FUZZ_CC) $(COMMON) -Itests/fuzz -O1 -g -fno-omit-frame-pointer $(FUZZ_SAN) \
	    -fsanitize=fuzzer -o $@ $< $(FUZZ_LIB) $(LIBS)

-include $(FUZZ_OBJS:.o=.d) $(FUZZ_TARGETS:=.d)
