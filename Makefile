# The two commands of the README: `make demo` runs the restore runbook against the
# local Atlas simulator, `make test` runs every test. Both set themselves up.
.PHONY: demo test bench clean

demo:
	bash scripts/demo.sh

test:
	bash scripts/test.sh

# Benchmarks against the local simulator; regenerates docs/benchmarks.md.
bench:
	bash benchmarks/run.sh

clean:
	rm -rf .venv tests/output
