# The conflict engine's benchmarks (included by the Makefile): quality on the
# development set in ../shared/data/matching and speed at 1,000,000 records.
# `make bench-match` builds and runs both (bench/match.sh).

BENCH_MATCH := build/bench/match_quality build/bench/match_speed

build/bench/%: bench/%.c $(LIB_OBJS)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(CC) $(RELEASE_CFLAGS) -o $@ $< $(LIB_OBJS) $(LIBS)

.PHONY: bench-match
bench-match: $(BENCH_MATCH)
	@bench/match.sh
