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

from geo.extract import lang

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
_PRE = (
    r"(?P<pre>US\s?\$|C\$|CA\$|A\$|AU\$|NZ\$|HK\$|R\$|"
    r"N(?=\d[\d,.]*\s?(?:billion|million|bn|m)\b)|Rp\.?|GH[¢₵]|GHS|"
    r"USD|EUR|GBP|KSh\.?|Ksh\.?|KES|CHF|JPY|CAD|AUD|UAH|SDG|ZAR|RWF|NOK|"
    r"SEK|ETB|Birr|PKR|INR|NGN|XAF|F?CFA|COP|LBP|SYP|YER|LYD|AMD|AZN|EGP|SAR|AED|"
    r"IQD|JOD|MXN|PHP|HTG|MMK|BDT|AFN|RUB|CNY|UGX|TZS|SOS|CDF|BIF|IRR|SSP|XOF|MZN|"
    r"Sh|Rs\.?|[$€£¥₹₦₺])"
)
_PHONE = re.compile(
    r"(?:\+|\b00)\d{1,3}[\s.-]?(?:\(?\d+\)?[\s.-]?){2,}\d+|\b\d{3,4}[\s.-]\d{3}[\s.-]\d{3,4}\b"
)


_FRACTIONS = {
    "half": 0.5,
    "quarter": 0.25,
    "third": 1 / 3,
    "three quarters": 0.75,
    "two thirds": 2 / 3,
}


@dataclass(frozen=True)
class _Lexicon:
    """The number reader's words and patterns for one language (``lang/<code>/``)."""

    months: dict[str, int]
    month_re: str
    currency_after: dict[str, str]
    scales: dict[str, float]
    thousands: str
    decimal: str
    numeric: re.Pattern[str]
    units: dict[str, int]
    word_scales: dict[str, float]
    articles: frozenset[str]
    connectors: frozenset[str]
    words: re.Pattern[str]
    patterns: dict[str, re.Pattern[str]]
    vague_value: dict[str, float]
    qualifiers: list[tuple[re.Pattern[str], str]]
    approx: dict[str, int]


_NAMED = (
    "one_victim dozen fraction vague suffix_qualifier id_before after_not_count conversion "
    "approx".split()
)


def _build(lg: lang.Language) -> _Lexicon:
    num = lg.table("numbers")
    months = {k: int(v) for k, v in lg.table("months").items()}
    words = lg.table("number_words")
    units = {k: int(v) for k, v in words.get("units", {}).items()}
    word_scales = {k: float(v) for k, v in words.get("scales", {}).items()}
    unit_re = "|".join(sorted(units, key=len, reverse=True)) or lang.NEVER
    articles = [str(a) for a in words.get("articles", [])]
    link = "|".join(str(a) for a in words.get("connectors", [])) or lang.NEVER
    word_re = re.compile(
        rf"\b(?P<w>(?:(?:{unit_re})(?:[\s-](?:{unit_re}))?{''.join('|' + a for a in articles)})"
        rf"(?:\s(?:(?:{link})\s)?(?:{unit_re}|{'|'.join(word_scales) or lang.NEVER})"
        rf"(?:-(?:{unit_re}))?)*)\b",
        re.I,
    )
    numeric = re.compile(
        r"(?<![\w.,/:+\-#])"
        + rf"(?:{_PRE}\s?)?"
        + num["digits"]
        + r"(?:(?P<plus>\+)|(?:\s{0,2}(?P<scale>"
        + num["scale_words"]
        + r")\b)|(?P<short>"
        + num["short_scales"]
        + r")\b)?(?:\s{1,2}(?P<post>"
        + num["currency_after"]
        + r")\b)?(?![\d]|[.,]\d|[A-Za-z])",
        re.I,
    )
    return _Lexicon(
        months=months,
        month_re="|".join(sorted(months, key=len, reverse=True)) or lang.NEVER,
        currency_after={k.lower(): str(v) for k, v in lg.table("currencies").items()},
        scales={k: float(v) for k, v in lg.table("scales").items()},
        thousands=num["thousands"],
        decimal=num["decimal"],
        numeric=numeric,
        units=units,
        word_scales=word_scales,
        articles=frozenset(articles),
        connectors=frozenset(str(a) for a in words.get("connectors", [])),
        words=word_re,
        patterns={k: re.compile(num.get(k) or lang.NEVER, re.I) for k in _NAMED},
        vague_value={k: float(v) for k, v in lg.table("vague").items()},
        qualifiers=[
            (re.compile(rf"(?:^|[\s(\"\u201c])(?:{'|'.join(pats)})\s*$", re.I), norm)
            for norm, pats in lg.table("qualifiers").items()
        ],
        approx={k: int(v) for k, v in lg.table("approx").items()},
    )


def _lex() -> _Lexicon:
    return lang.active().compiled("numbers", _build)  # type: ignore[no-any-return]


def months() -> dict[str, int]:
    """Month names of the active language -> month number."""
    return _lex().months


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

    lx = _lex()
    for m in _PHONE.finditer(sentence):
        taken.append(m.span())  # phone numbers are never counts
    for m in lx.patterns["one_victim"].finditer(sentence):
        taken.append(m.span())
        found.append(Number(m.start(), m.end(), m.group(0), 1.0, None, None, False, False))
    for m in lx.numeric.finditer(sentence):
        _numeric(sentence, m, add, taken)
    for m in lx.patterns["fraction"].finditer(sentence):
        frac = _FRACTIONS.get(
            re.sub(r"^(?:a|one)\s", "", m.group("f").lower()).replace("-", " "), 0.5
        )
        add(m.start(), m.end(), frac * lx.word_scales[m.group("s").lower()])
    for m in lx.patterns["dozen"].finditer(sentence):
        n = (m.group("n") or "").lower()
        if m.group(0).lower().endswith("dozens") and not n:
            add(m.start(), m.end(), 24, vague=True)
        else:
            mult = {"": 1, "a": 1, "one": 1, "half a": 0.5}.get(n) or lx.units.get(n, 1)
            add(m.start(), m.end(), 12 * mult)
    for m in lx.patterns["approx"].finditer(sentence):  # "une dizaine"
        add(m.start(), m.end(), lx.approx[m.group("a").lower()])
    for m in lx.words.finditer(sentence):
        value = parse_number_words(m.group("w"))
        if value is not None:
            add(m.start(), m.end(), value)
    for m in lx.patterns["vague"].finditer(sentence):
        word = m.group(0).lower().split()[0]
        add(m.start(), m.end(), lx.vague_value.get(word, 2000), vague=True)
    found.sort(key=lambda n: n.start)
    return _drop_conversions(sentence, found)


def _drop_conversions(sentence: str, found: list[Number]) -> list[Number]:
    out: list[Number] = []
    for n in found:
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.currency
            and n.currency
            and n.currency != prev.currency
            and _lex().patterns["conversion"].fullmatch(sentence[prev.end : n.start])
        ):
            continue
        out.append(n)
    return out


def _numeric(sentence: str, m: re.Match[str], add, taken: list[tuple[int, int]]) -> None:  # type: ignore[no-untyped-def]
    lx = _lex()
    raw = m.group("num")
    if lx.decimal == "," and re.fullmatch(r"\d{1,3}(?:,\d{3})+", raw):
        raw = raw.replace(",", "")  # "1,200" in a French report quoting English: thousands
    value = float("".join(c for c in raw if c not in lx.thousands).replace(lx.decimal, "."))
    short = m.group("short")
    pre, post = m.group("pre"), m.group("post")
    currency = None
    if pre:
        currency = _CURRENCY_PRE.get(re.sub(r"\s+", " ", pre.lower()).replace("us $", "us$"))
    if post:
        currency = currency or lx.currency_after.get(re.sub(r"\s+", " ", post.lower()))
    if short and not currency and short in ("m", "b"):
        return  # "500m" is metres; "2.3M" (capital, attached) is millions
    scale = m.group("scale") or short
    if scale:
        value *= lx.scales[_scale_key(scale)]
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


def _scale_key(scale: str) -> str:
    """The table key of a scale as written: "million", "M", "millions de" -> "millions"."""
    word = re.match(r"[^\W\d_]+", scale)
    return (word.group(0) if word else scale).lower()


def _not_a_count(sentence: str, start: int, end: int, currency: str | None) -> bool:
    lx = _lex()
    before = sentence[max(0, start - 40) : start]
    after = sentence[end : end + 20]
    if currency:
        return bool(re.match(r"\s?(?:%|percent|per\s?cent)", after, re.I))
    if lx.patterns["after_not_count"].match(after):
        return True
    # "Aug 20", "20 August", "August 20, 2025"
    if re.search(rf"\b(?:{lx.month_re})\.?\s*$", before, re.I):
        return True
    if re.match(rf"^\s*(?:{lx.month_re})\b", after, re.I) and sentence[start:end].isdigit():
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
    if token.isdigit() and lx.patterns["id_before"].search(before):
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
    for rx, norm in _lex().qualifiers:
        if rx.search(before):
            return norm
    if _lex().patterns["suffix_qualifier"].match(sentence[end : end + 20]):
        return "more than"
    return None


def parse_number_words(text: str) -> float | None:
    """The value of a run of number words, or None when it is not a number.

    >>> parse_number_words("two thousand"), parse_number_words("one hundred and twenty-five")
    (2000.0, 125.0)
    >>> parse_number_words("a"), parse_number_words("a million")
    (None, 1000000.0)
    """
    lx = _lex()
    words = [w for w in re.split(r"[\s-]+", text.lower().strip()) if w not in lx.connectors]
    if not words:
        return None
    total = current = 0.0
    seen = False
    if words[0] in lx.articles:  # "a million"; "a" alone is no number
        if len(words) == 1 or words[1] not in lx.word_scales:
            return None
        current, seen, words = 1.0, True, words[1:]
    for w in words:
        if w in lx.units:
            current += lx.units[w]
            seen = True
        elif lx.word_scales.get(w) == 100:  # "two hundred", "deux cents"
            current = max(current, 1) * 100
        elif w in lx.word_scales:
            total += max(current, 1) * lx.word_scales[w]
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
