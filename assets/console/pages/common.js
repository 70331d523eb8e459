// @ts-check
// Pieces shared by the pages: headings, chips, header facts, ranked tables and their cells.

import { $, el } from "../dom.js";
import { list, num, str } from "../format.js";
import { t } from "../i18n/index.js";

/** @typedef {import("../types.js").ScoreBreakdown} ScoreBreakdown */
/** @typedef {import("../types.js").Explanation} Explanation */

/**
 * A page heading that takes focus after navigation so screen readers announce the new page.
 * @param {string} text
 * @returns {HTMLHeadingElement}
 */
export function pageHeading(text) {
  return el("h1", { text, tabindex: "-1" });
}

/**
 * @param {unknown[] | undefined} items
 * @param {string} [cls] an extra class for each chip ("ok", "miss")
 * @returns {HTMLUListElement}
 */
export function chips(items, cls) {
  return el("ul", { class: "chips" }, list(items).map((s) => el("li", { class: `chip ${cls || ""}`.trim(), text: str(s) })));
}

/**
 * One "label: value" line of a record's header.
 * @param {string} label
 * @param {string} value
 * @returns {HTMLLIElement}
 */
export function fact(label, value) {
  return el("li", {}, el("span", { class: "muted", text: `${label}: ` }), el("span", { text: value }));
}

/**
 * The region a location was stored by ("" when stored by coordinates).
 * @param {import("../types.js").Location | undefined} loc
 * @returns {string}
 */
export function locationRegion(loc) {
  return loc && loc.region ? str(loc.region) : "";
}

/**
 * The header's region, from a ranking's answer: it names the origin's region even when the
 * record was stored by coordinates (the header shows "…" until then).
 * @param {HTMLElement} facts
 * @param {{ originRegionName?: string }} resp
 */
export function showOriginRegion(facts, resp) {
  const v = $(".region-value", facts);
  if (v && resp.originRegionName && (v.textContent === "…" || !v.textContent)) v.textContent = str(resp.originRegionName);
}

/**
 * An empty ranked table with its caption and column heads.
 * @param {string} id
 * @param {[string, string?][]} columns each head's text and class
 * @param {string} caption
 * @returns {HTMLTableElement}
 */
export function rankTable(id, columns, caption) {
  const table = el("table", { id },
    el("caption", { class: "muted small", text: caption }),
    el("thead", {}, el("tr", {}, columns.map(([text, cls]) => el("th", { scope: "col", class: cls, text })))),
    el("tbody"));
  return table;
}

/**
 * The parts of a final score, under it.
 * @param {ScoreBreakdown | undefined} score
 * @returns {HTMLDivElement}
 */
export function breakdown(score) {
  const s = score || {};
  /** @type {[string, number][]} */
  const parts = [
    [t("bdSemantic"), num(s.semanticPart)],
    [t("bdLexical"), num(s.lexicalPart)],
    [t("bdGeo"), num(s.distancePart)],
    [t("bdSkills"), num(s.skillsScore)],
    [t("bdBoost"), num(s.boost)],
  ];
  return el("div", { class: "breakdown", title: t("bdTitle") },
    parts.map(([label, v]) => el("span", { text: `${label} ${v.toFixed(3)}` })));
}

/**
 * The skills a match has and lacks, and its reason line.
 * @param {Explanation | undefined} ex
 * @returns {(HTMLDivElement | null)[]}
 */
export function skillsAndReason(ex) {
  const e = ex || {};
  return [
    list(e.skillsMatched).length ? el("div", {}, el("span", { class: "skills-ok small", text: `${t("matched")}: ` }), chips(e.skillsMatched, "ok")) : null,
    list(e.skillsMissing).length ? el("div", {}, el("span", { class: "skills-missing small", text: `${t("missing")}: ` }), chips(e.skillsMissing, "miss")) : null,
    el("div", { class: "reason", text: str(e.reason) }),
  ];
}

/**
 * A small grey line saying there is nothing to show.
 * @param {string} key
 * @returns {HTMLParagraphElement}
 */
export const noneText = (key) => el("p", { class: "muted small", text: t(key) });
