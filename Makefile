# The two commands of the README: `make demo` runs the restore runbook against the
# local Atlas simulator, `make test` runs every test. Both set themselves up.
# Each step of `make test` is a target of its own too (scripts/test.sh STEP).
STEPS := simulator sanity units integration lint aap reliability sanity-oldest units-oldest integration-oldest

.PHONY: demo test bench clean reliability-table $(STEPS)

demo:
	bash scripts/demo.sh

test:
	bash scripts/test.sh

$(STEPS):
	bash scripts/test.sh $@

# Runs the reliability suite and rewrites docs/reliability.md from it.
reliability-table:
	bash scripts/test.sh reliability-table

# Benchmarks against the local simulator; regenerates docs/benchmarks.md.
bench:
	bash benchmarks/run.sh

clean:
	rm -rf .venv tests/output
