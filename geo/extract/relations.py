"""The phrases between a figure and a place that decide whether the place is the figure's:
"..., while X" (another clause), "X, where ... N people", "N people at X", "evacuated to X"
(where the wounded went), "X province in Y" (the inner place), "at X hospital" (a facility's
name), "on the X road" (a route, not the scene).
"""

from __future__ import annotations

import re

OTHER_CLAUSE = re.compile(
    r";|\s[\u2014\u2013]\s|,\s+(?:while|whereas|but|although|though|"
    r"a\s+move|which|prompting|angering|drawing|sparking|with\s+further|"
    r"with\s+more|with\s+others?|as(?!\s+(?:well|many|much|of|a\s+result)))\b|"
    r",\s+(?:a|an)\s+[\w'-]+\s+(?:that|which|whom)\b",
    re.I,
)
WHERE = re.compile(
    r"(?:\s+[\w'-]+)?(?:,\s+[^,;]{1,40})?,?\s+where\b[^,;]*|"
    r",\s+which\s+(?:now\s+|already\s+)?(?:has|have|had)\s+(?:already\s+)?"
    r"(?:received|taken\s+in|welcomed)[^,;]*",
    re.I,
)
RIGHT_AFTER = re.compile(
    r"\s+(?:of\s+(?:them|whom|these|those)\s+)?(?:[\w'-]+\s+){0,2}(?:in|at|near|inside|around)"
    r"\s+(?:the\s+)?(?:(?:municipality|district|town|city|village|province|state|region|"
    r"department|governorate|county|commune|township|prefecture|territory)\s+of\s+)?",
    re.I,
)
TAKEN_TO = re.compile(
    r"\b(?:receiving|undergoing|under|getting)\s+treatment\s+(?:at|in)\s+"
    r"[^,;.]{0,70}?(?:\s+in\s+)?(?:the\s+)?$|"
    r"\b(?:evacuated|taken|airlifted|transferred|rushed|flown|brought|"
    r"referred|admitted|treated|shifted|carried)\s+(?:to|in|into|at)\s+"
    r"(?:(?:a|an|the)\s+)?"
    r"(?:[\w'-]+\s+){0,2}?"
    r"(?:(?:[\w'-]+\s+){0,3}?(?:hospitals?|clinics?|cent(?:re|er)s?|"
    r"facilit(?:y|ies)|infirmary)\s+in\s+(?:the\s+)?)?$",
    re.I,
)
# "At Al-Thawra hospital in the city": a facility named after someone or somewhere
FACILITY = re.compile(
    r"\s+(?:hospital|clinic|health\s+cent(?:re|er)|school|university|"
    r"mosque|church|stadium|prison|market)\b",
    re.I,
)
# "on the Niono road", "the Thall-Parachinar rd": a route named after a town, not the scene
ROUTE = re.compile(
    r"(?:-[A-Z][\w'-]*)?\s+(?:road|rd|highway|axis|route|corridor|railway|"
    r"motorway|expressway)\b",
    re.I,
)
NESTED = re.compile(
    r"\s*,\s*(?:in\s+)?(?:the\s+)?|\s+(?:area|areas|outskirts|suburbs|district|"
    r"municipality|neighbourhood|neighborhood)\s+of\s+(?:the\s+)?|\s*,\s*(?:the\s+)?(?:[\w-]+\s+)?(?:capital|seat|"
    r"headquarters|main\s+town|largest\s+(?:town|city))\s+of\s+(?:the\s+)?|\s*,\s*(?:a|the)\s+(?:[\w-]+\s+){0,2}(?:town|"
    r"city|village|district|county|area|locality)\s+(?:in|of)\s+(?:the\s+)?|"
    r"(?:\s+(?:province|region|state|district|"
    r"governorate|county))?\s*\(\s*|"
    r"\s+(?:province|region|state|territory|district|county|governorate|"
    r"department)?\s*in\s+(?:the\s+)?",
    re.I,
)
# "told a news conference in Rawalpindi that ...": where the speaker was, not the event
SPEAKING_IN = re.compile(
    r"\b(?:(?:news|press)\s+conference|briefing|reporters|journalists|"
    r"speaking|statement)\s+in\s+(?:the\s+)?$",
    re.I,
)
