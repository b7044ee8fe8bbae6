# imtnas: the two commands of the README's quick start, plus helpers.
#   make search   # the main job (installs first)
#   make test     # the whole test suite, exactly what CI runs (installs first)
PYTHON ?= python3

.PHONY: install search test nbs clean preview check-site

install:  ## install imtnas (editable) with its dev tools, torch/torchvision pinned by constraints.txt
	$(PYTHON) -m pip install --quiet --disable-pip-version-check -c constraints.txt -e ".[dev]"

search: install  ## the main job on this machine's CPU (see README)
	PYTHON=$(PYTHON) bash tools/search.sh

test: install  ## everything CI checks: clean/export leave no diff, import, notebooks, pytest, docs processing
	PYTHON=$(PYTHON) bash tools/test.sh

preview: install  ## the site as HTML without Quarto, in _site_preview/ (MathJax and Vega from npm, once)
	$(PYTHON) tools/preview.py

check-site: preview  ## every preview page in headless Chromium, then every chart's controls (needs chromium, chromium-driver, selenium)
	$(PYTHON) tools/check_site.py
	$(PYTHON) tools/check_explorers.py --vega-dir _site_preview/_vendor --out _site_preview/shots/explorers

nbs:  ## after editing notebooks: clean them and export the package
	nbdev-clean && nbdev-export

clean:
	rm -rf _proc _docs _site_preview build dist *.egg-info .pytest_cache
