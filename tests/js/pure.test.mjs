// Unit tests of the runtime's pure helpers (geo/assets/js/10-pure.js), run with
// `node --test tests/js/` (tests/test_js.py runs them under pytest when node exists).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const src = readFileSync(
  fileURLToPath(new URL("../../geo/assets/js/10-pure.js", import.meta.url)), "utf8");
// The module is a piece of one function scope: evaluate it in a scope of its own and
// hand back the names it defines.
const names = [...src.matchAll(/^ {2}function (\w+)/gm)].map((m) => m[1]);
const pure = new Function(src + "\nreturn {" + names.join(", ") + "};")();

test("the pure module touches neither Leaflet nor the page", () => {
  assert.doesNotMatch(src, /\bL\.|document\.|window\./);
});

test("eventRadius grows with the square root of fatalities and is capped", () => {
  assert.equal(pure.eventRadius(0), 3);
  assert.equal(pure.eventRadius(NaN), 3);
  assert.equal(pure.eventRadius(4), 6);
  assert.equal(pure.eventRadius(1e6), 14);
});

test("coordText names an event by its coordinates (1e-5 degree integers)", () => {
  assert.equal(pure.coordText({ lat: [1234560], lon: [-750000] }, 0), "12.3456, -7.5");
});

const cfg = { name: "Events", groupLabel: "Event type", valueLabel: "Fatalities",
  extra: [], dicts: { n: ["Goma"], g: ["Battles"], d: ["2024-05-01"], s: ["ACLED"],
    pr: ["city", "admin1"] } };
const cols = { n: [0], g: [0], d: [0], v: [3], s: [0], pr: [1], a: [1],
  lat: [0], lon: [0] };

test("eventContent lists what a reader needs, with an approximate location spelled out", () => {
  const c = pure.eventContent(cfg, cols, { i: 0 });
  assert.equal(c.t, "Goma");
  assert.deepEqual(c.r, [["Event type", "Battles"], ["Date", "2024-05-01"],
    ["Fatalities", "3"], ["Approximate location", "Goma (province or state)"], ["Source", "ACLED"]]);
  assert.equal(pure.tipText(c), "Goma: Battles");
});

test("a bin's popup counts its events and fatalities", () => {
  const c = pure.eventContent(cfg, cols, { bin: true, count: 1234, fat: 56.4 });
  assert.deepEqual(c.r[0], ["Events (the bin's number)", "1,234"]);
  assert.deepEqual(c.r[1], ["Fatalities (sum)", "56"]);
});

test("a missing fatality count reads 'not reported'", () => {
  const c = pure.eventContent(cfg, { ...cols, v: [NaN] }, { i: 0 });
  assert.deepEqual(c.r[2], ["Fatalities", "not reported"]);
});

test("placeLabels keeps the most important labels that do not collide", () => {
  const items = [
    { x: 10, y: 10, w: 50, h: 16 },            // placed
    { x: 40, y: 15, w: 50, h: 16 },            // overlaps the first: dropped
    { x: 100, y: 10, w: 50, h: 16 },           // free: placed
    { x: 390, y: 10, w: 50, h: 16 },           // outside the 400 px view: dropped
  ];
  assert.deepEqual(pure.placeLabels(items, 400, 300), [0, 2]);
});

test("placeLabels never draws over an obstacle (a symbol or a control)", () => {
  const items = [{ x: 0, y: 0, w: 100, h: 100, fixed: true }, { x: 50, y: 50, w: 40, h: 16 },
    { x: 150, y: 50, w: 40, h: 16 }];
  assert.deepEqual(pure.placeLabels(items, 400, 300), [2]);
});

const feats = [
  { p: 0, k: 0 }, { p: 1, k: 0 },   // one place, periods 0 and 1
  { p: 0, k: 1 },                   // another place, period 0 only
  { p: -1, k: 2 },                  // undated: always shown
];
const periods = ["2024-06", "2025-08"];

test("periodFilter: an exact period shows its own features and the undated ones", () => {
  assert.deepEqual(pure.periodFilter(feats, null, periods, false), [0, 1, 2, 3]);
  assert.deepEqual(pure.periodFilter(feats, "2025-08", periods, false), [1, 3]);
});

test("periodFilter 'as of' carries each place's latest figure forward", () => {
  assert.deepEqual(pure.periodFilter(feats, "2025-08", periods, true), [1, 2, 3]);
  assert.deepEqual(pure.periodFilter(feats, "2024-06", periods, true), [0, 2, 3]);
  assert.deepEqual(pure.periodFilter(feats, "", periods, true), [3]);
});

test("pickGrid and pickNearest find the event under the cursor among many", () => {
  // events 7 at (100, 100), 8 at (103, 101), 9 at (300, 40); flat [i, x, y, ...]
  const vis = [7, 100, 100, 8, 103, 101, 9, 300, 40];
  const pick = pure.pickGrid(vis, 400, 200);
  assert.deepEqual(pure.pickNearest(pick, 299, 41), { i: 9, x: 300, y: 40 });
  assert.equal(pure.pickNearest(pick, 104, 101).i, 8);
  assert.equal(pure.pickNearest(pick, 200, 150), null); // nothing within two cells
  assert.equal(pure.pickNearest(pick, -100, -100), null); // off the grid
});

test("pickNearest reaches further when asked (a bin's events around its centre)", () => {
  const pick = pure.pickGrid([3, 100, 100], 400, 200);
  assert.equal(pure.pickNearest(pick, 140, 100), null);
  assert.equal(pure.pickNearest(pick, 140, 100, 15).i, 3);
});
