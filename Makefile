# TACE Log. `make run` starts the app; `make test` runs every check. Both set everything up first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Before any rule names them: a rule's prerequisites are expanded as it is read (see `translations` below).
TS := resources/translations/tace_log_zh_CN.ts
QM := $(TS:.ts=.qm)
# English needs a translation only for its plurals ("%n procedure(s)" -> "1 procedure", "2 procedures").
TS_EN := resources/translations/tace_log_en.ts
QM_EN := $(TS_EN:.ts=.qm)

# Debian packages: Qt's offscreen/xcb platforms, the PDF tools the report tests read PDFs back with, fontconfig's
# fc-query (the report tests read the bundled font's character map with it), the time zones
# times are shown in (the tests show Asia/Shanghai's), and R's survival and DCMTK, the independent references the
# survival and dose-report tests and bench compare with (never shipped).
DEBIAN_PACKAGES := libegl1 libgl1 libglib2.0-0 libfontconfig1 fontconfig libfreetype6 libdbus-1-3 libxkbcommon0 \
	libxcb-icccm4 libxcb-keysyms1 libxcb-cursor0 xvfb xauth poppler-utils poppler-data tzdata r-base-core \
	r-cran-survival dcmtk

.PHONY: venv system-packages run test lint bench dist smoke clean translations extract screenshots

venv: $(STAMP) $(QM) $(QM_EN)  # the translations too: the tests read English's plural forms from its .qm

$(STAMP): pyproject.toml
	@$(MAKE) --no-print-directory system-packages
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@# real angiography dose reports for the tests (pseudonymised vendor RDSRs, MIT, in this wheel; never installed)
	$(BIN)/pip download --quiet --no-deps -d $(VENV)/wheels 'pyskindose==25.1.1'
	touch $(STAMP)

# Installs missing Debian packages when run as root (as on a fresh workstation or CI); otherwise says what is missing.
system-packages:
	@missing=$$(for p in $(DEBIAN_PACKAGES); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; done); \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "installing Debian packages: $$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	else echo "warning: missing Debian packages (install as root): $$missing"; fi

run: venv
	$(BIN)/tace-log gui

lint: venv
	$(BIN)/ruff check tace_log ui tests bench
	$(BIN)/lint-imports
	$(BIN)/mypy

test: lint $(QM) $(QM_EN)
	QT_QPA_PLATFORM=offscreen $(BIN)/pytest -q
	@$(MAKE) --no-print-directory smoke

# The app's own strings: extracted from ui/ into the committed .ts (lupdate reads .py files only when told), built
# into the .qm that ui/shell/language.py loads. No source locations, so moving code changes nothing in the .ts;
# tests/ui/test_translations.py fails when a fresh extraction (`make extract TS=... TS_EN=...`) differs from the
# committed one.

translations: venv
	@$(MAKE) --no-print-directory extract
	@$(MAKE) --no-print-directory $(QM) $(QM_EN)

extract:
	$(BIN)/pyside6-lupdate -silent -extensions py -locations none -no-obsolete -source-language en \
		-target-language zh_CN ui -ts $(TS)
	$(BIN)/pyside6-lupdate -silent -extensions py -locations none -no-obsolete -pluralonly -source-language en \
		-target-language en ui -ts $(TS_EN)

$(QM): $(TS) $(STAMP)
	$(BIN)/pyside6-lrelease -silent $(TS) -qm $@

$(QM_EN): $(TS_EN) $(STAMP)
	$(BIN)/pyside6-lrelease -silent $(TS_EN) -qm $@

# The app at 1366x768 in English and Chinese (docs/screenshots.py), committed under docs/screenshots/.
screenshots: venv
	for lang in en zh; do TACE_LOG_LANG=$$lang \
		QT_QPA_PLATFORM=offscreen:configfile=docs/screenshots/screen-1366x768.json \
		$(BIN)/python docs/screenshots.py docs/screenshots/$$lang || exit 1; done

bench: venv
	$(BIN)/python -m bench

dist: venv $(QM) $(QM_EN)
	$(BIN)/python -m PyInstaller --noconfirm --clean --log-level WARN build.spec

# The frozen app opens its window on a temporary logbook, saves a procedure through the form, and exits 0.
smoke: dist
	QT_QPA_PLATFORM=offscreen dist/tace-log-gui/tace-log-gui --smoke

clean:
	rm -rf $(VENV) build dist .pytest_cache
