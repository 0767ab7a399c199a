"""Rendering and writing maps: offline assets, layer registry, legends, reproducible and
atomic output, fragments, and escaping of hostile strings."""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path

import pytest
from layers.frames import HOSTILE, demo_layers, events_layer, layer, map_spec, row
from layers.payload import finish, layers, popup_texts

import geo.atomic
import geo.render as render
from geo import basemap
from geo.errors import OutputError
from geo.models import View
from geo.render import render_map, to_html, write_html


def build(tmp_path: Path, name: str = "map.html", **kw) -> str:
    m = render_map(map_spec(), demo_layers() + [events_layer(300)])
    return write_html(m, tmp_path / name, **kw).read_text(encoding="utf-8")


def test_every_layer_is_in_the_page_with_its_features(tmp_path):
    html = build(tmp_path)
    found = layers(html)
    assert list(found) == [
        "MSS personnel",
        "Deployment flows",
        "Killed",
        "Displaced",
        "Provinces",
        "Events",
    ]
    assert [len(found[n]["feats"]) for n in list(found)[:5]] == [2, 1, 2, 1, 3]
    assert found["Events"]["n"] == 300
    assert html.count("geo.finish(") == 1


def test_popups_have_thousands_separators_and_sources(tmp_path):
    found = layers(build(tmp_path))
    killed = popup_texts(found["Killed"])[0]
    assert "Killed: more than 3,600" in killed and "Source: UN via seed article" in killed
    assert "Personnel: 800" in popup_texts(found["MSS personnel"])[0]


def test_one_legend_per_layer(tmp_path):
    found = layers(build(tmp_path))
    for name, cfg in found.items():
        assert cfg["legend"]["title"] == name and cfg["legend"]["items"], name


def test_title_footer_periods_bounds_and_basemap(tmp_path):
    fin = finish(build(tmp_path))
    assert fin["title"] == "Haiti: MSS deployment and gang violence"
    assert fin["sources"] == [
        "ACLED",
        "Seed article",
        "Test source",
        "UCDP",
        "UN",
        "UN via seed article",
    ]
    # labels of every layer, by first date; dated events without periods step by month
    assert fin["periods"] == ["2023", "2024-01", "2024-02", "2024"]
    (south, west), (north, east) = fin["bounds"]
    assert south < -1.2 and north > 19 and west < -72 and east > 36  # Nairobi to Haiti
    assert fin["view"] is None
    base = fin["base"]
    assert base["land"] and base["borders"] and base["towns"]
    assert "Port-au-Prince" in {t[2] for t in base["towns"]}


def test_view_overrides_fit(tmp_path):
    m = render_map(map_spec(view=View(18.5, -72.3, 9)), demo_layers())
    assert finish(to_html(m))["view"] == [18.5, -72.3, 9]


def test_a_missing_basemap_theme_degrades_with_a_warning(tmp_path, monkeypatch, caplog):
    monkeypatch.setattr(basemap, "data_dir", lambda: tmp_path)
    basemap.theme.cache_clear()
    basemap._world_theme.cache_clear()
    try:
        with caplog.at_level(logging.WARNING, logger="geo"):
            fin = finish(to_html(render_map(map_spec(), demo_layers()[:1])))
    finally:
        basemap.theme.cache_clear()
        basemap._world_theme.cache_clear()
    assert fin["base"]["land"] == [] and "land unavailable" in caplog.text
    assert fin["base"]["towns"]  # the gazetteer's towns are still labelled


def test_a_damaged_basemap_theme_is_named_and_skipped(tmp_path, monkeypatch, caplog):
    (tmp_path / "lakes.geojson.gz").write_bytes(b"not gzip")
    monkeypatch.setattr(basemap, "data_dir", lambda: tmp_path)
    basemap.theme.cache_clear()
    basemap._world_theme.cache_clear()
    try:
        with caplog.at_level(logging.WARNING, logger="geo"):
            fin = finish(to_html(render_map(map_spec(), demo_layers()[:1])))
    finally:
        basemap.theme.cache_clear()
        basemap._world_theme.cache_clear()
    assert fin["base"]["lakes"] == [] and "lakes unavailable" in caplog.text


def test_the_basemap_is_detailed_near_the_data_and_coarse_far_away():
    near = basemap.context([[18.4, -72.5], [18.7, -72.2]], [(18.54, -72.34)])
    wide = basemap.context([[-1.3, -72.5], [18.7, 36.8]], [(18.54, -72.34), (-1.29, 36.82)])
    assert near is not None and wide is not None
    # the Haiti map: every point of its land inside the extent has the file's ~100 m grid
    haiti = [ring for poly in near["land"] for ring in poly]
    assert max(len(r) for r in haiti) > 200
    # far from the data the wide map is coarse: few digits
    digits = {len(str(pt[0]).split(".")[-1]) for poly in wide["land"] for r in poly for pt in r}
    assert 1 in digits and 3 in digits


def test_offline_by_default_no_external_assets(tmp_path):
    html = build(tmp_path)
    assert not re.search(r"<script[^>]+src=[\"']https?://", html)
    assert not re.search(r"<link[^>]+href=[\"']https?://", html)
    for gone in ("jquery", "bootstrap", "awesome-markers", "fontawesome", "glyphicons"):
        assert gone not in html.lower()
    assert "L.version" in html and "geo.layer" in html  # Leaflet and runtime inlined


def test_cdn_keeps_links_and_is_smaller(tmp_path):
    offline = build(tmp_path)
    cdn = build(tmp_path, "cdn.html", cdn=True)
    assert re.search(r"<script[^>]+src=[\"']https://[^\"']*leaflet\.js", cdn)
    assert len(cdn) < len(offline) - 100_000


def test_rebuild_is_byte_identical(tmp_path):
    a = build(tmp_path, "a.html")
    b = build(tmp_path, "b.html")
    assert a == b
    assert (tmp_path / "a.html").read_bytes() == (tmp_path / "b.html").read_bytes()


def test_changed_figures_change_only_the_figures_and_ids(tmp_path):
    m1 = render_map(map_spec(), [layer("L", "deployment", [row("A", 1, 1, 800)])])
    m2 = render_map(map_spec(), [layer("L", "deployment", [row("A", 1, 1, 900)])])
    h1, h2 = to_html(m1), to_html(m2)
    assert h1 != h2
    ids1 = set(re.findall(r"map_(\w+)", h1))
    ids2 = set(re.findall(r"map_(\w+)", h2))
    assert ids1.isdisjoint(ids2)


def test_atomic_write_keeps_old_map_when_rendering_fails(tmp_path, monkeypatch):
    out = tmp_path / "map.html"
    out.write_text("old map", encoding="utf-8")
    m = render_map(map_spec(), demo_layers())

    def broken(*args, **kwargs):
        raise RuntimeError("render failed")

    monkeypatch.setattr(render, "_fragment", broken)
    with pytest.raises(RuntimeError):
        write_html(m, out, fragment=True)
    assert out.read_text(encoding="utf-8") == "old map"
    assert sorted(os.listdir(tmp_path)) == ["map.html"]


def test_atomic_write_keeps_old_map_when_the_move_fails(tmp_path, monkeypatch):
    out = tmp_path / "map.html"
    out.write_text("old map", encoding="utf-8")
    m = render_map(map_spec(), demo_layers())

    def refuse(src, dst):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(geo.atomic.os, "replace", refuse)
    with pytest.raises(OutputError, match="cannot write the map"):
        write_html(m, out)
    assert out.read_text(encoding="utf-8") == "old map"
    assert sorted(os.listdir(tmp_path)) == ["map.html"]


def test_unwritable_destination_is_an_output_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(OutputError, match="cannot write"):
        write_html(render_map(map_spec(), demo_layers()[:1]), blocker / "map.html")


def test_two_fragments_in_one_page_do_not_clash(tmp_path):
    m1 = render_map(map_spec("Haiti"), demo_layers()[:2])
    m2 = render_map(map_spec("DRC"), demo_layers()[2:])
    f1 = write_html(m1, tmp_path / "a.html", fragment=True).read_text()
    f2 = write_html(m2, tmp_path / "b.html", fragment=True).read_text()
    assert "<html" not in f1 and f1.lstrip().startswith('<div class="geo-fragment"')
    ids = re.findall(r'\bid="([^"]+)"', f1 + f2)
    assert len(ids) == len(set(ids)) >= 4
    assert "html, body" not in f1  # a fragment must not restyle the host page
    again = write_html(
        render_map(map_spec("Haiti"), demo_layers()[:2]), tmp_path / "c.html", fragment=True
    ).read_text()
    assert again == f1


def test_write_refuses_foreign_maps(tmp_path):
    import folium

    with pytest.raises(OutputError, match="render_map"):
        write_html(folium.Map(), tmp_path / "x.html")


@pytest.mark.parametrize("bad", HOSTILE)
def test_hostile_strings_are_escaped_everywhere(tmp_path, bad):
    data = [
        layer(
            bad,
            "deployment",
            [
                row(
                    bad,
                    1,
                    1,
                    5,
                    group=bad,
                    sources=bad,
                    query=bad,
                    period=bad,
                    actor=bad,
                    details={bad: bad},
                    qualifier=bad,
                ),
            ],
            popup=("actor",),
        ),
        events_layer(20, name=bad + " events"),
    ]
    m = render_map(map_spec(bad, description=bad), data)
    for kw in ({}, {"fragment": True}, {"cdn": True}):
        html = write_html(m, tmp_path / "h.html", **kw).read_text(encoding="utf-8")
        assert "<img src=x" not in html
        assert "</script><script>alert" not in html
        assert "<script>alert" not in html
        # the quote-breaking string only ever appears inside JSON, its quote escaped
        assert not re.search(r"(?<!\\)\"'\);alert", html)
    found = layers(html)
    assert bad in found and bad + " events" in found  # intact as data, not as markup
    assert finish(html)["title"] == bad


def test_fragment_script_claims_its_container_and_css_ignores_ids(tmp_path):
    m = render_map(map_spec("Haiti"), demo_layers()[:2])
    frag = write_html(m, tmp_path / "f.html", fragment=True).read_text(encoding="utf-8")
    name = m.get_name()
    # the same snippet pasted twice: the runtime renames the second copy, so nothing
    # else may address the container by its id
    assert f'geo.claim("geo-{m._id}", "{name}")' in frag
    assert f'L.map(\n                "{name}"' not in frag and "L.map(\n" in frag
    assert f"#{name}" not in frag
    assert layers(frag) and finish(frag)["title"] == "Haiti"


def test_notebook_view_draws_offline():
    m = render_map(map_spec(), demo_layers()[:1])
    cell = m._repr_html_()
    assert cell.startswith("<") and "srcdoc=" in cell
    assert render.LEAFLET_CDN not in cell
    assert "L.version" in cell and "geo.layer" in cell
    to_html(m, cdn=True)  # one linked render does not change the notebook view
    assert render.LEAFLET_CDN not in m._repr_html_()


@pytest.mark.parametrize("bad", ["{{ 7*7 }}", "{% raw %}", "{{ ''.__class__ }}", "{# x"])
def test_template_syntax_in_data_is_text_not_jinja(tmp_path, bad):
    """Regression: folium wrapped each rendered call in a new Jinja template, so a cell
    holding ``{{ 7*7 }}`` printed 49 and ``{% raw %}`` broke the build."""
    data = [
        layer(bad, "deployment", [row(bad, 1, 1, 5, group=bad, sources=bad)]),
        events_layer(20, name=bad + " events"),
    ]
    m = render_map(map_spec(bad, description=bad), data)
    for kw in ({}, {"fragment": True}):
        html = write_html(m, tmp_path / "t.html", **kw).read_text(encoding="utf-8")
        found = layers(html)
        assert list(found) == [bad, bad + " events"]
        assert popup_texts(found[bad])[0].startswith(bad)
        assert finish(html)["description"] == bad


def test_the_first_view_fits_the_shown_layers_only():
    shown = layer("Haiti", "casualties", [row("Port-au-Prince", 18.54, -72.34, 10)])
    hidden = layer(
        "Far away", "casualties", [row("Nairobi", -1.29, 36.82, 5, country="KEN")], show=False
    )
    fin = finish(to_html(render_map(map_spec(), [shown, hidden])))
    (south, west), (north, east) = fin["bounds"]
    assert west > -73 and east < -72  # the hidden Nairobi layer does not pull the view east
    # the basemap still covers the hidden layer, for when the reader turns it on
    (bs, bw), (bn, be) = fin["base"]["extent"]
    assert be > 36.8
