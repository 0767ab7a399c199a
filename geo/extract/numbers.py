"""Find the numbers of a sentence as reporters write them, with their qualifier and currency.

Digits with separators and scales ("3,600", "1.2 million", "$96.8m", "USD85.3 million",
"KSh 2 billion"), words ("two thousand", "half a million", "a dozen") and vague amounts
("hundreds", "tens of thousands", flagged ``vague``). Numbers that are not counts are
dropped here: years, days of a date ("Aug 20"), percentages, ages, times, phone numbers,
identifiers ("Resolution 2699", "M23", "COVID-19").

    >>> [(n.value, n.qualifier, n.currency) for n in find_numbers(
    ...     "More than half a million fled; USD85.3 million of $96.8m was paid on Aug 20.")]
    [(500000.0, 'more than', None), (85300000.0, None, 'USD'), (96800000.0, None, 'USD')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MONTHS = {
    "january": 1,
    "jan": 1,
    "february": 2,
    "feb": 2,
    "march": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "may": 5,
    "june": 6,
    "jun": 6,
    "july": 7,
    "jul": 7,
    "august": 8,
    "aug": 8,
    "september": 9,
    "sep": 9,
    "sept": 9,
    "october": 10,
    "oct": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
}
_MONTH_RE = "|".join(sorted(MONTHS, key=len, reverse=True))

_CURRENCY_PRE = {
    "us$": "USD",
    "us $": "USD",
    "usd": "USD",
    "$": "USD",
    "€": "EUR",
    "eur": "EUR",
    "£": "GBP",
    "gbp": "GBP",
    "ksh": "KES",
    "ksh.": "KES",
    "kes": "KES",
    "sh": "KES",
    "chf": "CHF",
    "¥": "JPY",
    "jpy": "JPY",
    "cad": "CAD",
    "aud": "AUD",
    "uah": "UAH",
    "sdg": "SDG",
    "zar": "ZAR",
    "rwf": "RWF",
    "nok": "NOK",
    "sek": "SEK",
    "etb": "ETB",
    "birr": "ETB",
    "rs": "PKR",
    "rs.": "PKR",
    "pkr": "PKR",
    "inr": "INR",
    "₹": "INR",
    "ngn": "NGN",
    "₦": "NGN",
    "xaf": "XAF",
    "cfa": "XAF",
    "fcfa": "XAF",
    "cop": "COP",
    "lbp": "LBP",
    "syp": "SYP",
    "yer": "YER",
    "lyd": "LYD",
    "amd": "AMD",
    "azn": "AZN",
    "egp": "EGP",
    "sar": "SAR",
    "aed": "AED",
    "try": "TRY",
    "₺": "TRY",
}
_CURRENCY_PRE.update(
    {
        "n": "NGN",
        "rp": "IDR",
        "rp.": "IDR",
        "gh¢": "GHS",
        "gh₵": "GHS",
        "ghs": "GHS",
        "c$": "CAD",
        "ca$": "CAD",
        "a$": "AUD",
        "au$": "AUD",
        "nz$": "NZD",
        "hk$": "HKD",
        "r$": "BRL",
    }
)
_CURRENCY_PRE.update(
    {
        c.lower(): c
        for c in (
            "IQD JOD MXN PHP HTG MMK BDT AFN RUB CNY UGX TZS SOS CDF BIF IRR SSP XOF MZN".split()
        )
    }
)
_CURRENCY_POST = {
    "us dollars": "USD",
    "dollars": "USD",
    "usd": "USD",
    "euros": "EUR",
    "euro": "EUR",
    "eur": "EUR",
    "pounds": "GBP",
    "pounds sterling": "GBP",
    "shillings": "KES",
    "kenyan shillings": "KES",
    "swiss francs": "CHF",
    "hryvnias": "UAH",
    "rand": "ZAR",
    "birr": "ETB",
    "rupees": "PKR",
    "naira": "NGN",
    "cfa francs": "XAF",
    "pesos": "COP",
    "dinars": "LYD",
    "riyals": "SAR",
    "rials": "YER",
    "lira": "TRY",
    "pounds lebanese": "LBP",
    "manat": "AZN",
    "drams": "AMD",
    "kina": "PGK",
    "gourdes": "HTG",
    "kyat": "MMK",
    "taka": "BDT",
    "afghanis": "AFN",
    "roubles": "RUB",
    "rubles": "RUB",
    "yuan": "CNY",
    "yen": "JPY",
    "dirhams": "MAD",
    "hryvnia": "UAH",
    "cedis": "GHS",
    "leones": "SLE",
    "kwacha": "MWK",
    "meticais": "MZN",
    "francs": "XAF",
    "baht": "THB",
    "rupiah": "IDR",
    "ringgit": "MYR",
    "quetzales": "GTQ",
    "lempiras": "HNL",
    "reais": "BRL",
    "soles": "PEN",
    "bolivares": "VES",
    "tenge": "KZT",
    "riel": "KHR",
}
# "25 billion Iraqi dinars": a national adjective names the currency
_NATIONAL_CURRENCY = {
    "iraqi dinars": "IQD",
    "jordanian dinars": "JOD",
    "libyan dinars": "LYD",
    "algerian dinars": "DZD",
    "tunisian dinars": "TND",
    "sudanese pounds": "SDG",
    "south sudanese pounds": "SSP",
    "egyptian pounds": "EGP",
    "lebanese pounds": "LBP",
    "syrian pounds": "SYP",
    "mexican pesos": "MXN",
    "colombian pesos": "COP",
    "philippine pesos": "PHP",
    "argentine pesos": "ARS",
    "chilean pesos": "CLP",
    "yemeni rials": "YER",
    "iranian rials": "IRR",
    "saudi riyals": "SAR",
    "ugandan shillings": "UGX",
    "tanzanian shillings": "TZS",
    "somali shillings": "SOS",
    "indian rupees": "INR",
    "pakistani rupees": "PKR",
    "sri lankan rupees": "LKR",
    "nepalese rupees": "NPR",
    "nigerian naira": "NGN",
    "haitian gourdes": "HTG",
    "congolese francs": "CDF",
    "burundian francs": "BIF",
    "rwandan francs": "RWF",
    "guinean francs": "GNF",
    "djiboutian francs": "DJF",
    "ethiopian birr": "ETB",
    "ukrainian hryvnias": "UAH",
    "russian roubles": "RUB",
    "russian rubles": "RUB",
    "moroccan dirhams": "MAD",
    "emirati dirhams": "AED",
    "canadian dollars": "CAD",
    "australian dollars": "AUD",
    "new zealand dollars": "NZD",
    "hong kong dollars": "HKD",
    "south african rand": "ZAR",
    "kenyan shillings": "KES",
    "swiss francs": "CHF",
    "cfa francs": "XAF",
    "west african cfa francs": "XOF",
    "central african cfa francs": "XAF",
}
_CURRENCY_POST.update(_NATIONAL_CURRENCY)
_SCALE = {
    "thousand": 1e3,
    "k": 1e3,
    "million": 1e6,
    "m": 1e6,
    "mn": 1e6,
    "mln": 1e6,
    "billion": 1e9,
    "bn": 1e9,
    "b": 1e9,
    "trillion": 1e12,
    "tn": 1e12,
    "crore": 1e7,
    "crores": 1e7,
    "lakh": 1e5,
    "lakhs": 1e5,
}
_PRE = (
    r"(?P<pre>US\s?\$|C\$|CA\$|A\$|AU\$|NZ\$|HK\$|R\$|"
    r"N(?=\d[\d,.]*\s?(?:billion|million|bn|m)\b)|Rp\.?|GH[¢₵]|GHS|"
    r"USD|EUR|GBP|KSh\.?|Ksh\.?|KES|CHF|JPY|CAD|AUD|UAH|SDG|ZAR|RWF|NOK|"
    r"SEK|ETB|Birr|PKR|INR|NGN|XAF|F?CFA|COP|LBP|SYP|YER|LYD|AMD|AZN|EGP|SAR|AED|"
    r"IQD|JOD|MXN|PHP|HTG|MMK|BDT|AFN|RUB|CNY|UGX|TZS|SOS|CDF|BIF|IRR|SSP|XOF|MZN|"
    r"Sh|Rs\.?|[$€£¥₹₦₺])"
)
_DIGITS = r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
_NUMERIC = re.compile(
    r"(?<![\w.,/:+\-#])"
    + rf"(?:{_PRE}\s?)?"
    + _DIGITS
    + r"(?:(?P<plus>\+)|(?:\s{0,2}(?P<scale>million|billion|thousand|trillion|crores?|lakhs?)\b)"
    r"|(?P<short>mn|mln|bn|m|b|k|tn)\b)?"
    r"(?:\s{1,2}(?P<post>US dollars|pounds sterling|"
    + "|".join(sorted((k.replace(" ", r"\s+") for k in _NATIONAL_CURRENCY), key=len, reverse=True))
    + r"|dollars|USD|euros|euro|EUR|pounds|shillings|hryvnias|hryvnia|rand|birr|rupees|naira|"
    r"pesos|dinars|riyals|rials|lira|manat|drams|kina|gourdes|kyat|taka|afghanis|roubles|"
    r"rubles|yuan|yen|dirhams|cedis|leones|kwacha|meticais|francs|baht|rupiah|ringgit|"
    r"quetzales|lempiras|reais|soles|bolivares|tenge|riel)\b)?"
    r"(?![\d]|[.,]\d|[A-Za-z])",
    re.I,
)
_PHONE = re.compile(
    r"(?:\+|\b00)\d{1,3}[\s.-]?(?:\(?\d+\)?[\s.-]?){2,}\d+|\b\d{3,4}[\s.-]\d{3}[\s.-]\d{3,4}\b"
)
_UNITS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_WORD_SCALES = {"hundred": 100, "thousand": 1e3, "million": 1e6, "billion": 1e9}
_UNIT_RE = "|".join(sorted(_UNITS, key=len, reverse=True))
_WORDS = re.compile(
    rf"\b(?P<w>(?:(?:{_UNIT_RE})(?:[\s-](?:{_UNIT_RE}))?|a|an)"
    rf"(?:\s(?:and\s)?(?:{_UNIT_RE}|hundred|thousand|million|billion)(?:-(?:{_UNIT_RE}))?)*)\b",
    re.I,
)
_FRACTION = re.compile(
    r"\b(?P<f>(?:a|one)\s(?:half|quarter|third)|half|a\squarter|three[\s-]quarters|"
    r"two[\s-]thirds)\s(?:of\s)?an?\s(?P<s>million|billion)\b",
    re.I,
)
_FRACTIONS = {
    "half": 0.5,
    "quarter": 0.25,
    "third": 1 / 3,
    "three quarters": 0.75,
    "two thirds": 2 / 3,
}
# "a 67-year-old man was killed", "a woman was wounded": one victim, written with "a"
_ONE_VICTIM = re.compile(
    r"\b(?:a|an)\s+(?:[\w-]+-year-old\s+|young\s+|elderly\s+)?(?:man|woman|boy|girl|child|"
    r"baby|teenager|civilian|soldier|policeman|police\s+officer|resident|farmer|journalist|"
    r"medic|paramedic|aid\s+worker|volunteer)(?=\s+(?:was|has\s+been|had\s+been)\s+(?:"
    r"killed|wounded|injured|hurt|shot\s+dead)\b|\s+died\b)",
    re.I,
)
_DOZEN = re.compile(r"\b(?:(?P<n>a|one|two|three|four|five|half\sa)\s)?dozens?\b", re.I)
_VAGUE = re.compile(
    r"\b(?:(?:several|many|tens|hundreds|thousands)\s+of\s+(?:thousands|millions)|"
    r"dozens|scores|hundreds|thousands|millions|several\s+(?:hundred|thousand|million))\b",
    re.I,
)
_VAGUE_VALUE = {"dozens": 24, "scores": 40, "hundreds": 200, "thousands": 2000, "millions": 2e6}

_QUALIFIERS: tuple[tuple[str, str], ...] = (
    (
        r"more than|over|upwards of|in excess of|above|exceeding|greater than|north of|"
        r"well over|some\s+more\s+than",
        "more than",
    ),
    (
        r"at least|a minimum of|no fewer than|no less than|not less than|a total of at least",
        "at least",
    ),
    (r"nearly|almost|close to|just under|just shy of|approaching", "nearly"),
    (
        r"about|around|approximately|roughly|some|an estimated|estimated|circa|approx\.?|"
        r"an approximate|~",
        "about",
    ),
    (r"up to|as many as|as much as|at most|no more than|fewer than|less than|under|below", "up to"),
)
_QUAL_RE = [
    (re.compile(rf"(?:^|[\s(\"\u201c])(?:{pat})\s*$", re.I), norm) for pat, norm in _QUALIFIERS
]
_SUFFIX_QUAL = re.compile(r"^(?:\s*(?:-plus|\+|or more|and more|and counting))", re.I)

_ID_BEFORE = re.compile(
    r"\b(?:resolutions?|no\.?|number|article|chapter|paragraph|para|page|route|highway|"
    r"flight|room|section|act|decree|law|phase|level|category|grade|brigade|battalion|"
    r"division|sector|zone|block|aged|age|ages|code|tel|phone|ext|ipc|platoon|regiment|"
    r"unit|item|annex|update|sitrep|bulletin|issue|edition|version|part|episode|rescue|"
    r"hotline|helpline|dial|call|line|"
    r"flash\s+update|situation\s+report|briefing)\s*#?\s*$",
    re.I,
)
_AFTER_NOT_COUNT = re.compile(
    r"^(?:\s?(?:%|percent\b|per\s?cent\b|pc\b|per\b)|-?\s?(?:year|day|month|week|hour|km|"
    r"kilomet|mile|metre|meter|minute|point|storey|story|bed|seat)s?\b(?!-strong)|"
    r"-member\b|\smembers?\s+(?:states?|countries|nations|council|panel|body)\b|"
    r"(?:st|nd|rd|th)\b|:\d|\s?(?:a\.m|p\.m|am\b|pm\b|gmt|utc|hrs\b)|\s(?:years?|yrs)\s+old|"
    r"\s+or\s+[\w-]+\s+(?:times|days|weeks|months|years|hours)\b|"
    r"-\d|/\d)",
    re.I,
)


@dataclass(frozen=True)
class Number:
    """A number in a sentence: character span, value as stated, qualifier, currency."""

    start: int
    end: int
    text: str
    value: float
    qualifier: str | None = None
    currency: str | None = None
    vague: bool = False
    yearlike: bool = False


def find_numbers(sentence: str) -> list[Number]:
    """All count-like numbers of a sentence, in order, without overlaps."""
    found: list[Number] = []
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= s or a >= e for s, e in taken)

    def add(
        start: int,
        end: int,
        value: float,
        currency: str | None = None,
        vague: bool = False,
        yearlike: bool = False,
    ) -> None:
        if not free(start, end) or _not_a_count(sentence, start, end, currency):
            return
        taken.append((start, end))
        qualifier = _qualifier(sentence, start, end)
        found.append(
            Number(start, end, sentence[start:end], value, qualifier, currency, vague, yearlike)
        )

    for m in _PHONE.finditer(sentence):
        taken.append(m.span())  # phone numbers are never counts
    for m in _ONE_VICTIM.finditer(sentence):
        taken.append(m.span())
        found.append(Number(m.start(), m.end(), m.group(0), 1.0, None, None, False, False))
    for m in _NUMERIC.finditer(sentence):
        _numeric(sentence, m, add, taken)
    for m in _FRACTION.finditer(sentence):
        frac = _FRACTIONS.get(
            re.sub(r"^(?:a|one)\s", "", m.group("f").lower()).replace("-", " "), 0.5
        )
        add(m.start(), m.end(), frac * _WORD_SCALES[m.group("s").lower()])
    for m in _DOZEN.finditer(sentence):
        n = (m.group("n") or "").lower()
        if m.group(0).lower().endswith("dozens") and not n:
            add(m.start(), m.end(), 24, vague=True)
        else:
            mult = {"": 1, "a": 1, "one": 1, "half a": 0.5}.get(n) or _UNITS.get(n, 1)
            add(m.start(), m.end(), 12 * mult)
    for m in _WORDS.finditer(sentence):
        value = parse_number_words(m.group("w"))
        if value is not None:
            add(m.start(), m.end(), value)
    for m in _VAGUE.finditer(sentence):
        word = m.group(0).lower().split()[0]
        add(m.start(), m.end(), _VAGUE_VALUE.get(word, 2000), vague=True)
    found.sort(key=lambda n: n.start)
    return _drop_conversions(sentence, found)


# "ETB 3.5 billion (about US$61 million)": the amount in brackets is the same money.
_CONVERSION = re.compile(
    r"\s*[(\[]\s*(?:about|approximately|approx\.?|roughly|around|some|"
    r"~|or|i\.e\.|equivalent\s+to|worth|nearly|almost)?\s*$",
    re.I,
)


def _drop_conversions(sentence: str, found: list[Number]) -> list[Number]:
    out: list[Number] = []
    for n in found:
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.currency
            and n.currency
            and n.currency != prev.currency
            and _CONVERSION.fullmatch(sentence[prev.end : n.start])
        ):
            continue
        out.append(n)
    return out


def _numeric(sentence: str, m: re.Match[str], add, taken: list[tuple[int, int]]) -> None:  # type: ignore[no-untyped-def]
    raw = m.group("num")
    value = float(raw.replace(",", ""))
    short = m.group("short")
    pre, post = m.group("pre"), m.group("post")
    currency = None
    if pre:
        currency = _CURRENCY_PRE.get(re.sub(r"\s+", " ", pre.lower()).replace("us $", "us$"))
    if post:
        currency = currency or _CURRENCY_POST.get(post.lower())
    if short and not currency and short in ("m", "b"):
        return  # "500m" is metres; "2.3M" (capital, attached) is millions
    scale = m.group("scale") or short
    if scale:
        value *= _SCALE[scale.lower()]
    yearlike = (
        not currency
        and not scale
        and "," not in raw
        and "." not in raw
        and 1800 <= value <= 2100
        and len(raw) == 4
    )
    start = m.start()
    add(start, m.end(), value, currency, yearlike=yearlike)


def _not_a_count(sentence: str, start: int, end: int, currency: str | None) -> bool:
    before = sentence[max(0, start - 40) : start]
    after = sentence[end : end + 20]
    if currency:
        return bool(re.match(r"\s?(?:%|percent|per\s?cent)", after, re.I))
    if _AFTER_NOT_COUNT.match(after):
        return True
    # "Aug 20", "20 August", "August 20, 2025"
    if re.search(rf"\b(?:{_MONTH_RE})\.?\s*$", before, re.I):
        return True
    if re.match(rf"^\s*(?:{_MONTH_RE})\b", after, re.I) and sentence[start:end].isdigit():
        return True
    if re.search(r"(?:\+|\(0?\d+\)\s?)$", before) or re.match(r"^[\s-]\d{2,}[\s-]\d{2,}", after):
        return True  # phone numbers
    token = sentence[start:end]
    if token.isdigit() and before.endswith("[") and after.startswith("]"):
        return True  # a footnote mark: "790 women.[13]"
    if re.search(r"\b(?:every|each|no|any|the)\s+$", before, re.I) and token.lower() == "one":
        return True  # "every one of those families", "the one who ..."
    if token.isdigit() and not before.strip() and re.match(r"/\d*\s", after):
        return True  # a thread's numbering: "6/ Police also say ..."
    if token.isdigit() and _ID_BEFORE.search(before):
        return True
    if re.search(r"\b(?:aged|ages|age)\s+(?:between\s+)?$", before, re.I):
        return True
    if (
        token.isdigit()
        and len(token) <= 2
        and re.search(r"\b[A-Z][^\W\d_]+,\s*$", before)
        and (
            re.match(r"\s*,\s+(?:a|an|who|whose)\b", after)
            or re.search(
                r"\b(?:said|says|told|asked|added|recalled|explained)\s+(?:[A-Z][\w'-]+\s+){0,2}"
                r"[A-Z][^\W\d_]+,\s*$",
                before,
            )
        )
    ):
        return True  # an age: "said Hussein, 52, who fled", "Amina, 34, a mother of four"
    if re.search(
        r"\b(?:his|her|my)\s+$|\b(?:mother|father|parent|grandmother|grandfather)"
        r"\s+of\s+$",
        before,
        re.I,
    ):
        return True  # a family: "fled with his five children"
    return bool(re.search(r"\bunder[\s-]$", before, re.I) and re.match(r"s?\b", after))


def _qualifier(sentence: str, start: int, end: int) -> str | None:
    before = sentence[max(0, start - 40) : start]
    before = re.sub(r"(?:the|a|an)\s+$", "", before.rstrip(), flags=re.I) + " "
    before = before.rstrip()
    for rx, norm in _QUAL_RE:
        if rx.search(before):
            return norm
    if _SUFFIX_QUAL.match(sentence[end : end + 20]):
        return "more than"
    return None


def parse_number_words(text: str) -> float | None:
    """The value of a run of number words, or None when it is not a number.

    >>> parse_number_words("two thousand"), parse_number_words("one hundred and twenty-five")
    (2000.0, 125.0)
    >>> parse_number_words("a"), parse_number_words("a million")
    (None, 1000000.0)
    """
    words = re.split(r"[\s-]+", text.lower().strip())
    words = [w for w in words if w != "and"]
    if not words:
        return None
    if words[0] in ("a", "an"):
        if len(words) == 1 or words[1] not in _WORD_SCALES:
            return None
        words[0] = "one"
    total = current = 0.0
    seen = False
    for w in words:
        if w in _UNITS:
            current += _UNITS[w]
            seen = True
        elif w == "hundred":
            current = max(current, 1) * 100
        elif w in _WORD_SCALES:
            total += max(current, 1) * _WORD_SCALES[w]
            current = 0
        else:
            return None
    return float(total + current) if seen else None


_BRACKETED = re.compile(
    r"\((?P<n>(?:[A-Z]{3}\s?|US\$\s?|[$€£])?\d[\d,.]*(?:\s(?:million|billion))?)\)"
)


def unbracket(sentence: str) -> str:
    """``sentence`` with the brackets of bracketed counts blanked, same length, so that
    the style of official statements reads as prose: "the killing of (7) terrorists",
    "an amount of (25) billion dinars". A restatement of the number before it ("two (2)")
    is blanked whole; a bracketed amount after another (a conversion) is left alone."""
    out = list(sentence)
    for m in _BRACKETED.finditer(sentence):
        before = sentence[max(0, m.start() - 30) : m.start()]
        if not sentence[: m.start()].strip():
            out[m.start() : m.end()] = " " * (m.end() - m.start())  # "(1) Contributing states"
            continue
        prev = find_numbers(before)
        if prev and not before[prev[-1].end :].strip():
            if prev[-1].currency:
                continue  # "ETB 3.5 billion (US$61 million)": a conversion, left alone
            inner = find_numbers(m.group("n"))
            if inner and inner[0].value == prev[-1].value:
                out[m.start() : m.end()] = " " * (m.end() - m.start())  # "two (2)"
                continue
        out[m.start()] = out[m.end() - 1] = " "
    return "".join(out)
