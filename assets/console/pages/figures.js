// @ts-check
// #/figures: the centre's figures over a date range (CentreFigures) as cards and bar charts,
// each person's rankings viewed beside the seekers they proposed, and the exposure audit.

import { api } from "../api.js";
import { $, el, field, svgEl } from "../dom.js";
import { dateMessage, fixed, formatFigure, isoDate, list, num, str, todayIso } from "../format.js";
import { roleLabel, roleName, t } from "../i18n/index.js";
import { makeRanker, newView, setBusy } from "../view.js";
import { auditCard } from "./audit.js";
import { pageHeading } from "./common.js";

/** @typedef {import("../types.js").CentreFiguresResponse} CentreFiguresResponse */
/** @typedef {import("../types.js").PersonFigures} PersonFigures */
/** @typedef {{ label: string, value: number }} Bar */

/** The figure cards, in order: the answer's field and how it is shown.
 * @type {[keyof CentreFiguresResponse, import("../format.js").FigureKind][]} */
const FIGURES = [
  ["placements", "count"], ["seekersPlaced", "count"], ["companies", "count"], ["events", "count"],
  ["shareAged34OrYounger", "share"], ["shareManufacturing", "share"], ["shareCertifiedCompany", "share"],
  ["medianDistanceKm", "km"],
];

/**
 * @param {import("../types.js").WhoAmI | null} me the caller (a counsellor sees only their own line)
 */
export function renderFigures(me) {
  const { gen, body } = newView("navFigures");
  const year = new Date().getFullYear();
  const from = el("input", { id: "fig-from", type: "date", value: `${year}-01-01` });
  const to = el("input", { id: "fig-to", type: "date", value: todayIso() });
  const form = el("form", { id: "fig-form", class: "card" },
    el("div", { class: "row" }, field(t("figFrom"), from), field(t("figTo"), to),
      el("div", { class: "field" }, el("button", { id: "fig-run", type: "submit", text: t("figRun") }))));
  const cards = el("div", { id: "fig-cards", class: "figure-cards" },
    FIGURES.map(([key]) => el("div", { class: "figure-card", dataset: { figure: key } },
      el("div", { class: "label", text: t(`fig_${key}`) }), el("div", { class: "value", text: "–" }))));
  const months = el("div", { class: "chart card" }, el("h2", { text: t("figMonths") }));
  const stages = el("div", { class: "chart card" }, el("h2", { text: t("figStages") }));
  const people = peopleCard(me);
  body.append(pageHeading(t("figuresTitle")), form, cards, el("div", { class: "charts" }, months, stages),
    people.section, auditCard(gen));

  const ranker = makeRanker(gen, "figures",
    () => /** @type {Promise<CentreFiguresResponse>} */ (api("CentreFigures", { startDate: dateMessage(from.value), endDate: dateMessage(to.value) })),
    (resp) => {
      for (const [key, kind] of FIGURES) {
        /** @type {HTMLElement} */ ($(`[data-figure="${key}"] .value`, cards)).textContent = formatFigure(resp[key], kind);
      }
      replaceChart(months, barChart("fig-months", t("figMonths"),
        list(resp.placementsByMonth).map((m) => ({ label: isoDate(m.month), value: num(m.placements) }))));
      replaceChart(stages, barChart("fig-stages", t("figStages"),
        list(resp.stages).map((s) => ({ label: t(`stage_${s.stage || "OUTCOME_STAGE_UNSPECIFIED"}`), value: num(s.pairs) }))));
      renderPeople(people, list(resp.people));
    });
  form.addEventListener("submit", (e) => { e.preventDefault(); ranker.now(); });
  ranker.now();
  setBusy("render", false);
}

/**
 * @typedef {object} PeopleCard
 * @property {HTMLElement} section
 * @property {HTMLTableElement} table
 * @property {HTMLDivElement} wrap
 * @property {HTMLParagraphElement} empty
 */

/**
 * Per person: the rankings they viewed beside the seekers they proposed (a counsellor: own line).
 * @param {import("../types.js").WhoAmI | null} me
 * @returns {PeopleCard}
 */
function peopleCard(me) {
  /** @type {[string, string?][]} */
  const cols = [[t("colName")], [t("colRole")], [t("colRankingsViewed"), "num"], [t("colSeekersShown"), "num"], [t("colProposals"), "num"]];
  const table = el("table", { id: "fig-people", "aria-labelledby": "fig-people-h" },
    el("thead", {}, el("tr", {}, cols.map(([text, cls]) => el("th", { scope: "col", class: cls, text })))),
    el("tbody"));
  const wrap = el("div", { class: "table-wrap" }, table);
  const empty = el("p", { id: "fig-people-empty", class: "muted small", text: t("peopleNone"), hidden: true });
  const ownOnly = me && roleName(me.role) === "counsellor"
    ? el("p", { class: "muted small", text: t("peopleOwnOnly") }) : null;
  const section = el("section", { id: "fig-people-card", class: "card people-card", "aria-labelledby": "fig-people-h" },
    el("h2", { id: "fig-people-h", text: t("peopleTitle") }), ownOnly, empty, wrap);
  return { section, table, wrap, empty };
}

/**
 * @param {PeopleCard} card
 * @param {PersonFigures[]} people
 */
function renderPeople(card, people) {
  /** @type {HTMLElement} */ ($("tbody", card.table)).replaceChildren(...people.map((p) => el("tr", { dataset: { person: str(p.name) } },
    el("th", { scope: "row", class: "name", text: str(p.name) }),
    el("td", { class: "role", text: roleLabel(p.role) }),
    el("td", { class: "num rankings-viewed", text: String(num(p.rankingsViewed)) }),
    el("td", { class: "num seekers-shown", text: String(num(p.seekersShown)) }),
    el("td", { class: "num proposals", text: String(num(p.proposals)) }))));
  card.wrap.hidden = people.length === 0;
  card.empty.hidden = people.length > 0;
}

/**
 * @param {HTMLElement} box
 * @param {SVGSVGElement} svg
 */
function replaceChart(box, svg) {
  const old = $("svg", box);
  if (old) old.replaceWith(svg); else box.append(svg);
}

/**
 * A plain vertical bar chart; each bar has a <title> and its value and label as text.
 * @param {string} id
 * @param {string} label the chart's accessible name
 * @param {Bar[]} items
 * @returns {SVGSVGElement}
 */
function barChart(id, label, items) {
  const W = 520, H = 240, left = 36, right = 8, top = 20, bottom = 46;
  const svg = svgEl("svg", { id, role: "img", "aria-label": label, viewBox: `0 0 ${W} ${H}` }, svgEl("title", { text: label }));
  if (!items.length) {
    svg.append(svgEl("text", { x: W / 2, y: H / 2, "text-anchor": "middle", class: "no-data", text: t("noData") }));
    return svg;
  }
  const max = Math.max(1, ...items.map((i) => i.value));
  const plotW = W - left - right, plotH = H - top - bottom;
  const slot = plotW / items.length;
  const barW = Math.max(4, Math.min(48, slot * 0.7));
  svg.append(svgEl("line", { x1: left, y1: top + plotH, x2: W - right, y2: top + plotH, stroke: "#9aa3ad" }));
  svg.append(svgEl("text", { x: left - 4, y: top + 4, "text-anchor": "end", text: String(max) }));
  svg.append(svgEl("text", { x: left - 4, y: top + plotH, "text-anchor": "end", text: "0" }));
  const rotate = items.length > 8; // long month lists: slanted labels so they do not collide
  items.forEach((item, i) => {
    const h = (item.value / max) * plotH;
    const cx = left + slot * i + slot / 2;
    const x = cx - barW / 2, y = top + plotH - h;
    svg.append(svgEl("g", { class: "bar-group" },
      svgEl("rect", { class: "bar", x: fixed(x, 1), y: fixed(y, 1), width: fixed(barW, 1), height: fixed(Math.max(h, 0), 1), "data-label": item.label, "data-value": item.value },
        svgEl("title", { text: `${item.label}: ${item.value}` })),
      svgEl("text", { class: "bar-value", x: fixed(cx, 1), y: fixed(y - 4, 1), "text-anchor": "middle", text: String(item.value) }),
      svgEl("text", rotate
        ? { class: "bar-label", x: fixed(cx, 1), y: top + plotH + 12, "text-anchor": "end", transform: `rotate(-40 ${fixed(cx, 1)} ${top + plotH + 12})`, text: item.label }
        : { class: "bar-label", x: fixed(cx, 1), y: top + plotH + 16, "text-anchor": "middle", text: item.label })));
  });
  return svg;
}
