# Two entry points: `make demo` (the main job) and `make test` (both test tiers).
# Odoo 17 itself is not installed by anything here: the Odoo tier and the demo use
# the interpreter named by ODOO_PYTHON (or any python3 that can import odoo).

PYTHON ?= python3
VENV := .venv
STAMP := $(VENV)/.installed

.PHONY: test demo lint clean

test: $(STAMP)
	$(VENV)/bin/python tests/run_tests.py

demo: $(STAMP)
	$(VENV)/bin/python tests/demo/run_demo.py

lint: $(STAMP)
	$(VENV)/bin/pre-commit run --all-files

$(STAMP): requirements.txt tests/requirements.txt constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --disable-pip-version-check -c constraints.txt \
		-r requirements.txt -r tests/requirements.txt pre-commit
	touch $@

clean:
	rm -rf $(VENV) .test-run
