"""Read a report (file, stdin or text), reduce HTML to text, split paragraphs and sentences.

A report is read as bytes, decoded (UTF-8 first, then the best guess of charset-normalizer),
refused with an :class:`~geo.errors.InputError` naming the file when it is empty, binary or
undecodable, and turned into :class:`Report`: its paragraphs, each a tuple of sentences.

    >>> rep = report_from_text("GOMA, Aug 3 - Fighting resumed. Rebels advanced.\\n\\nMore.")
    >>> [len(p) for p in rep.paragraphs]
    [2, 1]
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from geo.errors import InputError
from geo.extract.tables import tables_to_prose

# Elements whose text is never part of the article.
_SKIP_TAGS = frozenset(
    {
        "script",
        "style",
        "nav",
        "noscript",
        "svg",
        "form",
        "button",
        "aside",
        "footer",
        "header",
        "iframe",
        "select",
        "template",
        "figure",
        "menu",
    }
)
# Elements that end a paragraph.
_BLOCK_TAGS = frozenset(
    {
        "p",
        "div",
        "br",
        "li",
        "ul",
        "ol",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "tr",
        "table",
        "section",
        "article",
        "blockquote",
        "title",
        "dd",
        "dt",
        "pre",
        "hr",
        "main",
        "body",
    }
)
_VOID_TAGS = frozenset({"br", "hr", "img", "meta", "link", "input", "source", "wbr"})
_DATE_META = (
    "article:published_time",
    "datepublished",
    "date",
    "pubdate",
    "dc.date",
    "og:published_time",
    "publish-date",
    "article.published",
)
_HTML_START = re.compile(
    r"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S
)
_BULLET = re.compile(r"^\s*(?:[-*\u2022\u25aa\u25cf\u2013\u2014>]|\d{1,2}[.)])\s+")
_ABBREV = frozenset(
    "mr mrs ms dr gen lt col maj capt sgt st no vs etc jan feb mar apr jun jul aug sep sept "
    "oct nov dec approx est fig inc ltd co corp gov sen rep rev u.s u.n e.g i.e rs rp sh ksh "
    "incl".split()
)


@dataclass(frozen=True)
class Report:
    """One report: its name (file name or ``<stdin>``), title, publication date if the
    page states it (``YYYY-MM-DD``), and paragraphs as tuples of sentences."""

    name: str
    title: str | None
    published: str | None
    paragraphs: tuple[tuple[str, ...], ...]

    @property
    def text(self) -> str:
        return "\n\n".join(" ".join(p) for p in self.paragraphs)


class _TextParser(HTMLParser):
    """Collect the visible article text of an HTML page, one paragraph per block."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self._buf: list[str] = []
        self._skip = 0
        self._in_title = False
        self.title: str | None = None
        self.published: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k.lower(): (v or "") for k, v in attrs}
        if tag == "meta":
            key = (a.get("property") or a.get("name") or a.get("itemprop") or "").lower()
            if key in _DATE_META and not self.published:
                self.published = a.get("content") or None
            if key == "og:title" and a.get("content"):
                self.title = a["content"].strip()
            return
        if tag == "time" and not self.published and a.get("datetime"):
            self.published = a["datetime"]
        if tag in _SKIP_TAGS:
            if tag not in _VOID_TAGS:
                self._skip += 1
            return
        if tag == "title":
            self._in_title = True
        if tag in _BLOCK_TAGS:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self._skip = max(0, self._skip - 1)
            return
        if tag == "title":
            self._in_title = False
            text = " ".join("".join(self._buf).split())
            self._buf = []
            if text and not self.title:
                self.title = text
            return
        if tag in ("td", "th"):
            self._buf.append(" | ")  # table cells stay on their row's line: tables.py
        if tag in _BLOCK_TAGS:
            self._flush()

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self._buf.append(data)

    def _flush(self) -> None:
        text = " ".join("".join(self._buf).split()).strip(" |")
        self._buf = []
        if text and not self._in_title:
            self.blocks.append(text)


def html_to_text(html: str) -> tuple[str, str | None, str | None]:
    """Reduce an HTML page to ``(text, title, published)``; scripts, styles, navigation,
    headers and footers are dropped, and each block element becomes a paragraph.

    >>> html_to_text("<html><nav>Home</nav><p>Goma fell.</p><script>x=1</script></html>")[0]
    'Goma fell.'
    """
    parser = _TextParser()
    parser.feed(html)
    parser.close()
    parser._flush()
    return "\n\n".join(parser.blocks), parser.title, parser.published


def decode(data: bytes, name: str) -> str:
    """Decode the bytes of a report, or raise InputError naming ``name``."""
    if not data.strip():
        raise InputError(f"{name}: the report is empty; give a text or HTML file with content")
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(
            f"{name}: looks like a binary file (it contains NUL bytes); "
            "geo extract reads plain text or HTML reports"
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        raise InputError(
            f"{name}: cannot decode the text (not UTF-8 and no known encoding fits); "
            "re-save it as UTF-8"
        )
    text = str(best)
    if "\x00" in text:
        raise InputError(f"{name}: looks like a binary file; geo extract reads text or HTML")
    return text


def read_report(source: str | Path) -> Report:
    """Read one report: a path, ``"-"`` for stdin, or the text itself (a str that
    contains a line break or does not look like a file name).

    Raises InputError for a missing, empty, binary or undecodable file.
    """
    if isinstance(source, Path) or _looks_like_path(source):
        path = Path(source)
        if str(source) == "-":
            return parse_report(decode(sys.stdin.buffer.read(), "<stdin>"), "<stdin>")
        if not path.is_file():
            raise InputError(f"{path}: no such report file")
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise InputError(f"{path}: cannot read the report ({exc.strerror})") from exc
        return parse_report(
            decode(data, path.name),
            path.name,
            html=path.suffix.lower() in (".html", ".htm", ".xhtml"),
        )
    if not str(source).strip():
        raise InputError("<text>: the report is empty")
    return parse_report(str(source), "<text>")


def _looks_like_path(source: str) -> bool:
    if source == "-":
        return True
    if "\n" in source or len(source) > 400:
        return False
    try:
        exists = Path(source).exists()
    except OSError:  # a sentence longer than a file name may be ("File name too long")
        exists = False
    # one word ending in a file extension ("missing.csv") is a file name, not a report
    return exists or bool(re.fullmatch(r"\S+\.[A-Za-z][A-Za-z0-9]{0,5}", source.strip()))


def report_from_text(text: str, name: str = "<text>") -> Report:
    """A Report from text already in memory (HTML is detected and reduced)."""
    return parse_report(text, name)


def parse_report(text: str, name: str, *, html: bool = False) -> Report:
    """Split decoded text (plain or HTML) into paragraphs and sentences."""
    title = published = None
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\xa0", " ")
    if html or _HTML_START.match(text) or re.search(r"<(?:p|div|br)\b[^>]*>", text[:5000], re.I):
        text, title, published = html_to_text(text)
    text = tables_to_prose(text)
    paragraphs = tuple(tuple(split_sentences(p)) for p in split_paragraphs(text))
    paragraphs = tuple(p for p in paragraphs if p)
    if title is None and paragraphs:
        first = paragraphs[0]
        if len(first) == 1 and len(first[0]) < 200 and not first[0].endswith("."):
            title = first[0]
    return Report(name=name, title=title, published=published, paragraphs=paragraphs)


def split_paragraphs(text: str) -> list[str]:
    """Paragraphs: blank-line separated blocks; bullet items and headings stay apart,
    hard-wrapped lines are joined.

    >>> split_paragraphs("Key figures\\n- 1,200 killed\\n- 300 injured\\n\\nA long para\\nwrapped.")
    ['Key figures', '1,200 killed', '300 injured', 'A long para wrapped.']
    """
    out: list[str] = []
    for block in re.split(r"\n\s*\n", text):
        current: list[str] = []
        closed = ""  # "item": ``current`` is a bullet item; "line": a dateline
        run = 0  # characters of ``current`` since its last sentence end
        for raw in block.split("\n"):
            line = " ".join(raw.split())
            if not line:
                continue
            bullet = _BULLET.match(raw) or _CHAT.match(raw)
            if bullet:  # a list item, or a chat message without its time and sender
                line = " ".join(raw[bullet.end() :].split())
            # a dateline under a title ("Culiacán, Sinaloa, Tuesday, October 14, 2025")
            # is a line of its own
            dated = bool(_DATED_LINE.match(line) or _FIGURE_LINE.match(raw))
            bullet = bullet or dated
            starts_new = bool(bullet) or (
                current
                and (
                    re.search(r"[.!?:;\"\u201d]$", current[-1]) is not None
                    and line[:1].isupper()
                    or len(current[-1]) < 60
                    and not re.search(r"[,a-z]$", current[-1])
                    or _heading_line(current, line)
                )
            )
            if closed and current:  # a bullet item goes on only on indented lines
                starts_new = bool(bullet) or not (
                    closed == "item"
                    and raw[:1].isspace()
                    and not re.search(r"[.!?:;]$", current[-1])
                )
            if current and run > MAX_RUN and not _LINE_END.search(current[-1]):
                starts_new = True  # a list without punctuation, not a wrapped sentence
            if starts_new and current:
                out.append(" ".join(current))
                current = []
                closed = ""
                run = 0
            current.append(line)
            ends = [m.end() for m in _RUN_END.finditer(line)]
            run = len(line) - ends[-1] if ends else run + len(line) + 1
            if bullet:
                closed = "line" if dated else "item"
        if current:
            out.append(" ".join(current))
    return [p for p in out if p.strip()]


# The extractor's work on a sentence grows faster than its length (every number is read
# against every place), so hostile text must not make one endless sentence (issue 16).
# Lines are joined into one sentence for at most MAX_RUN characters without a sentence end
# (a hard-wrapped sentence; a chat export or a pasted table without full stops is cut at
# its line breaks), and a sentence longer than MAX_SENTENCE is cut at a comma or a space.
# Real sentences of news reports stay well under both (the longest seen: ~950 characters).
MAX_RUN = 400
MAX_SENTENCE = 1200
_RUN_END = re.compile(r"[.!?;:][\"'\u201d\u2019)\]]*(?=\s|$)")
_LINE_END = re.compile(r"[.!?:;][\"'\u201d\u2019)\]]*$")
_WORDS = re.compile(r"[^\W_][\w'-]*")  # words of a heading, not its dashes or bars
# "[24/11/25, 08:12] Gul Zaman (Kurram FL): " -- a chat export's time stamp and sender
_CHAT = re.compile(
    r"\s*\[\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4},?\s+\d{1,2}:\d{2}(?::\d{2})?"
    r"(?:\s*[APap][Mm])?\]\s*[^:\n]{1,60}?:\s+"
)
# "  93,400   people newly displaced ...": a key-figure line, number first, is a line of its own
_FIGURE_LINE = re.compile(r"\s*(?:US\$|[$€£])?\d[\d,.]*\s?(?:[KMB]|million|%)?\s{2,}\S")
_DATED_LINE = re.compile(r"[A-Z][^.!?]{0,70}\b(?:19|20)\d{2}$")


def _heading_line(current: list[str], line: str) -> bool:
    """A block's short first line over a capitalised longer one: "South Kivu" above
    "M23 advanced towards Bukavu, ..." is a section heading, not the start of a sentence."""
    head = current[0]
    return (
        len(current) == 1
        and len(head) < 50
        and len(_WORDS.findall(head)) <= 4
        and not re.search(r"[\W\d]$", head)
        and head[:1].isupper()
        and line[:1].isupper()
        and len(line) > len(head) + 20
    )


_SENT_END = re.compile(
    r"([.!?])([\"'\u201d\u2019)\]]*)\s+(?=[\"'\u201c\u2018(\[]?[A-Z0-9\u00c0-\u024f])"
)


def split_sentences(paragraph: str) -> list[str]:
    """Split a paragraph into sentences without breaking at abbreviations or decimals.

    >>> split_sentences("Gen. Kagame spoke. About 1.2 million fled. The U.N. said so.")
    ['Gen. Kagame spoke.', 'About 1.2 million fled.', 'The U.N. said so.']
    """
    sentences: list[str] = []
    start = 0
    for m in _SENT_END.finditer(paragraph):
        if m.group(1) == "." and _abbreviation(paragraph, start, m.start()):
            continue
        end = m.end(2)
        sentences.append(paragraph[start:end].strip())
        start = m.end()
    tail = paragraph[start:].strip()
    if tail:
        sentences.append(tail)
    return [piece for s in sentences if s for piece in _cut_long(s)]


def _abbreviation(paragraph: str, start: int, dot: int) -> bool:
    """Whether the word before the full stop at ``dot`` is an abbreviation ("Gen.", "U.N.").
    Only the last characters are read: a longer word is none (and a paragraph of many
    abbreviations stays linear)."""
    window = max(start, dot - 40)
    word = re.search(r"([\w.]+)$", paragraph[window:dot])
    if word is None or (
        word.start() == 0 and window > start and re.match(r"[\w.]", paragraph[window - 1])
    ):
        return False
    token = word.group(1).lower()
    return token in _ABBREV or re.fullmatch(r"(?:[a-z]\.)*[a-z]", token) is not None


def _cut_long(sentence: str) -> list[str]:
    """A sentence longer than MAX_SENTENCE as pieces of at most that length, cut after the
    last comma or semicolon of each piece, else at its last space, else anywhere."""
    pieces: list[str] = []
    while len(sentence) > MAX_SENTENCE:
        head = sentence[:MAX_SENTENCE]
        cut = max(head.rfind(", "), head.rfind("; "))
        cut = cut + 1 if cut > MAX_SENTENCE // 2 else head.rfind(" ")
        if cut <= 0:
            cut = MAX_SENTENCE
        pieces.append(sentence[:cut].strip())
        sentence = sentence[cut:].strip()
    if sentence:
        pieces.append(sentence)
    return pieces
