#!/usr/bin/env python3
"""Open the saved Vega-Lite explorers of the notebooks in a real (headless) browser and check they work.

The MMD explorer (`nbs/04_mmd.ipynb`) and the α explorer (`nbs/08_search.ipynb`) are saved as cell outputs
so that the published site stays interactive without a kernel; `to_dict()` in the notebooks only proves that
Altair accepts the spec. This tool extracts every saved Vega-Lite chart from the notebooks, writes one
standalone page per chart (the saved HTML itself, with its CDN script URLs pointed at local copies of
vega / vega-lite / vega-embed; a plain `vegaEmbed` page for outputs that only carry the Vega-Lite mime type),
serves the pages on 127.0.0.1, opens each in headless Chromium (Selenium + chromedriver) and checks that

* the chart renders: an SVG or canvas with nonzero size and more than one colour appears, and the page
  logs no console error (warnings are printed, and fail the run only with `--strict`);
* every bound input works with real mouse/keyboard events: each range slider is clicked (middle) and moved
  with Home / End, each radio button clicked, each checkbox toggled, each select stepped, and the chart's
  pixels (canvas) or markup (SVG) must change. A slider that does nothing in the page's initial state fails;
  if it comes alive once a checkbox is toggled (e.g. a "use the median" box that overrides the slider) the
  tool says so, and that is a warning (a failure with `--strict`).

Screenshots (PNG) of every chart in its initial state and after every interaction go to `--out`
(default /tmp/explorer_check), named `<notebook>_c<cell>_o<output>_<step>.png`; one verdict line per chart
is printed, and the exit status is non-zero if any chart fails.

`make check-site` runs it on every notebook with a saved chart, after `tools/check_site.py`, with the libraries the
site preview installs (`--vega-dir _site_preview/_vendor`); `make test` does too where Chromium is installed (CI
machines have none). To set it up by hand:

    apt-get install -y chromium chromium-driver
    npm install --prefix /tmp/vega vega@6 vega-lite@6.4.1 vega-embed@7   # the versions Altair 6's HTML asks for
    python3 -m venv /tmp/vega/venv && /tmp/vega/venv/bin/pip install selenium   # or pip install selenium

and run, from the repository root (Python stdlib + selenium only; the notebooks are read, never executed):

    /tmp/vega/venv/bin/python tools/check_explorers.py --vega-dir /tmp/vega
    /tmp/vega/venv/bin/python tools/check_explorers.py --vega-dir /tmp/vega nbs/04_mmd.ipynb --out /tmp/mmd_check

`--vega-dir` may be the npm prefix (with `node_modules/`), a `node_modules` folder, or a flat folder holding
`vega.min.js`, `vega-lite.min.js` and `vega-embed.min.js`.
"""
from __future__ import annotations
import argparse, functools, hashlib, http.server, json, re, shutil, sys, threading, time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_NBS = ('nbs/04_mmd.ipynb', 'nbs/08_search.ipynb')
LIBS = ('vega', 'vega-lite', 'vega-embed')
INSTALL = ("  apt-get install -y chromium chromium-driver\n"
           "  npm install --prefix /tmp/vega vega@6 vega-lite@6.4.1 vega-embed@7\n"
           "  python3 -m venv /tmp/vega/venv && /tmp/vega/venv/bin/pip install selenium")

# ---------------------------------------------------------------- extracting the charts

def _spec_from_html(html:str):
    "The (spec, embed options) of an Altair/vega-embed HTML output, or None."
    if 'vegaEmbed' not in html and 'vega-embed' not in html: return None
    dec = json.JSONDecoder()
    # Altair's template ends with `})(SPEC, EMBED_OPT);`; other writers call `vegaEmbed(el, SPEC, OPT)`
    for m in reversed(list(re.finditer(r'\}\)\(\s*(?=\{)|vegaEmbed\([^,]+,\s*(?=\{)', html))):
        try:
            spec, end = dec.raw_decode(html, m.end())
            rest = html[end:].lstrip()
            opt = dec.raw_decode(rest[1:].lstrip())[0] if rest.startswith(',') else {}
        except ValueError: continue
        if isinstance(spec, dict) and ('$schema' in spec or 'mark' in spec or 'marks' in spec or any(k in spec for k in ('vconcat', 'hconcat', 'concat', 'layer', 'facet', 'repeat'))):
            return spec, opt if isinstance(opt, dict) else {}
    return None

def extract_charts(nb_path:Path) -> list[dict]:
    "Every saved Vega / Vega-Lite chart output of a notebook: dicts with cell, output, spec, mode, html (or None)."
    nb = json.loads(nb_path.read_text())
    charts = []
    for ci, cell in enumerate(nb.get('cells', [])):
        for oi, out in enumerate(cell.get('outputs', []) or []):
            data = out.get('data') or {}
            join = lambda v: ''.join(v) if isinstance(v, list) else v
            found = None
            for mime, val in data.items():
                m = re.fullmatch(r'application/vnd\.vega(lite)?\.v\d+\+json', mime)
                if m:
                    spec = json.loads(join(val)) if isinstance(val, (str, list)) else val
                    found = dict(spec=spec, mode='vega-lite' if m.group(1) else 'vega', html=None, source=mime)
                    break
            html = join(data.get('text/html', ''))
            parsed = _spec_from_html(html) if html else None
            if parsed:
                spec, opt = parsed
                mode = opt.get('mode') or ('vega-lite' if 'vega-lite' in str(spec.get('$schema', '')) else 'vega')
                if found is None: found = dict(spec=spec, mode=mode, source='text/html')
                found['html'] = html    # the saved HTML is the artefact the site shows: test that
            if found: charts.append(dict(cell=ci, output=oi, **found))
    return charts

# ---------------------------------------------------------------- pages and server

def find_libs(vega_dir:Path) -> dict[str, Path]:
    "Paths of vega, vega-lite and vega-embed (minified UMD builds) under `vega_dir`, or raise FileNotFoundError."
    found, missing = {}, []
    for lib in LIBS:
        cands = [vega_dir/f'{lib}.min.js', vega_dir/f'{lib}.js',
                 vega_dir/lib/'build'/f'{lib}.min.js', vega_dir/lib/'build'/f'{lib}.js',
                 vega_dir/'node_modules'/lib/'build'/f'{lib}.min.js', vega_dir/'node_modules'/lib/'build'/f'{lib}.js']
        p = next((c for c in cands if c.is_file()), None)
        if p: found[lib] = p
        else: missing.append(lib)
    if missing: raise FileNotFoundError(f"{', '.join(missing)} not found under {vega_dir}")
    return found

def lib_version(p:Path) -> str|None:
    for pkg in (p.parent.parent/'package.json', p.parent/'package.json'):
        if pkg.is_file():
            try: return json.loads(pkg.read_text()).get('version')
            except ValueError: pass
    return None

ERROR_HOOK = """<script>
window.__errors = []; window.__warnings = [];
window.addEventListener('error', e => window.__errors.push('uncaught: ' + (e.message || (e.target && (e.target.src || e.target.href)) || e)), true);
window.addEventListener('unhandledrejection', e => window.__errors.push('unhandled rejection: ' + (e.reason && (e.reason.stack || e.reason.message) || e.reason)));
(function(){ const E = console.error, W = console.warn;
  console.error = function(...a){ window.__errors.push(a.map(String).join(' ')); return E.apply(this, a); };
  console.warn  = function(...a){ window.__warnings.push(a.map(String).join(' ')); return W.apply(this, a); }; })();
</script>"""

PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{title}</title><link rel="icon" href="data:,">
{hook}{scripts}
<style>body {{ font-family: sans-serif; margin: 16px; background: white; }} #chart-root {{ display: inline-block; }}</style>
</head><body><div id="chart-root">{body}</div></body></html>"""

CDN = re.compile(r'https?://cdn\.jsdelivr\.net/npm/(vega-lite|vega-embed|vega-lib|vega)(@[^"\'?\s/]*)?(/[^"\'?\s]*)?(\?noext)?')

def write_page(chart:dict, path:Path, title:str):
    "A standalone page for `chart`: the saved HTML with local script URLs, or a plain vegaEmbed page."
    if chart.get('html'):
        # Altair loads the libraries itself (script tags, or require.js where the page has AMD); point it at /_lib/
        def local(m): return f"/_lib/{'vega' if m.group(1) == 'vega-lib' else m.group(1)}.min.js" + ('?noext' if m.group(4) else '')
        body = CDN.sub(local, chart['html'])
        scripts = ''
    else:
        scripts = ''.join(f'<script src="/_lib/{lib}.min.js"></script>\n' for lib in LIBS)
        body = ('<div id="vis"></div><script>vegaEmbed("#vis", ' + json.dumps(chart['spec']) + ', ' +
                json.dumps({'mode': chart['mode']}) + ').catch(e => console.error("vegaEmbed failed: " + e));</script>')
    path.write_text(PAGE.format(title=title, hook=ERROR_HOOK, scripts=scripts, body=body))
    return body

class _Quiet(http.server.SimpleHTTPRequestHandler):
    requests = []
    def log_message(self, fmt, *args): _Quiet.requests.append(fmt % args)
    def end_headers(self):
        self.send_header('Cache-Control', 'no-store'); super().end_headers()

def serve(root:Path):
    srv = http.server.ThreadingHTTPServer(('127.0.0.1', 0), functools.partial(_Quiet, directory=str(root)))
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv, f"http://127.0.0.1:{srv.server_address[1]}"

# ---------------------------------------------------------------- browser

JS_STATE = """
const root = document.getElementById('chart-root');
const el = root.querySelector('.vega-embed canvas, .vega-embed svg.marks, canvas, svg.marks');
const err = root.querySelector('.error');
if (!el) return {found: false, error: err ? err.innerText : null};
const r = el.getBoundingClientRect();
let colours = 0;
if (el.tagName.toLowerCase() === 'canvas') {
  try { const ctx = el.getContext('2d'), w = el.width, h = el.height, px = ctx.getImageData(0, 0, w, h).data, seen = new Set();
        const step = Math.max(4, 4 * Math.floor(w * h / 20000));
        for (let i = 0; i < px.length && seen.size < 50; i += step) seen.add(px[i] + ',' + px[i+1] + ',' + px[i+2] + ',' + px[i+3]);
        colours = seen.size; } catch (e) { colours = -1; }
} else { colours = new Set(Array.from(el.querySelectorAll('[fill]')).map(n => n.getAttribute('fill'))).size; }
return {found: true, el: el, tag: el.tagName.toLowerCase(), w: r.width, h: r.height, colours: colours, error: err ? err.innerText : null,
        page_w: document.documentElement.scrollWidth, page_h: document.documentElement.scrollHeight};
"""

JS_BINDINGS = """
const out = [];
document.querySelectorAll('#chart-root .vega-bind').forEach((b, k) => {
  const name = (b.querySelector('.vega-bind-name') || b).innerText.trim();
  const inputs = Array.from(b.querySelectorAll('input, select'));
  if (!inputs.length) return;
  const i0 = inputs[0], kind = i0.tagName.toLowerCase() === 'select' ? 'select' : i0.type;
  const d = {index: k, name: name, kind: kind};
  if (kind === 'range') Object.assign(d, {min: +i0.min, max: +i0.max, step: i0.step, value: i0.value});
  if (kind === 'radio') Object.assign(d, {options: inputs.map(i => i.value), value: (inputs.find(i => i.checked) || {}).value});
  if (kind === 'checkbox') d.value = i0.checked;
  if (kind === 'select') Object.assign(d, {options: Array.from(i0.options).map(o => o.value), value: i0.value});
  out.push(d);
});
return out;
"""

def _launch(args):
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        sys.exit("check_explorers: Python selenium is missing; install it (e.g. in a scratch venv):\n" + INSTALL)
    opts = webdriver.ChromeOptions()
    opts.binary_location = args.chromium
    for a in ('--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--hide-scrollbars',
              f'--window-size={args.width},{args.height}', '--force-device-scale-factor=1', '--no-first-run',
              '--disable-extensions', '--disable-background-networking'):
        opts.add_argument(a)
    opts.set_capability('goog:loggingPrefs', {'browser': 'ALL'})
    return webdriver.Chrome(service=Service(executable_path=args.chromedriver), options=opts)

class ChartCheck:
    "Opens one page and exercises its bindings; collects problems, warnings and screenshot paths."
    def __init__(self, driver, url:str, out:Path, stem:str, timeout:float, column:int=0):
        self.d, self.url, self.out, self.stem, self.timeout, self.column = driver, url, out, stem, timeout, column
        self.problems, self.warnings, self.shots, self.lines = [], [], [], []
        self.n_shot = 0

    # -- helpers
    def state(self):
        """The chart element's size etc.; `data` is a hash of its pixels (a screenshot of the SVG/canvas alone, so the
        slider widgets are not in it; SVG markup is no good: Vega renames gradients on every redraw)."""
        s = self.d.execute_script(JS_STATE)
        if s.get('found') and s['w'] > 0 and s['h'] > 0:
            # vega-embed's "..." actions button floats over the chart and fades in on hover: hide it for the hash
            hide = "document.querySelectorAll('#chart-root .vega-embed > details, #vg-tooltip-element').forEach(e => e.style.visibility = arguments[0])"
            self.d.execute_script(hide, 'hidden')
            try: s['data'] = hashlib.sha1(s.pop('el').screenshot_as_png).hexdigest()
            finally: self.d.execute_script(hide, '')
        else: s.pop('el', None); s['data'] = None
        return s

    def settle(self, min_wait=0.15):
        "Wait until the chart has been drawn and stays unchanged for two polls; return its state."
        time.sleep(min_wait)
        t0, last = time.time(), None
        while time.time() - t0 < self.timeout:
            s = self.state()
            if s.get('error'): return s
            if s['found'] and s['w'] > 0 and s['h'] > 0:
                if last is not None and s['data'] == last['data']: return s
                last = s
            time.sleep(0.15)
        return last or self.state()

    def shot(self, label:str):
        self.n_shot += 1
        label = re.sub(r'[^A-Za-z0-9.=_-]+', '-', label).strip('-')[:60]
        p = self.out/f"{self.stem}_{self.n_shot:02d}_{label}.png"
        from selenium.webdriver.common.by import By
        self.d.find_element(By.ID, 'chart-root').screenshot(str(p))
        self.shots.append(p)
        return p

    def console(self):
        "Errors and warnings from the page hook and from the browser log (drained)."
        errs, warns = self.d.execute_script('const e = [window.__errors || [], window.__warnings || []]; '
                                            'window.__errors = []; window.__warnings = []; return e;')
        try:
            for e in self.d.get_log('browser'):
                msg = e.get('message', '')
                if e.get('level') == 'SEVERE' and not any(msg.endswith(x) or x in msg for x in errs): errs.append('browser: ' + msg)
        except Exception: pass
        return errs, warns

    def inputs(self, b:dict):
        from selenium.webdriver.common.by import By
        bind = self.d.find_elements(By.CSS_SELECTOR, '#chart-root .vega-bind')[b['index']]
        return bind.find_elements(By.CSS_SELECTOR, 'input, select')

    def js_set(self, el, value):
        "Put an input back (not a user-interaction check: only used to restore defaults)."
        self.d.execute_script("""const el = arguments[0], v = arguments[1];
            if (el.type === 'checkbox' || el.type === 'radio') el.checked = v; else el.value = v;
            el.dispatchEvent(new Event('input', {bubbles: true})); el.dispatchEvent(new Event('change', {bubbles: true}));""", el, value)

    def value(self, b):
        els = self.inputs(b)
        if b['kind'] == 'radio': return next((e.get_attribute('value') for e in els if e.is_selected()), None)
        if b['kind'] == 'checkbox': return els[0].is_selected()
        return els[0].get_attribute('value') if b['kind'] != 'select' else self.d.execute_script('return arguments[0].value', els[0])

    # -- interactions: each yields (label, performed-by-user-events?)
    def steps(self, b:dict):
        from selenium.webdriver.common.keys import Keys
        from selenium.webdriver.support.ui import Select
        els = self.inputs(b)
        if b['kind'] == 'range':
            el = els[0]
            el.click(); yield 'middle (click)'
            el.send_keys(Keys.HOME); yield 'min (Home)'
            el.send_keys(Keys.END); yield 'max (End)'
        elif b['kind'] == 'radio':
            for e in els:
                if not e.is_selected():
                    v = e.get_attribute('value'); e.click(); yield f'option {v}'
        elif b['kind'] == 'checkbox':
            els[0].click(); yield 'toggled'
            els[0].click(); yield 'toggled back'
        elif b['kind'] == 'select':
            sel = Select(els[0])
            for k in range(len(sel.options)): sel.select_by_index(k); yield f'option {k}'

    def restore(self, b:dict):
        els = self.inputs(b)
        if b['kind'] == 'radio':
            for e in els:
                if e.get_attribute('value') == b['value'] and not e.is_selected(): e.click()
        elif b['kind'] == 'checkbox':
            if els[0].is_selected() != b['value']: els[0].click()
        else: self.js_set(els[0], b['value'])
        self.settle()

    def exercise(self, b:dict, tag:str='', shots:bool=True) -> tuple[bool, list[str]]:
        "Run the steps of binding `b`; True if any step changed the chart. Also returns a log of the steps."
        before = self.settle(0)['data']; changed, log = False, []
        for label in self.steps(b):
            s = self.settle()
            val = self.value(b)
            ch = s['data'] != before; changed |= ch; before = s['data']
            p = self.shot(f"{tag}{b['name']}={val}") if shots else None
            log.append(f"{label} -> {b['name'].strip()}={val}: chart {'changed' if ch else 'UNCHANGED'}" + (f" [{p.name}]" if p else ''))
        self.restore(b)
        return changed, log

    def run(self) -> dict:
        self.d.get(self.url)
        s = self.settle(0.3)
        errs, warns = self.console()
        if not s or not s.get('found') or s.get('error'):
            self.problems.append('did not render' + (f": {s.get('error')}" if s and s.get('error') else ' (no canvas/svg appeared)'))
            self.problems += [f'console error: {e}' for e in errs]
            try: self.shot('failed')
            except Exception: pass
            return self.result(rendered=False)
        # make the window big enough for a full element screenshot
        self.d.set_window_size(max(s['page_w'] + 40, 800), max(s['page_h'] + 140, 600)); s = self.settle()
        rendered = s['w'] > 0 and s['h'] > 0 and s['colours'] > 1
        if not rendered: self.problems.append(f"chart is empty ({s['tag']} {s['w']:.0f}x{s['h']:.0f}, {s['colours']} colours)")
        self.size = (s['w'], s['h'], s['tag'])
        full_w = s['w']
        if self.column and full_w > self.column:
            self.warnings.append(f"chart is {full_w:.0f} px wide, more than the {self.column} px content column "
                                 "(Quarto's default body-width): on the site it overflows / needs horizontal scrolling")
        self.shot('initial')
        binds = self.d.execute_script(JS_BINDINGS)
        self.lines.append(f"rendered as {s['tag']} {s['w']:.0f}x{s['h']:.0f} px; bindings: " +
                          (', '.join(f"{b['name']!r} ({b['kind']}{', ' + str(b['min']) + '..' + str(b['max']) if b['kind'] == 'range' else ''})" for b in binds) or 'none'))
        self.binds = []
        for b in binds:
            changed, log = self.exercise(b)
            note = ''
            if not changed and b['kind'] == 'range':
                # inert in the initial state: does it come alive once some checkbox is toggled?
                alive = []
                for c in binds:
                    if c['kind'] != 'checkbox': continue
                    self.inputs(c)[0].click(); self.settle()
                    ch2, log2 = self.exercise(b, tag=f"{c['name']}={not c['value']}_")
                    self.restore(c)
                    log += [f"(with {c['name'].strip()!r} toggled) {l}" for l in log2]
                    if ch2: alive.append(c['name'].strip())
                if alive:
                    note = f"does nothing in the initial state; works only once {' / '.join(repr(a) for a in alive)} is toggled"
                    self.warnings.append(f"slider {b['name'].strip()!r} {note}")
                else:
                    note = 'does nothing'; self.problems.append(f"slider {b['name'].strip()!r} does not change the chart")
            elif not changed:
                self.warnings.append(f"{b['kind']} {b['name'].strip()!r} does not change the chart")
                note = 'does nothing'
            self.binds.append(dict(name=b['name'].strip(), kind=b['kind'], changed=changed, note=note))
            self.lines.append(f"{b['kind']} {b['name'].strip()!r}: {'changes the chart' if changed else 'NO CHANGE'}" + (f" ({note})" if note else ''))
            self.lines += ['    ' + l for l in log]
        if not any(b['kind'] == 'range' for b in binds): self.warnings.append('no slider (input[type=range]) found')
        e2, w2 = self.console(); errs += e2; warns += w2
        self.problems += [f'console error: {e}' for e in dict.fromkeys(errs)]
        self.warnings += [f'console warning: {w}' for w in dict.fromkeys(warns)]
        return self.result(rendered=rendered)

    def result(self, rendered):
        return dict(rendered=rendered, problems=self.problems, warnings=self.warnings, shots=self.shots, lines=self.lines,
                    binds=getattr(self, 'binds', []))

# ---------------------------------------------------------------- main

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0], formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog='Setup (not in CI):\n' + INSTALL)
    ap.add_argument('notebooks', nargs='*', help=f"notebooks to check (default: every notebook with a saved chart, which must include {' '.join(DEFAULT_NBS)})")
    ap.add_argument('--vega-dir', required=True, type=Path, help='folder with vega, vega-lite and vega-embed (npm prefix, node_modules, or flat)')
    ap.add_argument('--out', type=Path, default=Path('/tmp/explorer_check'), help='pages and screenshots go here (default: %(default)s)')
    ap.add_argument('--chromium', default=None, help='Chromium binary (default: /usr/bin/chromium, or chromium on PATH)')
    ap.add_argument('--chromedriver', default=None, help='chromedriver binary (default: /usr/bin/chromedriver, or on PATH)')
    ap.add_argument('--width', type=int, default=1400); ap.add_argument('--height', type=int, default=1000)
    ap.add_argument('--timeout', type=float, default=20, help='seconds to wait for a chart to draw (default: %(default)s)')
    ap.add_argument('--column-width', type=int, default=800, help="warn if a chart is wider than this (Quarto's default body-width; 0: off; default: %(default)s)")
    ap.add_argument('--strict', action='store_true', help='console warnings and conditionally live sliders fail too')
    ap.add_argument('-v', '--verbose', action='store_true', help='print every interaction')
    args = ap.parse_args(argv)

    args.chromium = args.chromium or next((p for p in ('/usr/bin/chromium', shutil.which('chromium'), shutil.which('chromium-browser')) if p and Path(p).exists()), None)
    args.chromedriver = args.chromedriver or next((p for p in ('/usr/bin/chromedriver', shutil.which('chromedriver')) if p and Path(p).exists()), None)
    if not args.chromium or not Path(args.chromium).exists() or not args.chromedriver or not Path(args.chromedriver).exists():
        sys.exit(f"check_explorers: Chromium and/or chromedriver not found (chromium={args.chromium}, chromedriver={args.chromedriver}).\n"
                 f"This tool is not part of CI; install them with:\n{INSTALL}")
    if not args.vega_dir.is_dir(): sys.exit(f"check_explorers: --vega-dir {args.vega_dir} does not exist. Install the libraries with:\n{INSTALL}")
    try: libs = find_libs(args.vega_dir)
    except FileNotFoundError as e: sys.exit(f"check_explorers: {e}. Install them with:\n{INSTALL}")

    out = args.out; (out/'_lib').mkdir(parents=True, exist_ok=True)
    for lib, p in libs.items(): shutil.copyfile(p, out/'_lib'/f'{lib}.min.js')
    versions = {lib: lib_version(p) for lib, p in libs.items()}
    print('local libraries: ' + ', '.join(f'{lib} {v or "?"}' for lib, v in versions.items()))

    if args.notebooks: nbs = [Path(n) if Path(n).is_absolute() or Path(n).exists() else REPO/n for n in args.notebooks]
    else:   # every notebook that saved a chart (at least the two explorers)
        nbs = [n for n in sorted((REPO/'nbs').glob('**/*.ipynb')) if '.ipynb_checkpoints' not in n.parts and extract_charts(n)]
        nbs += [REPO/n for n in DEFAULT_NBS if REPO/n not in nbs]
    jobs = []
    for nb in nbs:
        if not nb.exists(): print(f'{nb}: not found'); jobs.append((nb, None)); continue
        charts = extract_charts(nb)
        if not charts: print(f'{nb.name}: FAIL  no saved Vega-Lite chart output (run the notebook with alt.renderers.enable("html") first)')
        jobs.append((nb, charts))
        for c in charts:
            want = re.search(r'/v([\d.]+)\.json', str(c['spec'].get('$schema', '')))
            have = versions.get('vega-lite') if c['mode'] == 'vega-lite' else versions.get('vega')
            if want and have and want.group(1).split('.')[0] != have.split('.')[0]:
                print(f"  warning: {nb.name} cell {c['cell']} wants {c['mode']} {want.group(1)}, local is {have}")

    srv, base = serve(out)
    failed = any(not charts for _, charts in jobs)
    try:
        driver = _launch(args)
        try:
            for nb, charts in jobs:
                for c in charts or []:
                    stem = f"{nb.stem}_c{c['cell']}_o{c['output']}"
                    body = write_page(c, out/f'{stem}.html', f'{nb.name} cell {c["cell"]}')
                    if re.search(r'(src=|"vega[-\w]*":\s*)"https?://', body):
                        print(f'  warning: {stem}: remote script URLs left in the page (this machine may not reach them)')
                    driver.set_window_size(args.width, args.height)
                    r = ChartCheck(driver, f'{base}/{stem}.html', out, stem, args.timeout, args.column_width).run()
                    ranges = [b for b in r['binds'] if b['kind'] == 'range']
                    bad = bool(r['problems']) or (args.strict and bool(r['warnings']))
                    failed |= bad
                    verdict = 'FAIL' if bad else ('PASS (with warnings)' if r['warnings'] else 'PASS')
                    print(f"{nb.name} cell {c['cell']} ({c['source']}): {verdict}  rendered={'yes' if r['rendered'] else 'no'}  "
                          f"sliders change chart={', '.join(('yes' if b['changed'] else 'no') + ' (' + b['name'] + ')' for b in ranges) or 'n/a'}  "
                          f"screenshots={out}/{stem}_*.png")
                    for l in r['lines'] if args.verbose else r['lines'][:1]: print('    ' + l)
                    one = lambda t: re.sub(r'\s+', ' ', re.sub(r'<br\s*/?>', ' ', t))[:400]
                    for p in r['problems']: print('    problem: ' + one(p))
                    for w in r['warnings']: print('    warning: ' + one(w))
        finally: driver.quit()
    finally: srv.shutdown()
    return 1 if failed else 0

if __name__ == '__main__': sys.exit(main())
