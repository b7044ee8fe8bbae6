#!/usr/bin/env python3
"""Open every page of the offline site preview in headless Chromium and check what a visitor sees: `make check-site`.

For each page of `_site_preview/` (built by `tools/preview.py`; its `manifest.json` says what each notebook
saved), served on 127.0.0.1 to a 1280-px-wide window:

* it loads without console errors (uncaught exceptions, failed requests, `console.error`);
* every figure is visible: each `<img>` has loaded (natural size > 0) and has a non-zero box, and there are
  as many as the notebook saved;
* every math block rendered: MathJax typeset every `$…$` it found, with no MathJax error;
* every Vega-Lite chart rendered (an SVG or canvas of non-zero size in each `.vega-embed`), as many as saved;
  the charts' controls are exercised one by one by `tools/check_explorers.py` (run it with `--controls`);
* nothing overflows horizontally: the page is no wider than the window, no content is clipped, and no prose
  scrolls sideways (a wide table in an output may scroll, as on the Quarto site);
* every internal link resolves: the page exists, and its `#fragment` names an element of it, exactly (the preview
  gives headings Quarto's identifiers).

A screenshot of each page's first screen goes to `_site_preview/shots/`. One line per page; the exit status is
non-zero when any page fails. Needs Chromium, chromedriver and selenium; on Debian:
`apt-get install -y chromium chromium-driver` and `pip install selenium`.
"""
from __future__ import annotations
import argparse, html.parser, json, shutil, sys, time
from pathlib import Path
from urllib.parse import urlsplit, unquote

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).parent))
from check_explorers import serve, _launch   # the same quiet local HTTP server and browser options

CHROMIUM = ('chromium', 'chromium-browser', 'google-chrome')
INSTALL = "apt-get install -y chromium chromium-driver && pip install selenium"


def browser_available() -> str|None:
    "None when Chromium, chromedriver and selenium are all present, else what is missing."
    miss = []
    if not any(shutil.which(c) for c in CHROMIUM): miss.append('chromium')
    if not shutil.which('chromedriver'): miss.append('chromedriver')
    try: import selenium   # noqa: F401
    except ImportError: miss.append('selenium (Python)')
    return ', '.join(miss) or None


def launch(width:int=1280, height:int=900):
    "Headless Chromium through selenium, with the options `check_explorers` uses."
    from types import SimpleNamespace
    return _launch(SimpleNamespace(chromium=next(shutil.which(c) for c in CHROMIUM if shutil.which(c)), chromedriver=shutil.which('chromedriver'),
                                   width=width, height=height))


# ---------------------------------------------------------------- links (no browser needed)

class _Links(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(); self.hrefs, self.ids = [], set()
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get('id'): self.ids.add(a['id'])
        if tag == 'a' and a.get('name'): self.ids.add(a['name'])
        if tag == 'a' and a.get('href'): self.hrefs.append(a['href'])


def check_links(site:Path, pages:list[str]) -> tuple[dict[str, list[str]], dict[str, int]]:
    """Per page, its internal links that point at a missing page or at a fragment the target page lacks; and per page the number
    of show_doc source links (`/blob/<branch>/...`), which point at GitHub only once pyproject's [tool.nbdev] names the repository."""
    parsed = {}
    def parse(p:Path):
        if p not in parsed:
            q = _Links(); q.feed(p.read_text(errors='replace')); parsed[p] = q
        return parsed[p]
    out, source = {}, {}
    for page in pages:
        src = site/page; bad = []
        for href in parse(src).hrefs:
            u = urlsplit(href)
            if u.scheme or u.netloc or href.startswith(('mailto:', 'javascript:', 'data:')): continue
            if u.path.startswith('/blob/'): source[page] = source.get(page, 0) + 1; continue
            target = src if not u.path else ((site/u.path.lstrip('/')) if u.path.startswith('/') else (src.parent/u.path))
            target = target.resolve()
            if target.is_dir(): target = target/'index.html'
            if not target.is_file(): bad.append(f"{href}: no such page"); continue
            if u.fragment and target.suffix == '.html' and unquote(u.fragment) not in parse(target).ids:
                bad.append(f"{href}: no element #{u.fragment} in {target.relative_to(site.resolve())}")
        out[page] = sorted(set(bad))
    return out, source


# ---------------------------------------------------------------- one page in the browser

JS_PAGE = """
const main = document.getElementById('site-main') || document.body;
const imgs = Array.from(main.querySelectorAll('img')).map(i => { const r = i.getBoundingClientRect();
  return {src: (i.getAttribute('src') || '').slice(0, 60), ok: i.complete && i.naturalWidth > 0 && r.width > 0 && r.height > 0}; });
const charts = Array.from(main.querySelectorAll('.vega-embed')).map(e => {
  const g = e.querySelector('canvas, svg.marks'); const r = g ? g.getBoundingClientRect() : {width: 0, height: 0};
  const err = e.parentElement && e.parentElement.querySelector('.error');
  return {ok: !!g && r.width > 0 && r.height > 0, error: err ? err.innerText.slice(0, 200) : null}; });
const mj = window.MathJax && window.MathJax.Hub;
// content wider than its column: clipped (overflow hidden), or prose that scrolls sideways (a wide table in an output may scroll)
const wide = Array.from(main.querySelectorAll('*')).filter(e => e.clientWidth > 0 && e.scrollWidth > e.clientWidth + 1)
  .filter(e => { const o = getComputedStyle(e).overflowX; return o === 'hidden' || o === 'clip' || e.classList.contains('jp-RenderedMarkdown'); })
  .filter(e => !e.closest('.MathJax_CHTML, .MathJax_Display, .vega-embed'))
  .map(e => e.tagName.toLowerCase() + '.' + (e.className || '').toString().split(' ')[0] + ' ' + e.scrollWidth + '>' + e.clientWidth + ' px');
return {ready: document.readyState, imgs: imgs, charts: charts,
        math_src: document.querySelectorAll('script[type^="math/tex"]').length,
        math_done: document.querySelectorAll('.MathJax_CHTML').length,
        math_err: document.querySelectorAll('.MathJax_Error, .MathJax_CHTML merror, .mjx-merror').length,
        mathjax: !!mj, mj_done: !!window.__mj_done,
        width: document.documentElement.scrollWidth, inner: window.innerWidth, wide: wide,
        errors: window.__errors || []};
"""

MJ_MARK = ("if (window.MathJax && MathJax.Hub && MathJax.Hub.Queue && !window.__mj_queued) "
           "{ window.__mj_queued = true; MathJax.Hub.Queue(() => { window.__mj_done = true; }); }")

def check_page(driver, url:str, expect:dict, shot:Path|None=None, timeout:float=30.) -> tuple[list[str], dict]:
    "Problems of one page (empty: it passes) and what was measured."
    driver.get(url)
    t0, s = time.time(), None
    while time.time() - t0 < timeout:
        # MathJax loads asynchronously: queue the "done" marker as soon as its Hub exists (once per page);
        # a marker queued after typesetting has finished runs at once
        driver.execute_script(MJ_MARK)
        s = driver.execute_script(JS_PAGE)
        charts_ok = len(s['charts']) >= expect.get('charts', 0) and all(c['ok'] or c['error'] for c in s['charts'])
        imgs_ok = all(i['ok'] for i in s['imgs'])
        math_ok = not s['mathjax'] or s['mj_done']
        if s['ready'] == 'complete' and charts_ok and imgs_ok and math_ok: break
        time.sleep(0.25)
    s = driver.execute_script(JS_PAGE)
    probs = []
    errs = list(s['errors'])
    try:
        for e in driver.get_log('browser'):
            if e.get('level') == 'SEVERE' and not any(x in e.get('message', '') for x in errs): errs.append(e.get('message', ''))
    except Exception: pass
    errs = [e for e in errs if 'favicon.ico' not in e]
    if errs: probs.append(f"{len(errs)} console error(s): {errs[0][:200]}")
    broken = [i['src'] for i in s['imgs'] if not i['ok']]
    if broken: probs.append(f"{len(broken)} figure(s) not shown: {broken[0]}")
    if len(s['imgs']) < expect.get('images', 0): probs.append(f"{len(s['imgs'])} figure(s) on the page, the notebook saved {expect['images']}")
    bad_charts = [c for c in s['charts'] if not c['ok']]
    if bad_charts: probs.append(f"{len(bad_charts)} chart(s) not rendered" + (f": {bad_charts[0]['error']}" if bad_charts[0]['error'] else ''))
    if len(s['charts']) < expect.get('charts', 0): probs.append(f"{len(s['charts'])} chart(s) on the page, the notebook saved {expect['charts']}")
    if expect.get('math'):
        if not s['mathjax']: probs.append("the page has math but MathJax did not load")
        elif s['math_src'] == 0: probs.append("the page has math but MathJax found none")
        elif s['math_done'] < s['math_src'] or not s['mj_done']: probs.append(f"MathJax typeset {s['math_done']} of {s['math_src']} math blocks")
    if s['math_err']: probs.append(f"{s['math_err']} math block(s) with a MathJax error")
    if s['width'] > s['inner'] + 1: probs.append(f"the page is {s['width']} px wide in a {s['inner']} px window (horizontal overflow)")
    if s['wide']: probs.append(f"{len(s['wide'])} block(s) wider than their column (horizontal overflow): {s['wide'][0]}")
    if shot is not None:
        shot.parent.mkdir(parents=True, exist_ok=True); driver.save_screenshot(str(shot))
    return probs, s


def check_site(site:Path, pages:list[dict]|None=None, shots:bool=True, verbose:bool=True) -> dict[str, list[str]]:
    "Check every page of `site` (the preview's manifest, or `pages`); returns page -> problems."
    site = Path(site)
    pages = pages if pages is not None else json.loads((site/'manifest.json').read_text())
    links, source = check_links(site, [p['page'] for p in pages])
    srv, base = serve(site)
    driver = launch()
    out = {}
    try:
        for p in pages:
            shot = site/'shots'/(p['page'].replace('/', '__').replace('.html', '.png')) if shots else None
            probs, s = check_page(driver, f"{base}/{p['page']}", p, shot)
            probs += [f"broken link {b}" for b in links.get(p['page'], [])]
            out[p['page']] = probs
            if verbose:
                what = f"{len(s['imgs'])} figures, {len(s['charts'])} charts, {s['math_done']} math"
                print(f"{'ok  ' if not probs else 'FAIL'} {p['page']:28s} {what}" + ''.join(f"\n       - {x}" for x in probs), flush=True)
    finally:
        driver.quit(); srv.shutdown()
    if source and verbose:
        print(f"note: {sum(source.values())} show_doc source links on {len(source)} pages are site-relative (/blob/main/...): they reach GitHub "
              "once [tool.nbdev] in pyproject.toml names the repository (user, repo)", flush=True)
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--site', default=str(REPO/'_site_preview'), help="the preview folder (default: _site_preview/, from `make preview`)")
    ap.add_argument('--no-shots', action='store_true', help="skip the screenshots")
    a = ap.parse_args(argv)
    miss = browser_available()
    if miss: sys.exit(f"check_site: {miss} not found; install with: {INSTALL}")
    if not (Path(a.site)/'manifest.json').is_file(): sys.exit(f"check_site: no preview in {a.site}: run `make preview` first")
    res = check_site(Path(a.site), shots=not a.no_shots)
    bad = [p for p, v in res.items() if v]
    print(f"\n{len(res) - len(bad)} of {len(res)} pages pass" + (f"; failing: {', '.join(bad)}" if bad else '') +
          ("" if a.no_shots else f"; screenshots in {Path(a.site)/'shots'}"))
    sys.exit(1 if bad else 0)


if __name__ == '__main__': main()
