#!/usr/bin/env python3
"""Every public name of the package, and every public method and property of its public classes, has a
`show_doc` entry on the site: run after `nbdev-proc-nbs`, it reads the processed notebooks in `_proc/`.

Not counted as missing: fastai callback events (`before_fit`, `after_batch`, ...: fastai's protocol, which a
callback's class documentation describes), `nn.Module.extra_repr`, and names inherited from a library class."""
import importlib, inspect, json, pathlib, re, sys

EVENT = re.compile(r'^(before|after)_(fit|epoch|train|validate|batch|loss|backward|step|zero_grad|cancel_\w+)$')
SKIP = {'extra_repr'}


def documented(proc:pathlib.Path) -> set:
    "Names that appear as `show_doc(NAME` in a code cell of a processed notebook."
    out = set()
    for p in proc.glob('*.ipynb'):
        for c in json.loads(p.read_text())['cells']:
            if c['cell_type'] == 'code': out.update(re.findall(r'show_doc\(([A-Za-z_][\w.]*)', ''.join(c['source'])))
    return out


def public_api(package:str='imtnas') -> list:
    "Dotted names that need an entry: `__all__` of every module, and the public methods/properties each class defines."
    pkg = importlib.import_module(package)
    need = []
    for info in sorted(pathlib.Path(pkg.__file__).parent.glob('[!_]*.py')):
        mod = importlib.import_module(f'{package}.{info.stem}')
        for name in getattr(mod, '__all__', []):
            obj = getattr(mod, name)
            if getattr(obj, '__module__', mod.__name__) != mod.__name__ and (inspect.isclass(obj) or inspect.isfunction(obj)): continue
            if not (inspect.isclass(obj) or inspect.isfunction(obj)): continue   # constants: documented in prose
            need.append(name)
            if not inspect.isclass(obj): continue
            for k, v in vars(obj).items():
                if k.startswith('_') or k in SKIP or EVENT.match(k) or inspect.isclass(v): continue
                if isinstance(v, (classmethod, staticmethod, property)) or inspect.isfunction(v) or type(v).__name__ == '_clsmethod':
                    need.append(f'{name}.{k}')
    return need


def main(proc='_proc') -> int:
    proc = pathlib.Path(proc)
    if not proc.is_dir(): print(f"check_docs: no {proc}/ (run nbdev-proc-nbs first)", file=sys.stderr); return 2
    have = documented(proc)
    missing = [n for n in public_api() if n not in have]
    if missing:
        print(f"check_docs: {len(missing)} public names have no show_doc entry in {proc}/ "
              "(define methods in the class and add a `show_doc(Class.method)` cell, or use @patch):", file=sys.stderr)
        for n in missing: print(f"  {n}", file=sys.stderr)
        return 1
    print(f"check_docs: all {len(have & set(public_api()))} public names and methods have a show_doc entry")
    return 0


if __name__ == '__main__': sys.exit(main(*sys.argv[1:]))
