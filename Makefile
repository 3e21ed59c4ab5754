# MoU Tracker. `make run` starts the dashboard; `make test` runs every test.
PORT ?= 8501
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.run-deps: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.test-deps: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.run-deps

run: $(VENV)/.run-deps
	$(BIN)/python manage.py seed --sample
	$(BIN)/streamlit run app.py --server.port $(PORT) --server.headless true

test: $(VENV)/.test-deps
	@bash scripts/ensure-test-system-packages.sh
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

bench: $(VENV)/.test-deps
	$(BIN)/python manage.py bench --scale $${SCALE:-S}

clean:
	rm -rf $(VENV) data/tracker.db data/tracker.db-wal data/tracker.db-shm
