#!/usr/bin/env python3
"""Build an offline preview of the site, without the Quarto binary: `make preview` → `_site_preview/`.

The published site is rendered by Quarto (`nbdev-docs`, in the deploy workflow), which these offline machines
cannot install. This tool renders what Quarto renders, from the same input: the notebooks as `nbdev-proc-nbs`
processes them (`_proc/`: show_doc entries turned into markdown, hidden cells gone, front matter in a raw
cell), with their saved outputs. Each becomes one HTML page through nbconvert's JupyterLab template, at the
path Quarto gives it (`04_mmd.ipynb` → `mmd.html`, the `output-file` of its front matter), with

* the sidebar of `nbs/sidebar.yml` as navigation, in its order and sections;
* cells marked `#| echo: false` shown without their source, as Quarto does, and `#|` directives removed;
* MathJax, require.js and vega / vega-lite / vega-embed served from `_site_preview/_vendor/` (installed from
  npm on the first build): no page reaches the internet, so a browser on an offline machine renders
  everything a visitor would see (`tools/check_site.py` does).

Headings get the identifiers Pandoc gives them on the Quarto site (`#what-it-costs`, not nbconvert's
`#What-it-costs`), so that the site check can hold every `#fragment` link to the published anchors. Serve the folder over HTTP (links are site-absolute, as
on the published site): `python -m http.server -d _site_preview`.
"""
from __future__ import annotations
import argparse, html, json, os, re, shutil, subprocess, sys, tempfile
from pathlib import Path
import yaml

REPO = Path(__file__).resolve().parents[1]
VENDOR_PKGS = ('mathjax@2.7.9', 'requirejs@2.3.7', 'vega@6', 'vega-lite@6.4.1', 'vega-embed@7')
MATHJAX = '/_vendor/node_modules/mathjax/MathJax.js?config=TeX-AMS_CHTML-full,Safe'
REQUIREJS = '/_vendor/node_modules/requirejs/require.js'
sys.path.insert(0, str(Path(__file__).parent))
from check_explorers import CDN, ERROR_HOOK   # Altair's jsDelivr URLs, and the hook that records console errors for the checks
STYLE = """<style>
body { margin: 0; }
#site-nav { position: fixed; top: 0; left: 0; bottom: 0; width: 250px; overflow-y: auto; padding: 12px 14px; box-sizing: border-box;
            background: #f7f7f9; border-right: 1px solid #ddd; font: 14px/1.4 sans-serif; }
#site-nav a { display: block; color: #2c3e50; text-decoration: none; padding: 2px 0 2px 8px; }
#site-nav a.current { font-weight: bold; border-left: 3px solid #2780e3; padding-left: 5px; }
#site-nav .section { margin: 10px 0 2px; font-weight: bold; color: #666; text-transform: uppercase; font-size: 11px; }
#site-main { margin-left: 250px; padding: 0 16px; box-sizing: border-box; max-width: 1030px; }
#site-main .jp-OutputArea-output, #site-main .jp-RenderedHTMLCommon table { overflow-x: auto; max-width: 100%; }
#site-main .jp-RenderedHTMLCommon table { display: block; }
#site-main pre { white-space: pre-wrap; word-break: break-word; }
#site-main img { max-width: 100%; height: auto; }
.page-description { color: #555; font-size: 1.1em; }
</style>"""


def sidebar(nbs:Path) -> list[tuple[str|None, str]]:
    "(section or None, notebook path relative to nbs/) in the order of `sidebar.yml` (a flat YAML reader: no PyYAML needed)."
    out, section = [], None
    for line in (nbs/'sidebar.yml').read_text().splitlines():
        m = re.match(r'\s*- section:\s*(.+)$', line)
        if m: section = m.group(1).strip(); continue
        m = re.match(r'\s*- (\S+\.ipynb)\s*$', line)
        if m: out.append((section, m.group(1)))
    return out


def front_matter(nb:dict) -> dict:
    "The YAML front matter nbdev-proc-nbs puts in a raw first cell (title, description, output-file), as a dict."
    c = nb['cells'][0] if nb['cells'] else None
    if not c or c['cell_type'] != 'raw': return {}
    src = ''.join(c['source']) if isinstance(c['source'], list) else c['source']
    fm = yaml.safe_load(src.strip().strip('-'))   # YAML as Quarto reads it: nbdev folds long values with escaped line breaks and writes \uXXXX escapes
    return {str(k): str(v) for k, v in fm.items()} if isinstance(fm, dict) else {}


def page_name(nb_rel:str, fm:dict) -> str:
    "The page Quarto writes: the front matter's output-file, in the notebook's folder; else the name without its numeric prefix."
    rel = Path(nb_rel)
    name = fm.get('output-file') or re.sub(r'^\d+[a-z]?_', '', rel.stem) + '.html'
    return str(rel.parent/name) if str(rel.parent) != '.' else name


def vendor(out:Path, quiet:bool=False) -> Path:
    "Install MathJax, require.js and the Vega libraries from npm into out/_vendor (once); raise RuntimeError without npm."
    v = out/'_vendor'
    if all((v/'node_modules'/p.split('@')[0]).is_dir() for p in VENDOR_PKGS): return v
    if shutil.which('npm') is None:
        raise RuntimeError("the preview serves MathJax and Vega locally and installs them with npm, which is not on PATH: apt-get install -y npm")
    v.mkdir(parents=True, exist_ok=True)
    if not quiet: print(f"installing {', '.join(VENDOR_PKGS)} from npm into {v}", flush=True)
    subprocess.run(['npm', 'install', '--silent', '--no-audit', '--no-fund', '--prefix', str(v), *VENDOR_PKGS], check=True)
    return v


def proc_nbs(quiet:bool=False):
    "Run nbdev-proc-nbs (it needs no Quarto, but tries to install it when `quarto` is missing: a stand-in says 'not here')."
    env = dict(os.environ)
    if shutil.which('quarto') is None:
        shim = Path(tempfile.mkdtemp())
        (shim/'quarto').write_text('#!/bin/sh\necho "quarto is not installed on this machine" >&2; exit 1\n'); (shim/'quarto').chmod(0o755)
        env['PATH'] = f"{shim}{os.pathsep}{env['PATH']}"
    if not quiet: print("nbdev-proc-nbs → _proc/", flush=True)
    subprocess.run(['nbdev-proc-nbs'], cwd=REPO, env=env, check=True, capture_output=True)


def pandoc_id(text:str) -> str:
    "The identifier Pandoc (hence Quarto) gives a heading: markup dropped, lower case, punctuation but `_-.` removed, spaces to hyphens, nothing before the first letter."
    t = html.unescape(re.sub(r'<[^>]+>', '', text)).strip().lower()
    t = re.sub(r'[^\w\s.-]', '', t)
    t = re.sub(r'\s+', '-', t)
    t = re.sub(r'^[^a-z]+', '', t)
    return t or 'section'


def quarto_anchors(body:str) -> str:
    "Give every heading the id Quarto would (nbconvert's are the text with its case and punctuation), numbering repeats as Pandoc does."
    seen = {}
    def fix(m):
        level, old, inner = m.group(1), m.group(2), m.group(3)
        new = pandoc_id(re.sub(r'<a class="anchor-link".*?</a>', '', inner, flags=re.S))
        k = seen.get(new, 0); seen[new] = k + 1
        if k: new = f"{new}-{k}"
        inner = inner.replace(f'href="#{old}"', f'href="#{new}"')
        return f'<h{level} id="{new}">{inner}</h{level}>'
    return re.sub(r'<h([1-6]) id="([^"]*)">(.*?)</h\1>', fix, body, flags=re.S)


def _local_cdn(m):
    lib = 'vega' if m.group(1) == 'vega-lib' else m.group(1)
    return f"/_vendor/node_modules/{lib}/build/{lib}.min.js" if not m.group(4) else f"/_vendor/node_modules/{lib}/build/{lib}.min"


def nav_html(entries, current:str) -> str:
    parts, section = ['<nav id="site-nav"><a href="/index.html"' + (' class="current"' if current == 'index.html' else '') + '><b>imtnas</b></a>'], None
    for sec, page, title in entries:
        if page == 'index.html': continue
        if sec != section and sec: parts.append(f'<div class="section">{html.escape(sec)}</div>')
        section = sec
        cls = ' class="current"' if page == current else ''
        parts.append(f'<a href="/{page}"{cls}>{html.escape(title)}</a>')
    return ''.join(parts) + '</nav>'


def render(nb:dict, fm:dict):
    "HTML of one processed notebook (nbconvert's lab template, local MathJax and require.js), its title cell first."
    import nbformat
    from nbconvert import HTMLExporter
    from traitlets.config import Config
    nb = json.loads(json.dumps(nb))
    nb['metadata'].pop('widgets', None)   # execnb's record of show_doc runs: no widget state to show, and its loader reaches unpkg.com
    keep = {'cell_type', 'metadata', 'source', 'outputs', 'execution_count', 'attachments'}   # ids: nbconvert gives each cell a fresh one
    cells = [{k: v for k, v in c.items() if k in keep} for c in nb['cells'] if c['cell_type'] != 'raw']   # nbdev's own keys (has_sd) are not nbformat's
    for c in cells:
        if c['cell_type'] != 'code': continue
        md = c.get('metadata', {})
        c['metadata'] = {'tags': list(md.get('tags', []))}          # execnb's timings are not nbformat's either
        if md.get('transient', {}).get('remove_source'): c['metadata']['tags'].append('remove_input')
        src = ''.join(c['source']) if isinstance(c['source'], list) else c['source']
        lines = src.split('\n')
        directives = [l for l in lines if l.startswith('#|')]
        c['source'] = '\n'.join(l for l in lines if not l.startswith('#|')).strip('\n')
        if any(re.match(r'#\|\s*echo:\s*false', d) for d in directives) or not c['source'].strip():
            c.setdefault('metadata', {}).setdefault('tags', []).append('remove_input')
    head = f"# {fm.get('title', '')}\n\n" + (f"<p class='page-description'>{html.escape(fm['description'])}</p>" if fm.get('description') else '')
    nb['cells'] = [dict(cell_type='markdown', metadata={}, source=head)] + cells
    for i, c in enumerate(nb['cells']): c['id'] = f'cell-{i}'
    cfg = Config()
    cfg.TagRemovePreprocessor.remove_input_tags = ('remove_input',)
    cfg.TagRemovePreprocessor.enabled = True
    exp = HTMLExporter(template_name='lab', config=cfg, mathjax_url=MATHJAX, require_js_url=REQUIREJS,
                       exclude_input_prompt=True, exclude_output_prompt=True)   # Quarto shows no In/Out prompts
    body, _ = exp.from_notebook_node(nbformat.from_dict(nb))
    return body


def write_page(nb:dict, # a processed notebook (sources as strings)
               fm:dict, # its front matter
               page:str, # the page's path under `out`
               entries:list, # the navigation: (section, page, title) per page
               out:Path, # the site folder (with _vendor/)
              ) -> dict:
    "Render `nb` to out/page with the navigation and local scripts; returns what the site check expects of it: page, title, images, charts, math."
    body = quarto_anchors(render(nb, fm))
    body = CDN.sub(_local_cdn, body)
    body = body.replace('<head>', '<head>\n' + ERROR_HOOK, 1).replace('</head>', STYLE + '\n</head>', 1)
    body = re.sub(r'(<body[^>]*>)', lambda m: m.group(1) + nav_html(entries, page) + '<div id="site-main">', body, count=1)
    body = body.replace('</body>', '</div></body>', 1)
    p = out/page
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(body)
    outs = [o for c in nb['cells'] if c['cell_type'] == 'code' for o in c.get('outputs', [])]
    n_img = sum(1 for o in outs if any(k in ('image/png', 'image/jpeg', 'image/gif') for k in o.get('data', {})))   # SVG is drawn inline, not as <img>
    n_chart = sum(1 for o in outs if 'vegaEmbed' in ''.join(o.get('data', {}).get('text/html', '')) or any(k.startswith('application/vnd.vega') for k in o.get('data', {})))
    md = '\n'.join(''.join(c['source']) for c in nb['cells'] if c['cell_type'] == 'markdown')
    md += '\n'.join(''.join(o.get('data', {}).get('text/markdown', '')) for o in outs)
    prose = re.sub(r'```.*?```|`[^`]*`', '', md, flags=re.S)
    math = bool(re.search(r'(?<![\\$])\$\$?[^$\s][^$]*?\$', prose))   # $…$ or $$…$$ outside code (a lone dollar sign is not math)
    return dict(page=page, title=fm.get('title', page), images=n_img, charts=n_chart, math=math)


def build(out:Path=REPO/'_site_preview', proc:bool=True, quiet:bool=False) -> list[dict]:
    "Build the preview into `out`; returns one dict per page: notebook, page, title, and the counts the site check expects (images, math, charts)."
    import nbformat
    if proc: proc_nbs(quiet)
    pdir = REPO/'_proc'
    if not pdir.is_dir(): raise RuntimeError("no _proc/: run nbdev-proc-nbs first, or drop --no-proc")
    out.mkdir(parents=True, exist_ok=True)
    vendor(out, quiet)
    order = [(None, 'index.ipynb')] + [e for e in sidebar(REPO/'nbs') if e[1] != 'index.ipynb']
    listed = {rel for _, rel in order}
    extra = sorted(str(p.relative_to(pdir)) for p in pdir.glob('**/*.ipynb') if str(p.relative_to(pdir)) not in listed
                   and not any(part.startswith(('_', '.')) for part in p.relative_to(pdir).parts))
    if extra and not quiet: print(f"  not in nbs/sidebar.yml (Quarto publishes them all the same): {', '.join(extra)}", flush=True)
    order += [('Not in the sidebar', rel) for rel in extra]
    entries, nbs = [], []
    for sec, rel in order:
        nb = nbformat.read(pdir/rel, as_version=4)   # sources as strings
        fm = front_matter(nb)
        page = page_name(rel, fm)
        entries.append((sec, page, fm.get('title', Path(rel).stem)))
        nbs.append((rel, nb, fm, page))
    manifest = []
    for (rel, nb, fm, page), (_, _, title) in zip(nbs, entries):
        manifest.append(dict(notebook=rel, **write_page(nb, fm, page, entries, out)))
        if not quiet: print(f"  {rel:34s} → {page}", flush=True)
    (out/'manifest.json').write_text(json.dumps(manifest, indent=1))
    return manifest


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--out', default=str(REPO/'_site_preview'), help="output folder (default: _site_preview/)")
    ap.add_argument('--no-proc', action='store_true', help="use the existing _proc/ instead of running nbdev-proc-nbs")
    a = ap.parse_args(argv)
    try: pages = build(Path(a.out), proc=not a.no_proc)
    except (RuntimeError, subprocess.CalledProcessError) as e: sys.exit(f"preview: {e}")
    print(f"{len(pages)} pages in {a.out}; serve them with: python -m http.server -d {a.out}")


if __name__ == '__main__': main()
