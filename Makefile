# imtnas: the two commands of the README's quick start, plus helpers.
#   make search   # the main job (installs first)
#   make test     # the whole test suite, exactly what CI runs (installs first)
PYTHON ?= python3

.PHONY: install search test nbs clean

install:  ## install imtnas (editable) with its dev tools, torch/torchvision pinned by constraints.txt
	$(PYTHON) -m pip install --quiet --disable-pip-version-check -c constraints.txt -e ".[dev]"

search: install  ## the main job on this machine's CPU (see README)
	PYTHON=$(PYTHON) bash tools/search.sh

test: install  ## everything CI checks: clean/export leave no diff, import, notebooks, pytest, docs processing
	PYTHON=$(PYTHON) bash tools/test.sh

nbs:  ## after editing notebooks: clean them and export the package
	nbdev-clean && nbdev-export

clean:
	rm -rf _proc _docs build dist *.egg-info .pytest_cache
