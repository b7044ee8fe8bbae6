"""The site check fails where a visitor would see a defect: a chart that does not render, a missing figure, a page
wider than the window, a broken link, and passes a page with all of them right. Needs Chromium (skipped without it)."""
import base64, io, os, sys
from pathlib import Path
import pytest

ROOT = Path(__file__).parents[1]
sys.path.insert(0, str(ROOT / 'tools'))
import check_site, preview   # noqa: E402

pytestmark = pytest.mark.skipif(check_site.browser_available() is not None,
                                reason=f"no browser here ({check_site.browser_available()}): {check_site.INSTALL}")


def png() -> str:
    import matplotlib; matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(figsize=(2, 1.5)); ax.plot([0, 1], [1, 0]); buf = io.BytesIO(); fig.savefig(buf, format='png'); plt.close(fig)
    return base64.b64encode(buf.getvalue()).decode()


def chart_html(broken=False) -> str:
    import altair as alt, pandas as pd
    c = alt.Chart(pd.DataFrame({'x': [1, 2, 3], 'y': [3, 1, 2]})).mark_point().encode(x='x', y='y')
    html = c._repr_mimebundle_()[0]['text/html'] if isinstance(c._repr_mimebundle_(), tuple) else c._repr_mimebundle_()['text/html']
    return html.replace('"type": "point"', '"type": "no-such-mark"') if broken else html


def nb(*cells) -> dict:
    out = []
    for kind, src, outputs in cells:
        c = dict(cell_type=kind, metadata={}, source=src)
        if kind == 'code': c.update(outputs=outputs, execution_count=1)
        out.append(c)
    return dict(cells=out, metadata={}, nbformat=4, nbformat_minor=5)


@pytest.fixture(scope='module')
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp('site')
    cached = ROOT / '_site_preview' / '_vendor'
    if cached.is_dir(): os.symlink(cached, out / '_vendor')
    else: preview.vendor(out, quiet=True)
    img = {'output_type': 'display_data', 'data': {'image/png': png(), 'text/plain': 'fig'}, 'metadata': {}}
    chart = lambda broken: {'output_type': 'display_data', 'data': {'text/html': chart_html(broken), 'text/plain': 'chart'}, 'metadata': {}}
    pages = {
        'index.html': nb(('markdown', 'The home page.', None)),
        'good.html': nb(('markdown', 'Math $x^2 + 1$ and a [link](/other.html#a-section).', None), ('code', 'plot()', [img]), ('code', 'chart', [chart(False)])),
        'other.html': nb(('markdown', '## A section\n\nText.', None)),
        'broken_chart.html': nb(('code', 'chart', [chart(True)])),
        'missing_figure.html': nb(('markdown', 'A figure: <img src="/no-such-figure.png" width="100">', None), ('code', 'plot()', [img])),
        'overflow.html': nb(('markdown', '<div style="width: 3000px; height: 10px; background: red"></div>', None)),
        'broken_link.html': nb(('markdown', 'See [nothing](/nothing.html) and [no section](/other.html#no-such-section).', None)),
    }
    entries = [(None, p, p) for p in pages]
    manifest = [preview.write_page(n, {'title': p}, p, entries, out) for p, n in pages.items()]
    return out, manifest


def test_check_site(site):
    out, manifest = site
    res = check_site.check_site(out, manifest, shots=False, verbose=True)
    assert res['good.html'] == [] and res['other.html'] == [], res
    assert any('chart' in p for p in res['broken_chart.html']), res['broken_chart.html']
    assert any('figure' in p and 'not shown' in p for p in res['missing_figure.html']), res['missing_figure.html']
    assert any('horizontal overflow' in p for p in res['overflow.html']), res['overflow.html']
    bad = res['broken_link.html']
    assert any('/nothing.html: no such page' in p for p in bad) and any('no-such-section' in p for p in bad), bad


def test_front_matter_reads_yaml_as_quarto_does():
    "nbdev-proc-nbs folds a long description with escaped line breaks and writes non-ASCII as \\uXXXX: the preview must read the value Quarto reads."
    raw = ('---\ndescription: "A primary task at single-task\\\n  \\ inference cost: the auxiliary\\u2192primary edges."\n'
           'output-file: aux_nas.html\ntitle: Aux-NAS\n\n---\n')
    fm = preview.front_matter({'cells': [{'cell_type': 'raw', 'source': raw}]})
    assert fm == {'description': 'A primary task at single-task inference cost: the auxiliary→primary edges.',
                  'output-file': 'aux_nas.html', 'title': 'Aux-NAS'}
    assert preview.front_matter({'cells': [{'cell_type': 'markdown', 'source': '# x'}]}) == {}
