"""Real exports as published (geo/presets, geo/dates.py, geo/reshape.py, geo/latest.py,
geo/notes.py): small rows written here in the datasets' formats, never copied data."""

from __future__ import annotations

import csv
import logging
from pathlib import Path

import pytest
from click.testing import CliRunner

from geo.builder import build
from geo.cli import cli
from geo.errors import InputError, SpecError
from tests.place_fakes import FakeGeocoder

ACLED_HEAD = (
    "event_id_cnty,event_date,year,event_type,sub_event_type,actor1,actor2,country,iso3,"
    "admin1,admin2,location,latitude,longitude,geo_precision,fatalities,source,notes\n"
)
GED_HEAD = (
    "id,year,type_of_violence,conflict_name,side_a,side_b,where_prec,where_coordinates,"
    "adm_1,latitude,longitude,country,date_start,best,low,high,source_office\n"
)
PKO_HEAD = (
    "Source,Mission,year,month,location,country,latitude,longitude,No.troops,No.TCC,"
    "name.of.TCC1,No.troops.per.TCC1,name.of.TCC2,No.troops.per.TCC2,HQ\n"
)


def _spec(tmp_path: Path, data: str, rows: str, layer: str, title: str = "T") -> Path:
    (tmp_path / data).write_text(rows, encoding="utf-8")
    spec = tmp_path / "map.toml"
    spec.write_text(
        f'title = "{title}"\n[[layers]]\nname = "L"\ndata = "{data}"\n{layer}\n',
        encoding="utf-8",
    )
    return spec


def _acled(day: str, n: int = 1, fatalities: int = 2) -> str:
    return (
        f"XYZ{n},{day},2021,Battles,Armed clash,Military Forces of X,Rebels,Kenya,KEN,"
        f"Nairobi,Starehe,Nairobi,-1.28,36.82,1,{fatalities},Daily Paper,Clash\n"
    )


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ("16-Feb-21", "2021-02-16"),  # ACLED's short form
        ("14/08/2020 00:00:00", "2020-08-14"),  # ACLED's day-first date-time
        ("03/04/2020 00:00:00", "2020-04-03"),  # day first by the preset, not guessed
        ("16 October 2006", "2006-10-16"),
    ],
)
def test_acled_dates_as_acled_writes_them(tmp_path: Path, day: str, expected: str) -> None:
    spec = _spec(tmp_path, "acled.csv", ACLED_HEAD + _acled(day), 'preset = "acled"')
    (layer,) = build(spec, tmp_path / "m.html").layers
    assert layer.frame["date"].dt.strftime("%Y-%m-%d").tolist() == [expected]
    assert layer.spec.kind == "events" and layer.frame["value"].tolist() == [2.0]


def _ged(n: int, date: str, best: int = 3, low: int = 2, high: int = 4, country: str = "Kenya"):
    return (
        f"{n},2014,1,Kenya: Government,Government of Kenya,Rebels,1,Nairobi town,Nairobi "
        f"province,-1.28,36.82,{country},{date},{best},{low},{high},Daily Paper\n"
    )


def test_ucdp_us_dates_with_am_pm(tmp_path: Path) -> None:
    rows = GED_HEAD + _ged(1, "1/27/2014 12:00:00 AM") + _ged(2, "2/5/2014 ")
    spec = _spec(tmp_path, "ged.csv", rows, 'preset = "ucdp"')
    (layer,) = build(spec, tmp_path / "m.html").layers
    assert layer.frame["period"].tolist() == ["2014-01-27", "2014-02-05"]


def test_date_format_key_and_ambiguous_dates_name_the_fix(tmp_path: Path) -> None:
    rows = "place,killed,when\nNairobi,3,05/02/2014\n"
    layer = 'kind = "casualties"\nplace = "place"\nvalue = "killed"\ndate = "when"'
    with pytest.raises(InputError) as err:
        build(_spec(tmp_path, "f.csv", rows, layer), tmp_path / "m.html", geocoder=FakeGeocoder())
    assert "f.csv row 2, column when: '05/02/2014' is ambiguous" in str(err.value)
    assert 'date_order = "dmy"' in str(err.value) and 'date_format = "%d/%m/%Y"' in str(err.value)
    spec = _spec(tmp_path, "f.csv", rows, layer + '\ndate_format = "%m/%d/%Y"')
    (out,) = build(spec, tmp_path / "m.html", geocoder=FakeGeocoder()).layers
    assert out.frame["period"].tolist() == ["2014-05-02"]


def test_date_made_of_year_and_month_columns(tmp_path: Path) -> None:
    rows = "place,troops,year,month\nNairobi,10,2018,3\nNairobi,12,2018,11\n"
    layer = 'kind = "deployment"\nplace = "place"\nvalue = "troops"\ndate = ["year", "month"]'
    spec = _spec(tmp_path, "f.csv", rows, layer)
    (out,) = build(spec, tmp_path / "m.html", geocoder=FakeGeocoder()).layers
    assert out.frame["period"].tolist() == ["2018-03", "2018-11"]


def test_skip_mode_counts_lists_and_drops_nothing_silently(tmp_path: Path) -> None:
    rows = GED_HEAD + _ged(1, "2014-01-02") + _ged(2, "2014-01-03", best=1, low=5, high=6)
    rows += _ged(3, "2014-01-04", best=9, low=1, high=2)
    spec = _spec(tmp_path, "ged.csv", rows, 'preset = "ucdp"')
    with pytest.raises(InputError) as err:
        build(spec, tmp_path / "m.html")
    assert "ged.csv row 3, columns low/best" in str(err.value)
    assert 'on_bad_rows = "skip"' in str(err.value) and "--skip-bad-rows" in str(err.value)
    result = build(spec, tmp_path / "m.html", skip_bad_rows=True)
    (layer,) = result.layers
    assert len(layer.frame) == 1 and layer.frame.attrs["input_rows"] == 3
    assert [b[0] for b in layer.frame.attrs["bad_rows"]] == [3, 4]
    summary = result.summary()
    assert "2 bad rows of ged.csv skipped in layer 'L'" in summary
    assert "column low/best: low is above best (row 3); column best/high" in summary
    listed = list(csv.DictReader(result.notes.open(encoding="utf-8")))
    assert [(r["row"], r["why"]) for r in listed] == [
        ("3", "low is above best"),
        ("4", "best is above high"),
    ]
    html = result.html.read_text(encoding="utf-8")
    assert "2 bad rows skipped" in html


def test_skip_bad_rows_cli_flag(tmp_path: Path) -> None:
    rows = GED_HEAD + _ged(1, "2014-01-02") + _ged(2, "2014-01-03", best=1, low=5, high=6)
    spec = _spec(tmp_path, "ged.csv", rows, 'preset = "ucdp"')
    out = tmp_path / "m.html"
    result = CliRunner().invoke(cli, ["build", str(spec), "-o", str(out), "--skip-bad-rows"])
    assert result.exit_code == 0, result.output
    assert "1 bad row of ged.csv skipped" in result.output


def test_missing_words_read_as_empty(tmp_path: Path) -> None:
    rows = "place,troops\nNairobi,unknown\nKenya,N/A\n"
    layer = 'kind = "deployment"\nplace = "place"\nvalue = "troops"'
    (out,) = build(
        _spec(tmp_path, "f.csv", rows, layer), tmp_path / "m.html", geocoder=FakeGeocoder()
    ).layers
    assert out.frame["value"].isna().all() and len(out.frame) == 2  # present, no count
    strict = _spec(tmp_path, "f.csv", rows, layer + "\nmissing = []")
    with pytest.raises(InputError, match="'unknown' is not a number"):
        build(strict, tmp_path / "m.html", geocoder=FakeGeocoder())


def test_ucdp_country_names_are_hints(tmp_path: Path) -> None:
    rows = (
        "place,killed,country\nNairobi,3,Kenya (British East Africa)\nNairobi,1,DR Congo (Zaire)\n"
    )
    layer = 'kind = "casualties"\nplace = "place"\nvalue = "killed"\ncountry = "country"'
    fake = FakeGeocoder()
    build(_spec(tmp_path, "f.csv", rows, layer), tmp_path / "m.html", geocoder=fake)
    assert sorted(fake.calls) == [("Nairobi", "COD"), ("Nairobi", "KEN")]


def _pko(map_no: str, year: int, month: int, place: str, pairs: list[tuple[str, str]]) -> str:
    cells = [c for pair in pairs for c in pair] + [""] * (4 - 2 * len(pairs))
    total = sum(int(n) for _, n in pairs if n.isdigit())
    lat, lon = {"Goma": (-1.68, 29.22), "Bunia": (1.56, 30.25)}[place]
    return (
        f"Map no. {map_no},MONUSCO,{year},{month},{place},DR Congo,{lat},{lon},{total},"
        f"{len(pairs)},{','.join(cells)},0\n"
    )


def test_geopko_wide_pairs_latest_map_and_unknown_counts(tmp_path: Path) -> None:
    rows = PKO_HEAD
    rows += _pko("1", 2018, 1, "Goma", [("India", "800"), ("Uruguay", "150")])
    rows += _pko("2", 2018, 6, "Goma", [("India", "850"), ("Nepal", "unknown")])
    rows += _pko("2", 2018, 6, "Bunia", [("Bangladesh", "300")])
    spec = _spec(tmp_path, "pko.csv", rows, 'preset = "geopko"')
    (layer,) = build(spec, tmp_path / "m.html").layers
    got = sorted(zip(layer.frame["name"], layer.frame["group"], layer.frame["value"], strict=True))
    # the June map only: India 850, Nepal present without a count; Uruguay (January) gone
    assert [(n, g) for n, g, _ in got] == [
        ("Bunia", "Bangladesh"),
        ("Goma", "India"),
        ("Goma", "Nepal"),
    ]
    assert [v for _, _, v in got][:2] == [300.0, 850.0] and got[2][2] != got[2][2]


def test_wide_pairs_without_preset_and_the_double_counting_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    rows = PKO_HEAD
    rows += _pko("1", 2018, 1, "Goma", [("India", "800")])
    rows += _pko("2", 2018, 6, "Goma", [("India", "850")])
    layer = (
        'kind = "deployment"\nlat = "latitude"\nlon = "longitude"\nplace = "location"\n'
        'group = "name.of.TCC*"\nvalue = "No.troops.per.TCC*"'
    )
    with caplog.at_level(logging.WARNING, logger="geo"):
        (out,) = build(_spec(tmp_path, "pko.csv", rows, layer), tmp_path / "m.html").layers
    assert out.frame["value"].tolist() == [1650.0]  # summed across the two maps, and said so
    assert "1 places appear at several dates (year, month)" in caplog.text
    assert "latest = true" in caplog.text
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="geo"):
        (out,) = build(
            _spec(tmp_path, "pko.csv", rows, layer + '\ndate = ["year", "month"]\nlatest = true'),
            tmp_path / "m.html",
        ).layers
    assert out.frame["value"].tolist() == [850.0]
    assert "several dates" not in caplog.text


def test_ucdp_labels_and_own_labels(tmp_path: Path) -> None:
    rows = GED_HEAD + _ged(1, "2014-01-02")
    (layer,) = build(
        _spec(tmp_path, "ged.csv", rows, 'preset = "ucdp"'), tmp_path / "a.html"
    ).layers
    assert layer.frame["group"].tolist() == ["State-based conflict"]
    spec = _spec(tmp_path, "ged.csv", rows, 'preset = "ucdp"\nlabels = {1 = "Government"}')
    (layer,) = build(spec, tmp_path / "b.html").layers
    assert layer.frame["group"].tolist() == ["Government"]
    with pytest.raises(SpecError, match="labels must be a table"):
        build(
            _spec(tmp_path, "ged.csv", rows, 'preset = "ucdp"\nlabels = ["x"]'), tmp_path / "c.html"
        )


def test_source_false_and_unknown_preset(tmp_path: Path) -> None:
    rows = ACLED_HEAD + _acled("16-Feb-21")
    spec = _spec(tmp_path, "acled.csv", rows, 'preset = "acled"\nsource = false')
    (layer,) = build(spec, tmp_path / "m.html").layers
    assert layer.frame["sources"].tolist() == [None]
    with pytest.raises(SpecError, match="unknown preset 'acld'; presets: acled, dtm"):
        build(_spec(tmp_path, "acled.csv", rows, 'preset = "acld"'), tmp_path / "m.html")


def test_hxl_tagged_table_is_read_by_its_tags(tmp_path: Path) -> None:
    pytest.importorskip("hxl")
    rows = (
        "Province,Town,People killed,Reported\n"
        "#adm1+name,#loc+name,#affected+killed,#date+reported\n"
        "Nairobi,Nairobi,4,2024-03-01\n"
    )
    (layer,) = build(
        _spec(tmp_path, "hdx.csv", rows, 'preset = "hxl"'),
        tmp_path / "m.html",
        geocoder=FakeGeocoder(),
    ).layers
    assert layer.spec.kind == "casualties" and layer.spec.value == "People killed"
    assert layer.frame["value"].tolist() == [4.0] and layer.frame.attrs["input_rows"] == 1


def test_unresolved_summary_is_short_and_the_full_list_is_a_file(tmp_path: Path) -> None:
    rows = "place,killed\n" + "".join(f"Nowhere{i},{i + 1}\n" for i in range(30)) + "Nairobi,100\n"
    layer = 'kind = "casualties"\nplace = "place"\nvalue = "killed"'
    result = build(
        _spec(tmp_path, "f.csv", rows, layer), tmp_path / "m.html", geocoder=FakeGeocoder()
    )
    summary = result.summary()
    assert "30 places unresolved in layer 'L'" in summary and "and 10 more (all in" in summary
    assert "'Nowhere25'" not in summary
    listed = list(csv.DictReader(result.notes.open(encoding="utf-8")))
    assert len(listed) == 30 and listed[-1]["value"] == "Nowhere29"
    (data,) = result.layers
    assert data.frame.attrs["not_mapped"]["rows"] == 30


def test_geopko_flows_start_at_each_contributor(tmp_path: Path) -> None:
    rows = PKO_HEAD + _pko("2", 2018, 6, "Goma", [("Kenya", "800"), ("Haiti", "150")])
    layer = 'preset = "geopko"\nkind = "flows"\norigin = "name.of.TCC*"'
    (out,) = build(
        _spec(tmp_path, "pko.csv", rows, layer), tmp_path / "m.html", geocoder=FakeGeocoder()
    ).layers
    flows = sorted(zip(out.frame["origin_name"], out.frame["value"], strict=True))
    assert flows == [("Haiti (Port-au-Prince)", 150.0), ("Kenya (Nairobi)", 800.0)]


def test_dtm_export_with_its_hashtag_row_keeps_the_latest_round(tmp_path: Path) -> None:
    pytest.importorskip("hxl")
    rows = (
        "operation,admin0Name,admin0Pcode,admin1Name,admin2Name,numPresentIdpInd,"
        "reportingDate,roundNumber\n"
        "#operation+name,#country+name,#country+code,#adm1+name,#adm2+name,#affected+idps+ind,"
        "#date+reported,#round+code\n"
        "Conflict,Kenya,KEN,Nairobi,Nairobi,1200,2024-01-31,1\n"
        "Conflict,Kenya,KEN,Nairobi,Nairobi,1500,2024-04-30,2\n"
    )
    (out,) = build(
        _spec(tmp_path, "dtm.csv", rows, 'preset = "dtm"'),
        tmp_path / "m.html",
        geocoder=FakeGeocoder(),
    ).layers
    assert out.spec.kind == "displacement" and out.frame["value"].tolist() == [1500.0]
    assert out.frame["period"].tolist() == ["2024-04-30"]


def test_latest_per_year_keeps_one_snapshot_a_year(tmp_path: Path) -> None:
    rows = PKO_HEAD
    rows += _pko("1", 2017, 3, "Goma", [("India", "700")])
    rows += _pko("2", 2017, 9, "Goma", [("India", "750")])
    rows += _pko("3", 2018, 2, "Goma", [("India", "800")])
    rows += _pko("4", 2018, 8, "Goma", [("India", "850")])
    spec = _spec(tmp_path, "pko.csv", rows, 'preset = "geopko"\nlatest = "year"')
    (out,) = build(spec, tmp_path / "m.html").layers
    assert sorted(zip(out.frame["period"], out.frame["value"], strict=True)) == [
        ("2017-09", 750.0),
        ("2018-08", 850.0),
    ]


@pytest.mark.parametrize(
    ("key", "message"),
    [
        ('date_order = "ymd"', 'date_order must be "dmy" (14/08/2020) or "mdy"'),
        ('on_bad_rows = "drop"', 'on_bad_rows must be "error" or "skip", got \'drop\''),
        ("latest = 2", "latest must be true (the latest record per place and group)"),
        ('missing = "unknown"', "missing must be a list of words read as empty"),
        ('date = ["year"]', "date as a list names the year, month (and day) columns"),
        ('date_format = "dd/mm/yyyy"', "has no % code; write it as Python strptime does"),
    ],
)
def test_real_export_keys_are_validated(tmp_path: Path, key: str, message: str) -> None:
    spec = _spec(
        tmp_path, "acled.csv", ACLED_HEAD + _acled("16-Feb-21"), f'preset = "acled"\n{key}'
    )
    with pytest.raises(SpecError, match=message.replace("(", r"\(").replace(")", r"\)")):
        build(spec, tmp_path / "m.html")


def test_a_column_that_shows_day_first_outranks_the_presets_order(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    rows = GED_HEAD + _ged(1, "27/01/2014") + _ged(2, "05/02/2014")
    with caplog.at_level(logging.WARNING, logger="geo"):
        (layer,) = build(
            _spec(tmp_path, "ged.csv", rows, 'preset = "ucdp"'), tmp_path / "m.html"
        ).layers
    assert layer.frame["period"].tolist() == ["2014-01-27", "2014-02-05"]
    assert "'27/01/2014' are day first, not mdy" in caplog.text


def test_bench_real_build_runs_the_real_specs_on_rows_in_their_formats(tmp_path: Path) -> None:
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[1]
    (tmp_path / "ged.csv").write_text(
        GED_HEAD + _ged(1, "2014-01-02") + _ged(2, "1/27/2014 12:00:00 AM", low=9), encoding="utf-8"
    )
    (tmp_path / "acled.csv").write_text(ACLED_HEAD + _acled("16-Feb-21"), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(root / "bench" / "bench_real_build.py"), "--data", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    out = done.stdout
    assert "'Events (fatalities)' (events): 1 features from 1 of 1 rows; skipped 0" in out
    assert "'Deaths (UCDP best estimate)' (events): 1 features from 1 of 2 rows; skipped 1" in out
    assert "geopko.toml: skipped (no geopko.csv" in out


def test_a_world_wide_events_map_builds(tmp_path: Path) -> None:
    # regression: clipping Natural Earth land to this extent made an invalid ring and the
    # land overlay's intersection raised GEOSException (every real GED/ACLED map failed)
    rows = "lat,lon,killed\n35.01,-76.12,1\n-1.28,36.82,2\n9.4,125.6,1\n"
    layer = 'kind = "events"\nlat = "lat"\nlon = "lon"\nvalue = "killed"'
    result = build(_spec(tmp_path, "e.csv", rows, layer), tmp_path / "m.html")
    assert len(result.layers[0].frame) == 3 and result.html.stat().st_size > 0
