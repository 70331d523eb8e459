// @ts-check
// The SVG map of a posting (its workplace, candidates and their commute circles) or of a seeker
// (their home, commute and postings), over the province outlines (sigungu too when zoomed in)
// and the gazetteer's points of Korea's regions. No tiles, no library: an equirectangular
// projection fitted to what must be visible. The outlines are NGII's boundaries, simplified and
// compiled into the server (assets/boundaries/README.md).
// The projection is pure (the tests import this module); drawing needs a document.

import { $, $$, el, svgEl } from "./dom.js";
import { fixed, list, num, str } from "./format.js";
import { t } from "./i18n/index.js";
import { state } from "./state.js";

/** @typedef {import("./types.js").MapRegion} MapRegion */

/**
 * Anything with coordinates; (0, 0) counts as no location (proto3 leaves both out).
 * @typedef {{ lat?: number, lon?: number }} LatLon
 */

/**
 * A marker: a candidate's home or a posting's workplace, with its rank in the list.
 * @typedef {object} Marker
 * @property {string} id the seeker's or the posting's id (the row's too)
 * @property {number} [lat]
 * @property {number} [lon]
 * @property {number} rank
 * @property {string} tooltip
 * @property {boolean} beyond outside the seeker's commute
 */

/**
 * A commute circle around a seeker's home.
 * @typedef {object} Commute
 * @property {string} id the seeker's id
 * @property {number} [lat]
 * @property {number} [lon]
 * @property {number} km its radius
 */

/**
 * @typedef {object} MapOptions
 * @property {"posting" | "seeker"} kind posting: origin = workplace, markers = candidates;
 *   seeker: origin = home, markers = postings
 * @property {LatLon | undefined} origin
 * @property {Marker[]} markers best rank first
 * @property {Commute[]} commutes
 * @property {number} maxDistanceKm the max-distance circle around the origin; 0 for none
 * @property {string} label the map's accessible name
 */

/** @typedef {{ x0: number, y0: number, x1: number, y1: number }} Bounds */

/**
 * @typedef {object} Projection
 * @property {number} s pixels per unit (one unit = one degree of latitude)
 * @property {(p: LatLon) => number} x
 * @property {(p: LatLon) => number} y
 * @property {(km: number) => number} r a distance in pixels
 */

export const MAP_W = 480;
export const MAP_H = 420;
export const KM_PER_DEG_LAT = 111.2;
const LON_FACTOR = Math.cos((36 * Math.PI) / 180);
/** The least span (km) a map shows, so that one point or a close pair is not zoomed to nothing. */
export const MIN_SPAN_KM = 60;

/**
 * @param {LatLon | null | undefined} p
 * @returns {boolean}
 */
export const hasLoc = (p) => !!p && (num(p.lat) !== 0 || num(p.lon) !== 0);

// Equirectangular, in "degrees of latitude" units so that 1 unit = 111.2 km on both axes.
/** @param {LatLon} p @returns {number} */
export const projX = (p) => num(p.lon) * LON_FACTOR;
/** @param {LatLon} p @returns {number} north is up */
export const projY = (p) => -num(p.lat);
/** @param {unknown} km @returns {number} */
export const kmToUnits = (km) => num(km) / KM_PER_DEG_LAT;

/**
 * Bounds of the things that must be visible: origin (with its max-distance circle), markers and
 * commute circles; all of Korea's regions when none is located. At least MIN_SPAN_KM wide and
 * high, then 8 % padding on every side. Null when nothing at all has a location.
 * @param {Pick<MapOptions, "origin" | "maxDistanceKm" | "markers" | "commutes">} opts
 * @param {LatLon[]} regions
 * @returns {Bounds | null}
 */
export function mapBounds(opts, regions) {
  const b = { x0: Infinity, y0: Infinity, x1: -Infinity, y1: -Infinity };
  /** @param {LatLon | undefined} p @param {number} [rKm] */
  const add = (p, rKm = 0) => {
    if (!p || !hasLoc(p)) return;
    const r = kmToUnits(rKm);
    b.x0 = Math.min(b.x0, projX(p) - r); b.x1 = Math.max(b.x1, projX(p) + r);
    b.y0 = Math.min(b.y0, projY(p) - r); b.y1 = Math.max(b.y1, projY(p) + r);
  };
  add(opts.origin, opts.maxDistanceKm || 0);
  opts.markers.forEach((m) => add(m));
  opts.commutes.forEach((c) => add(c, c.km));
  if (!Number.isFinite(b.x0)) regions.forEach((r) => add(r)); // nothing located: all of Korea
  if (!Number.isFinite(b.x0)) return null;
  const minSpan = kmToUnits(MIN_SPAN_KM);
  for (const [lo, hi] of /** @type {const} */ ([["x0", "x1"], ["y0", "y1"]])) {
    const span = b[hi] - b[lo];
    if (span < minSpan) { const grow = (minSpan - span) / 2; b[lo] -= grow; b[hi] += grow; }
    const pad = (b[hi] - b[lo]) * 0.08;
    b[lo] -= pad; b[hi] += pad;
  }
  return b;
}

/**
 * The projection that fits `b` into the MAP_W × MAP_H view box, centred, one scale for both axes.
 * @param {Bounds} b
 * @returns {Projection}
 */
export function makeProjection(b) {
  const s = Math.min(MAP_W / (b.x1 - b.x0), MAP_H / (b.y1 - b.y0));
  const cx = (b.x0 + b.x1) / 2, cy = (b.y0 + b.y1) / 2;
  return {
    s,
    x: (p) => (projX(p) - cx) * s + MAP_W / 2,
    y: (p) => (projY(p) - cy) * s + MAP_H / 2,
    r: (km) => kmToUnits(km) * s,
  };
}

/**
 * Whether `p` falls within the view box, give or take `margin` pixels.
 * @param {Projection} P
 * @param {LatLon} p
 * @param {number} [margin]
 * @returns {boolean}
 */
export const inView = (P, p, margin = 20) => {
  const x = P.x(p), y = P.y(p);
  return x > -margin && x < MAP_W + margin && y > -margin && y < MAP_H + margin;
};

/**
 * The scale bar's length: the first round distance at least 60 px long (500 km at most).
 * @param {Projection} P
 * @returns {number} km
 */
export function scaleBarKm(P) {
  const choices = [1, 2, 5, 10, 20, 50, 100, 200, 500];
  return choices.find((c) => P.r(c) >= 60) || choices[choices.length - 1];
}

/**
 * The base map from regions.json, loaded once and shared. A failure leaves the map without its
 * grey dots rather than breaking the page.
 * @returns {Promise<MapRegion[]>}
 */
export function loadRegions() {
  if (!state.regionsPromise) {
    state.regionsPromise = fetch("/console/regions.json", { credentials: "same-origin" })
      .then((r) => (r.ok ? r.json() : { regions: [] }))
      .then((j) => list(j && j.regions))
      .catch(() => []);
  }
  return state.regionsPromise;
}

/**
 * One region's outline as assets/boundaries/*.json give it: rings of [lon, lat, lon, lat, …]
 * (open: the last point joins the first).
 * @typedef {object} Outline
 * @property {string} code
 * @property {string} name
 * @property {number[][]} rings
 */

/** Below this span (km, the wider side of the view), the sigungu outlines are drawn too. */
export const SIGUNGU_SPAN_KM = 160;

/**
 * The boundary layers a view shows: the provinces always, the sigungu when zoomed in.
 * @param {Bounds} b
 * @returns {("sido" | "sigungu")[]}
 */
export function outlineLayers(b) {
  const spanKm = Math.max(b.x1 - b.x0, b.y1 - b.y0) * KM_PER_DEG_LAT;
  return spanKm < SIGUNGU_SPAN_KM ? ["sido", "sigungu"] : ["sido"];
}

/**
 * The SVG path of an outline's rings in view (each ring one closed subpath; rings wholly outside
 * the view box are left out), "" when none is.
 * @param {Outline} outline
 * @param {Projection} P
 * @returns {string}
 */
export function outlinePath(outline, P) {
  const parts = [];
  for (const ring of list(outline.rings)) {
    const xy = [];
    let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
    for (let i = 0; i + 1 < ring.length; i += 2) {
      const p = { lon: ring[i], lat: ring[i + 1] };
      const x = P.x(p), y = P.y(p);
      x0 = Math.min(x0, x); x1 = Math.max(x1, x); y0 = Math.min(y0, y); y1 = Math.max(y1, y);
      xy.push(`${fixed(x, 1)} ${fixed(y, 1)}`);
    }
    if (xy.length < 3 || x1 < 0 || x0 > MAP_W || y1 < 0 || y0 > MAP_H) continue;
    parts.push(`M${xy.join("L")}Z`);
  }
  return parts.join("");
}

/**
 * A boundary layer, fetched once and shared; a failure leaves the map without outlines rather
 * than breaking the page.
 * @param {"sido" | "sigungu"} layer
 * @returns {Promise<Outline[]>}
 */
function loadOutlines(layer) {
  let loaded = state.outlines.get(layer);
  if (!loaded) {
    loaded = fetch(`/console/boundaries/${layer}.json`, { credentials: "same-origin" })
      .then((r) => (r.ok ? r.json() : { features: [] }))
      .then((j) => /** @type {Outline[]} */ (list(j && j.features)))
      .catch(() => []);
    state.outlines.set(layer, loaded);
  }
  return loaded;
}

/**
 * The outlines under everything else, filled in as their layers arrive (the map is drawn at once).
 * @param {SVGSVGElement} svg
 * @param {Projection} P
 * @param {Bounds} b
 */
function drawOutlines(svg, P, b) {
  const g = svgEl("g", { class: "outlines", "aria-hidden": "true" });
  svg.append(g);
  for (const layer of outlineLayers(b)) {
    const layerGroup = svgEl("g", { class: `outline-layer ${layer}` });
    g.append(layerGroup);
    loadOutlines(layer).then((outlines) => {
      for (const outline of outlines) {
        const d = outlinePath(outline, P);
        if (d) layerGroup.append(svgEl("path", { class: `outline ${layer}`, "data-code": str(outline.code), d }));
      }
    });
  }
  svg.append(svgEl("text", { class: "map-attribution", x: MAP_W - 6, y: MAP_H - 6, "text-anchor": "end", text: t("mapAttribution") }));
}

/**
 * @param {SVGSVGElement} svg
 * @param {Projection} P
 * @param {MapRegion[]} regions
 */
function drawBase(svg, P, regions) {
  const g = svgEl("g", { class: "base-layer", "aria-hidden": "true" });
  const labels = [];
  for (const r of regions) {
    if (!hasLoc(r) || !inView(P, r)) continue;
    const sido = r.level === "sido";
    g.append(svgEl("circle", { class: sido ? "base sido" : "base", cx: fixed(P.x(r), 1), cy: fixed(P.y(r), 1), r: sido ? 4 : 2 }));
    if (sido) {
      const name = state.lang === "en" ? str(r.nameEn || r.shortName) : str(r.shortName || r.name);
      labels.push(svgEl("text", { class: "base-label", x: fixed(P.x(r) + 6, 1), y: fixed(P.y(r) + 3, 1), text: name }));
    }
  }
  g.append(...labels); // labels above every dot
  svg.append(g);
}

/**
 * @param {SVGSVGElement} svg
 * @param {Projection} P
 */
function drawScaleBar(svg, P) {
  const km = scaleBarKm(P);
  const w = P.r(km), x = 12, y = MAP_H - 14;
  svg.append(svgEl("g", { class: "scale", "aria-hidden": "true" },
    svgEl("rect", { x: x - 4, y: y - 16, width: fixed(w + 8, 1), height: 22, fill: "rgba(255,255,255,0.75)", rx: 3 }),
    svgEl("path", { class: "scale-bar", d: `M${x} ${y - 4}V${y}H${fixed(x + w, 1)}V${y - 4}`, fill: "none" }),
    svgEl("text", { class: "scale-label", x, y: y - 6, text: `${km} km` })));
}

/**
 * Draws <svg id="map"> for a posting or a seeker (see MapOptions).
 * @param {MapOptions} opts
 * @param {MapRegion[]} regions
 * @returns {SVGSVGElement}
 */
export function drawMap(opts, regions) {
  const svg = svgEl("svg", { id: "map", role: "img", "aria-label": opts.label, viewBox: `0 0 ${MAP_W} ${MAP_H}`, preserveAspectRatio: "xMidYMid meet" });
  svg.append(svgEl("title", { text: opts.label }));
  const b = mapBounds(opts, regions);
  if (!b) return svg;
  const P = makeProjection(b);
  const idAttr = opts.kind === "posting" ? "data-seeker-id" : "data-posting-id";
  drawOutlines(svg, P, b);
  drawBase(svg, P, regions);

  const circles = svgEl("g", { class: "circles" });
  for (const c of opts.commutes) {
    if (!hasLoc(c) || !(c.km > 0)) continue;
    circles.append(svgEl("circle", { class: "commute", "data-seeker-id": c.id, cx: fixed(P.x(c), 1), cy: fixed(P.y(c), 1), r: fixed(P.r(c.km), 1) }));
  }
  const origin = opts.origin;
  if (origin && hasLoc(origin) && opts.maxDistanceKm > 0) {
    circles.append(svgEl("circle", { class: "max-distance", cx: fixed(P.x(origin), 1), cy: fixed(P.y(origin), 1), r: fixed(P.r(opts.maxDistanceKm), 1) },
      svgEl("title", { text: `${t("mapMaxDistance")} ${fixed(opts.maxDistanceKm, 0)} km` })));
  }
  svg.append(circles);

  // Draw the best rank last so it sits on top where markers overlap.
  const markers = svgEl("g", { class: "markers" });
  const markerClass = opts.kind === "posting" ? "candidate" : "posting";
  for (const m of opts.markers.filter(hasLoc).slice().reverse()) {
    const cx = fixed(P.x(m), 1), cy = fixed(P.y(m), 1);
    const g = svgEl("g", { class: "marker", [idAttr]: m.id });
    g.append(svgEl("circle", { class: markerClass + (m.beyond ? " beyond" : ""), [idAttr]: m.id, cx, cy, r: 9 },
      svgEl("title", { text: m.tooltip })));
    g.append(svgEl("text", { class: "marker-label", x: cx, y: cy, text: String(m.rank) }));
    markers.append(g);
  }
  svg.append(markers);

  if (origin && hasLoc(origin)) {
    const ox = P.x(origin), oy = P.y(origin);
    const title = svgEl("title", { text: opts.kind === "posting" ? t("mapOrigin") : t("mapHome") });
    if (opts.kind === "posting") {
      svg.append(svgEl("path", { class: "posting-marker", d: `M${fixed(ox, 1)} ${fixed(oy - 11, 1)}l11 11l-11 11l-11 -11z` }, title));
    } else {
      svg.append(svgEl("circle", { class: "seeker-marker", cx: fixed(ox, 1), cy: fixed(oy, 1), r: 9 }, title));
    }
  }
  drawScaleBar(svg, P);
  return svg;
}

/**
 * The map's key (hidden from screen readers: the map's label and the table say the same).
 * @param {"posting" | "seeker"} kind
 * @returns {HTMLUListElement}
 */
export function mapLegend(kind) {
  /** @param {string} color @param {string} text @param {boolean} [ring] */
  const item = (color, text, ring) => el("li", {},
    el("span", { class: "sw", style: ring ? `border:2px solid ${color};background:transparent` : `background:${color}` }), text);
  return el("ul", { class: "map-legend", "aria-hidden": "true" },
    kind === "posting" ? item("#b3261e", t("mapOrigin")) : item("#1e6b35", t("mapHome")),
    item("#0b5cad", kind === "posting" ? t("mapCandidate") : t("mapPosting")),
    kind === "posting" ? item("#c17f00", t("beyondCommute")) : null,
    item("rgba(30,107,53,0.6)", t("mapCommute"), true),
    kind === "posting" ? item("#b3261e", t("mapMaxDistance"), true) : null);
}

/**
 * Row ↔ marker highlighting: hovering or focusing a row lights up its marker (and circle);
 * hovering a marker lights up its row; clicking a marker moves focus to the row's link.
 * @param {HTMLTableElement} table
 * @param {HTMLElement} mapWrap
 * @param {"data-seeker-id" | "data-posting-id"} attr
 */
export function wireHighlight(table, mapWrap, attr) {
  const dataKey = attr === "data-seeker-id" ? "seekerId" : "postingId";
  /** @param {string | null | undefined} id @param {boolean} on */
  const set = (id, on) => {
    if (!id) return;
    const sel = `[${attr}="${CSS.escape(id)}"]`;
    $$(sel, mapWrap).forEach((n) => n.classList.toggle("highlight", on));
    $$(`tbody tr${sel}`, table).forEach((n) => n.classList.toggle("highlight", on));
    if (on) $$(`.marker${sel}`, mapWrap).forEach((g) => g.parentNode && g.parentNode.appendChild(g)); // bring to front
  };
  /** @param {Event} e */
  const target = (e) => /** @type {Element} */ (e.target);
  /** @param {Event} e */
  const rowId = (e) => { const tr = /** @type {HTMLElement | null} */ (target(e).closest("tbody tr")); return tr ? tr.dataset[dataKey] : ""; };
  table.addEventListener("mouseover", (e) => set(rowId(e), true));
  table.addEventListener("mouseout", (e) => set(rowId(e), false));
  table.addEventListener("focusin", (e) => set(rowId(e), true));
  table.addEventListener("focusout", (e) => set(rowId(e), false));
  /** @param {Event} e */
  const markerId = (e) => { const g = target(e).closest(".marker"); return g ? g.getAttribute(attr) : ""; };
  mapWrap.addEventListener("mouseover", (e) => set(markerId(e), true));
  mapWrap.addEventListener("mouseout", (e) => set(markerId(e), false));
  mapWrap.addEventListener("click", (e) => {
    const id = markerId(e);
    if (!id) return;
    const link = $(`tbody tr[${attr}="${CSS.escape(id)}"] a`, table);
    if (link) link.focus();
  });
}
