"""What a layer leaves off the map, and the sources footer, as a reader sees them."""

from __future__ import annotations

from pathlib import Path

from geo.builder import build
from tests.place_fakes import FakeGeocoder


def _map(tmp_path: Path) -> Path:
    rows = "place,killed,source\n"
    rows += "".join(f"Nowhere{i},{10 * (i + 1)},Paper {i}\n" for i in range(3))
    rows += "".join(f"Nairobi,5,<b>Radio {i}</b>\n" for i in range(6))
    (tmp_path / "f.csv").write_text(rows, encoding="utf-8")
    spec = tmp_path / "map.toml"
    spec.write_text(
        'title = "Notes"\n[[layers]]\nname = "Killed"\nkind = "casualties"\n'
        'data = "f.csv"\nplace = "place"\nvalue = "killed"\n',
        encoding="utf-8",
    )
    return build(spec, tmp_path / "map.html", geocoder=FakeGeocoder()).html


def test_unmapped_rows_and_few_sources_are_in_the_footer(reader, tmp_path: Path) -> None:
    page = reader.open(_map(tmp_path)).page
    notes = page.locator(".geo-footer .geo-notes").all_inner_texts()
    # 3 rows unresolved carrying 10 + 20 + 30 = 60 of the 90 killed
    assert notes == ["Killed: 3 rows (60 killed, 67%) not mapped: place not found"]
    sources = page.locator(".geo-footer .geo-sources").inner_text()
    assert sources == "Sources: <b>Radio 0</b>; <b>Radio 1</b>; <b>Radio 2</b>"
    more = page.locator(".geo-footer details.geo-more")
    assert more.locator("summary").inner_text() == "and 3 more sources"
    assert not more.locator("div").is_visible()
    more.locator("summary").click()
    assert more.locator("div").inner_text() == "<b>Radio 3</b>; <b>Radio 4</b>; <b>Radio 5</b>"
    assert not reader.errors
