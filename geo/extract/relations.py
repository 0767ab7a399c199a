"""The phrases between a figure and a place that decide whether the place is the figure's:
"..., while X" (another clause), "X, where ... N people", "N people at X", "evacuated to X"
(where the wounded went), "X province in Y" (the inner place), "at X hospital" (a facility's
name), "on the X road" (a route, not the scene).
"""

from __future__ import annotations

from geo.extract import lang

OTHER_CLAUSE = lang.Pattern("relations", "other_clause")
WHERE = lang.Pattern("relations", "where")
RIGHT_AFTER = lang.Pattern("relations", "right_after")
TAKEN_TO = lang.Pattern("relations", "taken_to")
# "At Al-Thawra hospital in the city": a facility named after someone or somewhere
FACILITY = lang.Pattern("relations", "facility")
# "on the Niono road", "the Thall-Parachinar rd": a route named after a town, not the scene
ROUTE = lang.Pattern("relations", "route")
NESTED = lang.Pattern("relations", "nested")
# "told a news conference in Rawalpindi that ...": where the speaker was, not the event
SPEAKING_IN = lang.Pattern("relations", "speaking_in")
