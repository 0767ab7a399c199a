"""Score ``geo extract`` on real, human-coded text (a script, not a test).

    nice .venv/bin/python bench/bench_real_extract.py              # all three
    nice .venv/bin/python bench/bench_real_extract.py --only acled --limit 2000

Reads ``../shared/real/extract/`` (or ``--real DIR``) and says so when it is missing; the
data is never copied into the repository.

ACLED notes (``acled_notes.csv``): each note is one report, ``--date`` = its
``event_date``. A note *states a death toll* when its coded ``fatalities`` > 0, it has a
death word (killed, dead, died, death, fatalities, bodies, murdered, massacre, beheaded,
lynched, casualties, corpses) and the coded number is written in it (digits, or a word up
to twenty). It *mentions no death* when ``fatalities`` is 0 and it has no death word.
Scored: among stated notes, the share whose killed rows without a ``group`` sum to
``fatalities`` (``value``), and the share whose largest such row lies within 50 km of the
coded point (``place50``, a row without coordinates is a miss); among no-death notes, the
share with any killed row (``false``, should be ~0).

Geoparsing corpora (``geoparse/lgl.xml``, ``geoparse/GWN.xml``) through
``geo extract --places``: the gold toponyms are those with coordinates (GeoWebNews: not
``nonLocational``), distinct names per article. A gold name is *found* when a listed place
has the same normalised name or one contains the other; ``found`` = found / gold,
``precision`` = listed places matching a gold name / listed, ``acc161`` = found names
whose listed coordinates lie within 161 km of the gold point / found. Sums over articles.
"""

from __future__ import annotations

import argparse
import csv
import logging
import math
import re
import sys
import time
import xml.etree.ElementTree as ET
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT.parent.parent / "shared" / "real" / "extract"

_DEATH = re.compile(
    r"\b(kill\w*|dead|died|dies|death\w*|fatalit\w*|bod(?:y|ies)|murder\w*|massacre\w*"
    r"|behead\w*|lynch\w*|casualt\w*|corpse\w*)\b",
    re.I,
)
_WORDS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen"
    " fifteen sixteen seventeen eighteen nineteen twenty"
).split()


def km(a: float, b: float, c: float, d: float) -> float:
    """Great-circle distance in km between (a, b) and (c, d)."""
    p = math.pi / 180
    h = (
        math.sin((c - a) * p / 2) ** 2
        + math.cos(a * p) * math.cos(c * p) * math.sin((d - b) * p / 2) ** 2
    )
    return 12742 * math.asin(math.sqrt(min(1.0, h)))


def _written(n: int, text: str) -> bool:
    for form in {str(n), format(n, ",")}:
        if re.search(r"(?<![\d,.])" + re.escape(form) + r"(?![\d,])", text):
            return True
    return n < len(_WORDS) and re.search(rf"\b{_WORDS[n]}\b", text, re.I) is not None


def _iso(day: str) -> str | None:
    for fmt in ("%d %B %Y", "%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(day.strip(), fmt).date().isoformat()
        except ValueError:
            continue
    return None


def score_acled(path: Path, limit: int | None) -> dict[str, str]:
    """The three ACLED-note shares (see the module docstring)."""
    from geo.extract import extract

    rows = list(csv.DictReader(path.open(encoding="utf-8")))[:limit]
    stated = right = near = quiet = false = 0
    for row in rows:
        note, fat = row["notes"], int(float(row["fatalities"] or 0))
        death = _DEATH.search(note) is not None
        is_stated = fat > 0 and death and _written(fat, note)
        is_quiet = fat == 0 and not death
        if not (is_stated or is_quiet):
            continue
        frame = extract(note, report_date=_iso(row["event_date"]))
        killed = frame[(frame.kind == "killed") & frame.group.isna()]
        if is_quiet:
            quiet += 1
            false += int(len(killed) > 0)
            continue
        stated += 1
        right += int(len(killed) > 0 and killed.value.fillna(0).sum() == fat)
        if len(killed):
            top = killed.sort_values("value", ascending=False).iloc[0]
            lat, lon = float(row["latitude"]), float(row["longitude"])
            if top.lat == top.lat and top.lat is not None:
                near += int(km(lat, lon, float(top.lat), float(top.lon)) <= 50)
    return {
        "notes": str(len(rows)),
        "stated": str(stated),
        "value": _pct(right, stated),
        "place50": _pct(near, stated),
        "no-death": str(quiet),
        "false": _pct(false, quiet),
    }


def _norm(name: str) -> str:
    name = re.sub(r"[^\w\s]", " ", name.lower())
    name = re.sub(r"^\s*the\s+", "", name)
    return " ".join(name.split())


def _same(a: str, b: str) -> bool:
    return bool(a and b) and (a == b or a in b or b in a)


def _lgl(path: Path) -> list[tuple[str, dict[str, tuple[float, float]]]]:
    out = []
    for art in ET.parse(path).getroot().iter("article"):
        gold: dict[str, tuple[float, float]] = {}
        for top in art.iter("toponym"):
            lat, lon = top.findtext("gaztag/lat"), top.findtext("gaztag/lon")
            phrase = top.findtext("phrase") or ""
            if lat and lon and _norm(phrase):
                gold.setdefault(_norm(phrase), (float(lat), float(lon)))
        out.append((art.findtext("text") or "", gold))
    return out


def _gwn(path: Path) -> list[tuple[str, dict[str, tuple[float, float]]]]:
    out = []
    for art in ET.parse(path).getroot().iter("article"):
        gold: dict[str, tuple[float, float]] = {}
        for top in art.iter("toponym"):
            lat, lon = top.findtext("latitude"), top.findtext("longitude")
            name = top.findtext("extractedName") or ""
            if top.findtext("nonLocational") == "Yes" or not (lat and lon) or not _norm(name):
                continue
            gold.setdefault(_norm(name), (float(lat), float(lon)))
        out.append((art.findtext("text") or "", gold))
    return out


def score_geoparse(articles: list, limit: int | None) -> dict[str, str]:
    """Names found, name precision and Acc@161 over the articles (see the docstring)."""
    from geo.extract import places

    gold_n = found = listed = listed_ok = near = 0
    for text, gold in articles[:limit]:
        if not text.strip():
            continue
        frame = places(text)
        pred = [
            (_norm(str(r.place)), r.lat, r.lon) for r in frame.itertuples() if _norm(str(r.place))
        ]
        listed += len(pred)
        listed_ok += sum(any(_same(p, g) for g in gold) for p, _, _ in pred)
        gold_n += len(gold)
        for g, (glat, glon) in gold.items():
            hit = next((p for p in pred if _same(p[0], g)), None)
            if hit is None:
                continue
            found += 1
            if hit[1] == hit[1] and hit[1] is not None:
                near += int(km(glat, glon, float(hit[1]), float(hit[2])) <= 161)
    return {
        "articles": str(len(articles[:limit])),
        "gold": str(gold_n),
        "found": _pct(found, gold_n),
        "precision": _pct(listed_ok, listed),
        "acc161": _pct(near, found),
    }


def _pct(a: int, b: int) -> str:
    return f"{a}/{b} ({100 * a / b:.1f}%)" if b else "-"


def main(argv: list[str] | None = None) -> int:
    """Print one line of scores per data set."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--real", type=Path, default=REAL)
    parser.add_argument("--only", choices=("acled", "lgl", "gwn"), action="append")
    parser.add_argument("--limit", type=int, default=None, help="first N notes/articles")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.ERROR)
    if not args.real.is_dir():
        print(f"no real data at {args.real}: nothing to score")
        return 0
    only = args.only or ["acled", "lgl", "gwn"]
    jobs = {
        "acled": lambda: score_acled(args.real / "acled_notes.csv", args.limit),
        "lgl": lambda: score_geoparse(_lgl(args.real / "geoparse" / "lgl.xml"), args.limit),
        "gwn": lambda: score_geoparse(_gwn(args.real / "geoparse" / "GWN.xml"), args.limit),
    }
    for name in only:
        t0 = time.perf_counter()
        scores = jobs[name]()
        cells = ", ".join(f"{k} {v}" for k, v in scores.items())
        print(f"{name}: {cells} [{time.perf_counter() - t0:.0f} s]", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
