# Two commands: `make run` and `make test`. Each works on a fresh machine with Python >= 3.11.
PYTHON ?= python3
VENV ?= .venv
KB ?= data/kb.sqlite
PORT ?= 8501
BIN := $(VENV)/bin

.PHONY: run test build lint bench clean

# The stamp files make reinstalling happen only when pyproject.toml changes.
$(BIN)/activate:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "kb needs Python >= 3.11; set PYTHON=python3.11")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/activate
	$(BIN)/pip install --quiet -e .
	touch $@

# The tests cover the extras `semantic` and `distributed` too. torch goes in first and
# stays pinned: a resolve that picks torch itself takes a CUDA build with several GB of
# dependencies.
TORCH := torch==2.13.0

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/activate
	$(BIN)/pip install --quiet '$(TORCH)'
	echo '$(TORCH)' > $(VENV)/constraints.txt
	$(BIN)/pip install --quiet -c $(VENV)/constraints.txt -e '.[dev,semantic,distributed]'
	touch $@ $(VENV)/.installed

build: $(VENV)/.installed
	$(BIN)/kb --kb $(KB) build data/sources

run: build
	$(BIN)/kb --kb $(KB) dashboard --port $(PORT)

test: $(VENV)/.installed-dev
	$(BIN)/python -m pytest

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: $(VENV)/.installed
	@for script in benchmarks/*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) $(KB) $(KB).lock $(dir $(KB)).$(notdir $(KB)).resume $(KB).vectors.npz .pytest_cache tests/artifacts
