# Two commands matter: `make run` and `make test`. Everything else is for developers.
PYTHON ?= python3
VENV   := .venv
VPY    := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
DEVSTAMP := $(VENV)/.installed-dev
# Debian/Ubuntu packages Qt needs at run time (fonts come from resources/, not the system).
QT_DEBS := libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3 libglib2.0-0 \
           libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-xinerama0 libxcb-randr0 \
           libxcb-render-util0 libxcb-image0

.PHONY: run test bench lint build check-system clean

check-system:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' || { \
	  echo "Python 3.11 or newer is needed. Install it with:"; \
	  echo "  sudo apt-get install python3 python3-venv"; exit 1; }
	@$(PYTHON) -c 'import ensurepip, venv' 2>/dev/null || { \
	  echo "Python's venv module is missing. Install it with:"; \
	  echo "  sudo apt-get install python3-venv"; exit 1; }

$(VENV)/bin/python: | check-system
	$(PYTHON) -m venv $(VENV)
	$(VPY) -m pip install -q --upgrade pip

$(STAMP): pyproject.toml $(VENV)/bin/python
	$(VPY) -m pip install -q -e .
	@touch $@

$(DEVSTAMP): pyproject.toml $(VENV)/bin/python
	$(VPY) -m pip install -q -e '.[dev]'
	@touch $@ $(STAMP)

# Qt refuses to start without a few system libraries; say exactly what to install.
check-qt: $(STAMP)
	@$(VPY) -m lehe_desktop.gui.syscheck || { \
	  echo "Qt needs system libraries that are missing. Install them with:"; \
	  echo "  sudo apt-get install $(QT_DEBS)"; exit 1; }

run: $(STAMP) check-qt
	$(VPY) -m lehe_desktop

test: $(DEVSTAMP) check-qt
	QT_QPA_PLATFORM=offscreen $(VPY) -m pytest
	$(MAKE) --no-print-directory lint

bench: $(DEVSTAMP)
	QT_QPA_PLATFORM=offscreen $(VPY) benchmarks/bench_store.py

# ruff, the type checker and the layer contracts (docs/architecture.md), all clean.
lint: $(DEVSTAMP)
	$(VPY) -m ruff check lehe_desktop tests benchmarks build_scripts
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports --no-cache

build: $(DEVSTAMP) check-qt
	$(VPY) build_scripts/build.py

clean:
	rm -rf build dist

# Qt Linguist: collect self.tr() strings, fill the Chinese glossary, compile the .qm the app loads.
translations: $(DEVSTAMP)
	$(VENV)/bin/pyside6-lupdate -no-obsolete lehe_desktop/gui/*.py -ts resources/i18n/lehe_zh_CN.ts -source-language en -target-language zh_CN
	$(VPY) resources/i18n/fill_ts.py resources/i18n/lehe_zh_CN.ts
	$(VENV)/bin/pyside6-lrelease resources/i18n/lehe_zh_CN.ts -qm resources/i18n/lehe_zh_CN.qm
