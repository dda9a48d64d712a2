# Two entry points: `make demo` (the main job) and `make test` (both test tiers).
# Odoo 17 itself is not installed by anything here: the Odoo tier and the demo use
# the interpreter named by ODOO_PYTHON (or any python3 that can import odoo).
#
# While working on it (README, "Useful variants"):
#   make unit [K=expr]                    the unit tier (K: pytest -k)
#   make odoo [MODULES=a,b] [TAGS=spec]   the odoo tier (TAGS: Odoo test tags)
#   make devdb                            create or upgrade the kept database
#   make pytest-odoo [K=expr] [T=path]    Odoo tests with pytest on it, in seconds

PYTHON ?= python3
VENV := .venv
STAMP := $(VENV)/.installed

.PHONY: test unit odoo devdb pytest-odoo demo lint clean

test: $(STAMP)
	$(VENV)/bin/python tests/run_tests.py

unit: $(STAMP)
	$(VENV)/bin/python tests/run_tests.py --tier unit $(if $(K),-k "$(K)")

odoo: $(STAMP)
	$(VENV)/bin/python tests/run_tests.py --tier odoo \
		$(if $(MODULES),--modules "$(MODULES)") $(if $(TAGS),--tags "$(TAGS)")

devdb: $(STAMP)
	$(VENV)/bin/python tests/devdb.py

pytest-odoo: $(STAMP)
	$(VENV)/bin/python tests/devdb.py pytest $(if $(K),-k "$(K)") $(T)

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
