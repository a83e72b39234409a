# Common tasks; each goes through ./tvers, which prepares .venv from uv.lock on first use.
.PHONY: demo up test lint bench docs

demo:  ## start everything with demo data
	./tvers demo

up:  ## start everything, no demo data
	./tvers up

test:  ## run the tests
	./tvers test

lint:  ## ruff, mypy, contracts drift
	./tvers lint

bench:  ## run the benchmarks
	./tvers bench

docs:  ## regenerate JSON Schemas and AsyncAPI
	./tvers docs
