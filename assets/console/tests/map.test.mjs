// @ts-check
// The map's projection (map.js): equirectangular, one unit = one degree of latitude = 111.2 km,
// fitted into the 480 × 420 view box with 8 % padding and at least 60 km shown.
import assert from "node:assert/strict";
import { describe, it } from "node:test";

import {
  hasLoc, inView, kmToUnits, makeProjection, MAP_H, MAP_W, mapBounds, MIN_SPAN_KM, outlineLayers, outlinePath,
  projX, projY, scaleBarKm, SIGUNGU_SPAN_KM,
} from "../map.js";

const EPS = 1e-6;
/** @param {number} actual @param {number} expected @param {number} [tol] @param {string} [what] */
const near = (actual, expected, tol = EPS, what = "") =>
  assert.ok(Math.abs(actual - expected) <= tol, `${what} ${actual} is not within ${tol} of ${expected}`);

const COS36 = Math.cos((36 * Math.PI) / 180);
const SEOUL = { lat: 37.5665, lon: 126.978 };
const BUSAN = { lat: 35.1796, lon: 129.0756 };
const none = { markers: [], commutes: [], maxDistanceKm: 0, origin: undefined };

describe("units", () => {
  it("111.2 km is one unit", () => {
    near(kmToUnits(111.2), 1);
    near(kmToUnits(55.6), 0.5);
    assert.equal(kmToUnits(undefined), 0);
  });
  it("projects longitude shrunk by cos 36° and latitude with north up", () => {
    near(projX({ lon: 127 }), 127 * COS36);
    near(projX({ lon: 127 }), 102.745, 1e-3);
    assert.equal(projY({ lat: 37 }), -37);
    assert.equal(projX({}), 0);
  });
  it("treats (0, 0) and absent points as no location", () => {
    assert.equal(hasLoc({ lat: 0, lon: 0 }), false);
    assert.equal(hasLoc({}), false);
    assert.equal(hasLoc(undefined), false);
    assert.equal(hasLoc(null), false);
    assert.equal(hasLoc({ lat: 37.2, lon: 0 }), true);
    assert.equal(hasLoc(SEOUL), true);
  });
});

describe("mapBounds", () => {
  it("is null when nothing at all has a location", () => {
    assert.equal(mapBounds({ ...none, markers: [{ lat: 0, lon: 0, id: "p", rank: 1, tooltip: "", beyond: false }] }, []), null);
  });
  it("widens a single point to the minimum span, then pads 8 % a side", () => {
    const b = /** @type {NonNullable<ReturnType<typeof mapBounds>>} */ (mapBounds({ ...none, origin: SEOUL }, []));
    const span = kmToUnits(MIN_SPAN_KM) * 1.16;
    near(b.x1 - b.x0, span);
    near(b.y1 - b.y0, span);
    near((b.x0 + b.x1) / 2, projX(SEOUL));
    near((b.y0 + b.y1) / 2, projY(SEOUL));
  });
  it("includes the max-distance circle around the origin", () => {
    const b = /** @type {NonNullable<ReturnType<typeof mapBounds>>} */ (mapBounds({ ...none, origin: SEOUL, maxDistanceKm: 100 }, []));
    near(b.y1 - b.y0, 2 * kmToUnits(100) * 1.16);
    near(b.x1 - b.x0, 2 * kmToUnits(100) * 1.16);
  });
  it("includes markers and commute circles, ignoring unlocated ones", () => {
    const b = /** @type {NonNullable<ReturnType<typeof mapBounds>>} */ (mapBounds({
      ...none,
      origin: SEOUL,
      markers: [{ ...BUSAN, id: "p", rank: 1, tooltip: "", beyond: false }, { id: "q", rank: 2, tooltip: "", beyond: false }],
      commutes: [{ id: "s", ...BUSAN, km: 111.2 }],
    }, []));
    const pad = (/** @type {number} */ span) => span * 0.08;
    const xSpan = projX(BUSAN) + 1 - projX(SEOUL);
    near(b.x0, projX(SEOUL) - pad(xSpan));
    near(b.x1, projX(BUSAN) + 1 + pad(xSpan));
    const ySpan = projY(BUSAN) + 1 - projY(SEOUL);
    near(b.y1, projY(BUSAN) + 1 + pad(ySpan));
  });
  it("shows all the regions when nothing else is located", () => {
    const regions = [{ lat: 33.5, lon: 126.5 }, { lat: 38.0, lon: 129.0 }];
    const b = /** @type {NonNullable<ReturnType<typeof mapBounds>>} */ (mapBounds(none, regions));
    near(b.y1 - b.y0, 4.5 * 1.16);
    near((b.y0 + b.y1) / 2, -35.75);
    // Once something is located, the regions no longer count.
    const c = /** @type {NonNullable<ReturnType<typeof mapBounds>>} */ (mapBounds({ ...none, origin: SEOUL }, regions));
    near(c.y1 - c.y0, kmToUnits(MIN_SPAN_KM) * 1.16);
  });
});

describe("makeProjection", () => {
  it("centres a lone origin, 60 km filling the height less its padding", () => {
    const P = makeProjection(/** @type {any} */ (mapBounds({ ...none, origin: SEOUL }, [])));
    near(P.x(SEOUL), MAP_W / 2);
    near(P.y(SEOUL), MAP_H / 2);
    near(P.r(MIN_SPAN_KM), MAP_H / 1.16, 1e-6, "60 km");
    near(P.s, MAP_H / (kmToUnits(MIN_SPAN_KM) * 1.16));
  });
  it("keeps one scale for both axes: a degree north is 111.2 km, a degree east cos 36° of it", () => {
    const P = makeProjection(/** @type {any} */ (mapBounds({ ...none, origin: SEOUL }, [])));
    near(P.y({ lat: 37, lon: 127 }) - P.y({ lat: 38, lon: 127 }), P.r(111.2));
    near(P.x({ lat: 37, lon: 128 }) - P.x({ lat: 37, lon: 127 }), P.r(111.2) * COS36);
  });
  it("fits Seoul and Busan by the tighter axis, the two 8 % in from the edges", () => {
    const P = makeProjection(/** @type {any} */ (mapBounds({ ...none, origin: SEOUL, markers: [{ ...BUSAN, id: "b", rank: 1, tooltip: "", beyond: false }] }, [])));
    // North–south is the longer way: 2.39° against 1.70 units east–west.
    near(P.s, MAP_H / ((SEOUL.lat - BUSAN.lat) * 1.16));
    near(P.y(SEOUL), MAP_H / 2 - MAP_H / 2 / 1.16);
    near(P.y(BUSAN), MAP_H / 2 + MAP_H / 2 / 1.16);
    near(P.y(SEOUL), 28.97, 0.01);
    near(P.x(SEOUL), 111.29, 0.01);
    near((P.x(SEOUL) + P.x(BUSAN)) / 2, MAP_W / 2);
    assert.ok(P.x(BUSAN) > P.x(SEOUL), "Busan is east of Seoul");
  });
});

describe("inView and the scale bar", () => {
  const P = makeProjection(/** @type {any} */ (mapBounds({ ...none, origin: SEOUL }, [])));
  it("tells what falls within the box (20 px margin by default)", () => {
    assert.equal(inView(P, SEOUL), true);
    assert.equal(inView(P, BUSAN), false);
    // The box is wider than high: 480 px at 6.03 px per km is 79.6 km across.
    const west = { lat: SEOUL.lat, lon: SEOUL.lon - 0.5 }; // 45 km west: 31 px past the left edge
    near(P.x(west), MAP_W / 2 - P.r(0.5 * 111.2 * COS36));
    near(P.x(west), -31.43, 0.01);
    assert.equal(inView(P, west), false);
    assert.equal(inView(P, west, 40), true);
    const nearWest = { lat: SEOUL.lat, lon: SEOUL.lon - 0.4 }; // 36 km: just inside
    assert.equal(inView(P, nearWest, 0), true);
  });
  it("picks the first round distance at least 60 px long", () => {
    assert.equal(scaleBarKm(P), 10); // 6.03 px per km
    const wide = makeProjection(/** @type {any} */ (mapBounds({ ...none, origin: SEOUL, markers: [{ ...BUSAN, id: "b", rank: 1, tooltip: "", beyond: false }] }, [])));
    assert.equal(scaleBarKm(wide), 50); // 1.36 px per km
    assert.equal(scaleBarKm({ s: 0.001, x: () => 0, y: () => 0, r: () => 1 }), 500);
  });
});

describe("outlines", () => {
  const P = makeProjection({ x0: projX({ lon: 126 }), x1: projX({ lon: 128 }), y0: projY({ lat: 38 }), y1: projY({ lat: 36 }) });
  it("one closed subpath per ring in view, in the projection's pixels", () => {
    const square = [126.5, 37.5, 127.5, 37.5, 127.5, 36.5, 126.5, 36.5];
    const d = outlinePath({ code: "41", name: "test", rings: [square] }, P);
    assert.equal((d.match(/M/g) || []).length, 1);
    assert.ok(d.endsWith("Z"), d);
    const first = d.slice(1).split("L")[0].split(" ").map(Number);
    near(first[0], P.x({ lon: 126.5, lat: 37.5 }), 0.051, "x");
    near(first[1], P.y({ lon: 126.5, lat: 37.5 }), 0.051, "y");
  });
  it("leaves out rings wholly outside the view and rings of fewer than three points", () => {
    const far = [140, 30, 141, 30, 141, 31];
    const line = [126.5, 37.5, 127.5, 37.5];
    assert.equal(outlinePath({ code: "x", name: "x", rings: [far, line] }, P), "");
  });
  it("adds the sigungu layer only when zoomed in", () => {
    const span = (km) => ({ x0: 0, y0: 0, x1: kmToUnits(km), y1: kmToUnits(km) / 2 });
    assert.deepEqual(outlineLayers(span(SIGUNGU_SPAN_KM * 2)), ["sido"]);
    assert.deepEqual(outlineLayers(span(SIGUNGU_SPAN_KM / 2)), ["sido", "sigungu"]);
  });
});
