"""Joining figure tables with places (geo/join.py), against a fake geocoder."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from shapely.geometry import box

from geo.errors import InputError, UnresolvedPlaceError
from geo.figures import read_table
from geo.gazetteer import country_iso3
from geo.join import COLUMNS, join_layer, unresolved_report
from geo.models import LayerSpec
from tests.place_fakes import FakeGeocoder

DATA = Path(__file__).parent / "data"
SAMPLE = (
    "place,contributor,personnel,killed,displaced,date,source\n"
    'Port-au-Prince,Kenya,800,,,2024-06-25,"Capital News, Aug 20"\n'
    'Haiti,,,3600,,2025-08-20,"UN via Capital News, Aug 20"\n'
    'Haiti,,,,500000,2025-08-20,"UN via Capital News, Aug 20"\n'
    'eastern DRC,EAC and SADC,,,,2025-08-20,"Capital News, Aug 20"\n'
)


def _csv(tmp_path: Path, text: str, name: str = "figures.csv") -> pd.DataFrame:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return read_table(path)


def _spec(**kw: object) -> LayerSpec:
    base: dict[str, object] = {
        "name": "Layer",
        "kind": "casualties",
        "data": "figures.csv",
        "place": "place",
    }
    base.update(kw)
    return LayerSpec(**base)  # type: ignore[arg-type]


def _join(spec: LayerSpec, table: pd.DataFrame, **kw: object):  # noqa: ANN202
    return join_layer(spec, table, geocoder=FakeGeocoder(), **kw)  # type: ignore[arg-type]


def test_sample_deployment_keeps_presence_and_leaves_out_other_figures(tmp_path: Path) -> None:
    table = _csv(tmp_path, SAMPLE)
    layer = _join(
        _spec(name="Deployed personnel", kind="deployment", value="personnel", group="contributor"),
        table,
    )
    frame = layer.frame
    assert frame["name"].tolist() == ["Port-au-Prince", "eastern DRC"]
    assert frame["value"].iloc[0] == 800 and np.isnan(frame["value"].iloc[1])  # presence
    assert frame["group"].tolist() == ["Kenya", "EAC and SADC"]
    # Haiti's rows carry killed/displaced figures: they belong to other layers.
    assert "Haiti" not in frame["name"].tolist()
    assert frame["precision"].tolist() == ["city", "region"]
    assert frame["area"].iloc[0] is None and frame["area"].iloc[1].equals(box(27, -5, 30, 3))
    assert frame["sources"].iloc[0] == "Capital News, Aug 20"
    assert list(frame.columns) == list(COLUMNS)
    assert frame.crs == "EPSG:4326"
    assert frame.geometry.iloc[0].x == -72.34 and frame.geometry.iloc[0].y == 18.54


def test_sample_casualties_only_counted_rows(tmp_path: Path) -> None:
    layer = _join(_spec(name="Killed", value="killed", date="date"), _csv(tmp_path, SAMPLE))
    frame = layer.frame
    assert frame["name"].tolist() == ["Haiti"]
    assert frame["value"].tolist() == [3600.0]
    assert frame["period"].tolist() == ["2025-08-20"]
    assert frame["date"].iloc[0] == pd.Timestamp("2025-08-20")
    assert frame["country"].tolist() == ["HTI"]


def test_aggregation_per_place_and_date(tmp_path: Path) -> None:
    table = read_table(DATA / "casualties.csv")
    layer = _join(
        _spec(
            value="killed", injured="injured", children="children", date="date", country="country"
        ),
        table,
    )
    frame = layer.frame.set_index(["name", "period"])
    pap = frame.loc[("Port-au-Prince", "2025-03-01")]
    assert pap["value"] == 1500  # "1,200" + 300
    assert pap["rows"] == 2
    assert pap["sources"] == "Report A; Report B"
    assert pap["details"] == {"Injured": "40", "Children": "5"}
    assert frame.loc[("Port-au-Prince", "2025-04-01"), "value"] == 50  # its own feature
    assert frame.loc[("Cap-Haïtien", "2025-03-01"), "value"] == 24  # duplicates kept, summed
    assert layer.unresolved == ("Xyzzyqwv (HTI)",)
    assert layer.frame.attrs["unresolved_rows"] == {"Xyzzyqwv (HTI)": (7,)}


def test_each_place_is_geocoded_once(tmp_path: Path) -> None:
    table = _csv(tmp_path, "place,killed\n" + "Port-au-Prince,1\n" * 50 + "Haiti,2\n")
    fake = FakeGeocoder()
    join_layer(_spec(value="killed"), table, geocoder=fake)
    assert sorted(q for q, _ in fake.calls) == ["Haiti", "Port-au-Prince"]


def test_presence_rows_stay_apart_from_counted_rows(tmp_path: Path) -> None:
    text = (
        "place,force,personnel\nPort-au-Prince,MSS,800\nPort-au-Prince,MSS,\n"
        "Port-au-Prince,Jamaica,20\n"
    )
    frame = _join(
        _spec(kind="deployment", value="personnel", group="force"), _csv(tmp_path, text)
    ).frame
    assert frame[["group", "value"]].fillna(-1).values.tolist() == [
        ["MSS", 800.0],
        ["MSS", -1],
        ["Jamaica", 20.0],
    ]


def test_unresolved_report_and_strict(tmp_path: Path) -> None:
    text = "place,killed\nHaiti,1\nXyzzy,2\nPort-au-Prince,3\nXyzzy,4\nQwvx,5\n"
    table = _csv(tmp_path, text)
    layer = _join(_spec(name="Killed", value="killed"), table)
    assert layer.frame["name"].tolist() == ["Haiti", "Port-au-Prince"]
    report = unresolved_report([layer])
    assert report == (
        "2 places unresolved in layer 'Killed': 'Xyzzy' (figures.csv rows 3, 5), "
        "'Qwvx' (figures.csv row 6)"
    )
    with pytest.raises(UnresolvedPlaceError, match="'Xyzzy' \\(figures.csv rows 3, 5\\)"):
        _join(_spec(name="Killed", value="killed"), table, strict=True)


def test_flows_start_at_the_capital_of_a_country_origin(tmp_path: Path) -> None:
    text = "place,origin,personnel\nPort-au-Prince,Kenya,800\nPort-au-Prince,Nairobi,10\n"
    frame = _join(
        _spec(kind="flows", origin="origin", value="personnel"), _csv(tmp_path, text)
    ).frame
    assert frame["origin_name"].tolist() == ["Kenya (Nairobi)", "Nairobi"]
    assert frame["origin_lat"].tolist() == [-1.29, -1.29]
    assert frame["origin_lon"].tolist() == [36.82, 36.82]


def test_events_from_lat_lon_with_acled_precision() -> None:
    table = read_table(DATA / "events_acled.csv")
    layer = _join(
        _spec(
            kind="events",
            place="location",
            lat="latitude",
            lon="longitude",
            value="fatalities",
            date="event_date",
            group="event_type",
            precision="geo_precision",
        ),
        table,
    )
    frame = layer.frame
    assert len(frame) == 4 and frame["rows"].tolist() == [1, 1, 1, 1]  # never aggregated
    assert frame["precision"].tolist() == ["exact", "exact", "region", "admin1"]
    assert frame["name"].tolist()[2] == "Cabaret"
    assert np.isnan(frame["value"].iloc[3])  # an event without a fatality figure is drawn
    assert frame.geometry.iloc[2].y == pytest.approx(18.7333)


def test_ucdp_where_prec_and_range() -> None:
    table = read_table(DATA / "ucdp_ged.csv")
    frame = _join(
        _spec(
            place=None,
            lat="latitude",
            lon="longitude",
            value="best",
            low="low",
            high="high",
            precision="where_prec",
        ),
        table,
    ).frame
    assert frame["precision"].tolist() == ["exact", "admin1", "country"]
    assert frame["details"].iloc[1] == {"Range": "20–40"}
    # given by coordinates only: no made-up name (the popup shows the coordinates)
    assert frame["name"].iloc[0] is None and frame.geometry.iloc[0].y == pytest.approx(-1.6792)


def test_rows_with_coordinates_only_popups_name_the_coordinates() -> None:
    from geo.layers import build_layer
    from geo.models import LayerData

    table = read_table(DATA / "ucdp_ged.csv")
    frame = _join(
        _spec(place=None, lat="latitude", lon="longitude", value="best", precision="where_prec"),
        table,
    ).frame
    cfg = build_layer(LayerData(_spec(place=None, lat="latitude", lon="longitude"), frame)).payload
    assert '"t":"-1.6792, 29.2228"' in cfg and '"tip":"-1.6792, 29.2228:' in cfg


def test_low_above_high_is_an_error(tmp_path: Path) -> None:
    table = _csv(tmp_path, "place,best,low,high\nHaiti,10,30,20\n", "ucdp.csv")
    with pytest.raises(
        InputError, match="ucdp.csv row 2, columns low/high: low 30 is above high 20"
    ):
        _join(_spec(value="best", low="low", high="high"), table)


def test_choropleth_uses_the_outline(tmp_path: Path) -> None:
    frame = _join(
        _spec(kind="choropleth", value="killed"), _csv(tmp_path, "place,killed\nHaiti,3600\n")
    ).frame
    assert frame.geometry.iloc[0].geom_type == "Polygon"
    assert frame["value"].tolist() == [3600.0]


def test_popup_columns_are_carried(tmp_path: Path) -> None:
    text = "place,killed,qualifier\nHaiti,3600,more than\n"
    frame = _join(_spec(value="killed", popup=("qualifier",)), _csv(tmp_path, text)).frame
    assert frame["qualifier"].tolist() == ["more than"]


@pytest.mark.parametrize(
    "spec, text, fragment",
    [
        (
            _spec(value="personal"),
            SAMPLE,
            "figures.csv: no column 'personal' (value) (did you mean 'personnel'?)",
        ),
        (
            _spec(value="killed"),
            "place,killed\nHaiti,12O5\n",
            "figures.csv row 2, column killed: '12O5' is not a number; use digits only, e.g. 1205",
        ),
        (
            _spec(value="killed"),
            "place,killed\n,5\n",
            "figures.csv row 2, column place: '' is empty",
        ),
        (
            _spec(value="killed", date="date"),
            "place,killed,date\nHaiti,5,soon\n",
            "figures.csv row 2, column date: 'soon' is not a date",
        ),
        (
            _spec(value="killed", precision="prec"),
            "place,killed,prec\nHaiti,5,9\n",
            "figures.csv row 2, column prec: '9' is not a precision code",
        ),
        (
            _spec(place=None, lat="lat", lon="lon"),
            "lat,lon,killed\n,,5\n",
            "figures.csv row 2, column lat: the coordinates are empty",
        ),
    ],
)
def test_join_errors(tmp_path: Path, spec: LayerSpec, text: str, fragment: str) -> None:
    with pytest.raises(InputError) as err:
        _join(spec, _csv(tmp_path, text))
    assert fragment in str(err.value)


def test_country_hints_accept_codes_names_and_aliases() -> None:
    hints = ["ke", "KEN", "Kenya", "DRC", "Narnia", None]
    assert [country_iso3(h) for h in hints] == ["KEN", "KEN", "KEN", "COD", None, None]


def test_rows_with_coordinates_never_load_the_gazetteer(tmp_path: Path, monkeypatch) -> None:
    """Events with lat/lon and a place name as a label: no look-up, no gazetteer load."""
    import geo.gazetteer as gz

    def refuse(*_a: object, **_k: object) -> None:
        raise AssertionError("the gazetteer was loaded for rows that have coordinates")

    monkeypatch.setattr(gz, "load", refuse)
    fake = FakeGeocoder()
    table = _csv(
        tmp_path,
        "location,lat,lon,fatalities,date\nGoma,-1.68,29.22,3,2024-01-02\n"
        ",-1.5,29.1,0,2024-01-03\n",
    )
    layer = join_layer(
        _spec(
            kind="events", place="location", lat="lat", lon="lon", value="fatalities", date="date"
        ),
        table,
        geocoder=fake,
    )
    assert fake.calls == [] and len(layer.frame) == 2
    assert layer.frame["name"].tolist() == ["Goma", None]
