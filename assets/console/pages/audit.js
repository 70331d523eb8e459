// @ts-check
// The exposure audit on the figures page (ExposureAudit): how often qualified seekers of each
// group reach the top k, per dimension. Aggregates per group only: nothing here names or links
// to a person.

import { api } from "../api.js";
import { appendAll, checkbox, el, field } from "../dom.js";
import { fixed, list, num, pct, str } from "../format.js";
import { labelOr, t } from "../i18n/index.js";
import { auditRequest } from "../requests.js";
import { clearError, handleError, isCurrent, setBusy } from "../view.js";

/** @typedef {import("../types.js").AuditGroup} AuditGroup */
/** @typedef {import("../types.js").AuditTable} AuditTable */
/** @typedef {import("../types.js").ExposureAuditResponse} ExposureAuditResponse */

const AUDIT_SOURCES = ["ranking", "plan", "outcomes"];
/** The dimensions in the order they are shown; an unknown one comes last. */
export const AUDIT_DIMENSIONS = ["age_band", "education_track", "military_status", "home_region", "commute"];

/**
 * The groups with their dimensions in AUDIT_DIMENSIONS' order; within one dimension (and among
 * unknown dimensions), the server's order.
 * @param {AuditGroup[]} groups
 * @returns {AuditGroup[]}
 */
export function orderAuditGroups(groups) {
  /** @param {AuditGroup} g */
  const order = (g) => { const i = AUDIT_DIMENSIONS.indexOf(str(g.dimension)); return i < 0 ? AUDIT_DIMENSIONS.length : i; };
  return groups.map((g, i) => /** @type {[AuditGroup, number]} */ ([g, i]))
    .sort(([a, i], [b, j]) => order(a) - order(b) || i - j).map(([g]) => g);
}

/**
 * A group's rate as a percentage with one decimal and its 95 % interval ("12.5 % [3.5–36.0]").
 * @param {AuditGroup} g
 * @returns {string}
 */
export function auditRateText(g) {
  return `${pct(g.rate)} % [${pct(g.rateLow)}–${pct(g.rateHigh)}]`;
}

/**
 * A group's impact ratio with two decimals and its 95 % interval ("0.75 [0.40–1.10]"); "–" when
 * there is no ratio: every rate of the dimension is 0 (nothing to compare with), which the server
 * sends as 0, unflagged.
 * @param {AuditGroup} g
 * @returns {string}
 */
export function auditRatioText(g) {
  const noRatio = !g.flagged && num(g.impactRatio) === 0 && num(g.impactRatioHigh) === 0;
  return noRatio ? "–" : `${fixed(g.impactRatio, 2)} [${fixed(g.impactRatioLow, 2)}–${fixed(g.impactRatioHigh, 2)}]`;
}

/**
 * The audit's card: k, whether to audit a MatchRegion plan too, and the result.
 * @param {number} gen the view's generation
 * @returns {HTMLElement}
 */
export function auditCard(gen) {
  const k = el("input", { id: "audit-k", type: "number", min: "1", max: "100", step: "1", value: "10", inputmode: "numeric" });
  const plan = checkbox("audit-plan", false);
  const run = el("button", { id: "audit-run", type: "submit", text: t("auditRun") });
  const form = el("form", { id: "audit-form", novalidate: true },
    el("div", { class: "row" }, field(t("auditK"), k), field(t("auditPlan"), plan, { inline: true }),
      el("div", { class: "field" }, run)));
  const result = el("div", { id: "audit-result", "aria-live": "polite" });
  let seq = 0;
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    clearError();
    const req = auditRequest(k.value, plan.checked);
    k.value = String(req.k);
    const my = ++seq;
    const stale = () => !isCurrent(gen) || my !== seq;
    setBusy("audit", true);
    try {
      /** @type {ExposureAuditResponse} */
      const resp = await api("ExposureAudit", req);
      if (stale()) return;
      renderAudit(result, resp);
    } catch (err) {
      if (stale()) return;
      handleError(err);
    }
    if (!stale()) setBusy("audit", false);
  });
  return el("section", { id: "audit", class: "card audit", "aria-labelledby": "audit-h" },
    el("h2", { id: "audit-h", text: t("auditTitle") }),
    el("p", { class: "muted small", text: t("auditIntro") }), form, result);
}

/**
 * @param {HTMLElement} box
 * @param {ExposureAuditResponse} resp
 */
function renderAudit(box, resp) {
  const minGroup = num(resp.minGroupSeekers);
  box.replaceChildren();
  appendAll(box, [
    el("p", { class: "audit-summary", text: t("auditSummary", {
      audited: num(resp.postingsAudited), total: num(resp.postingsTotal), seekers: num(resp.seekers), k: num(resp.k) }) }),
    resp.qualified ? el("p", { class: "audit-qualified muted small", text: t("auditQualified", { text: str(resp.qualified) }) }) : null,
    minGroup ? el("p", { class: "audit-min-group muted small", text: t("auditMinGroup", { n: minGroup }) }) : null,
    list(resp.tables).map(auditTable),
    list(resp.notes).map((n) => el("p", { class: "audit-note muted small", text: str(n) }))]);
}

/**
 * One source's table (rankings, a plan, recorded outcomes).
 * @param {AuditTable} table
 * @returns {HTMLDivElement}
 */
function auditTable(table) {
  const source = str(table.source);
  /** @param {string} key */
  const ofSource = (key) => labelOr(`${key}_${source}`, t(`${key}_ranking`));
  const groups = orderAuditGroups(list(table.groups));
  /** @type {[string, string?][]} */
  const cols = [[t("colDimension")], [t("colGroup")], [t("colSeekers"), "num"], [ofSource("colPairs"), "num"],
    [ofSource("colExposed"), "num"], [t("colRate"), "num"], [t("colImpactRatio"), "num"]];
  const caption = `${AUDIT_SOURCES.includes(source) ? t(`audit_${source}`) : source} · ${t("auditPostings", { n: num(table.postings) })}`;
  return el("div", { class: "table-wrap audit-table-wrap" },
    el("table", { id: `audit-${source}`, class: "audit-table", dataset: { source } },
      el("caption", { text: caption }),
      el("thead", {}, el("tr", {}, cols.map(([text, cls]) => el("th", { scope: "col", class: cls, text })))),
      el("tbody", {}, groups.map(auditRow))),
    groups.length ? null : el("p", { class: "muted small", text: t("auditNoGroups") }));
}

/**
 * Rates as percentages (one decimal), impact ratios as numbers (two decimals), each with its
 * 95 % interval; a suppressed group (too few seekers) shows counts only.
 * @param {AuditGroup} g
 * @returns {HTMLTableRowElement}
 */
function auditRow(g) {
  const dimension = str(g.dimension), group = str(g.group);
  const suppressed = !!g.suppressed;
  const flagged = !!g.flagged && !suppressed;
  const tooFew = () => el("span", { class: "suppressed", text: t("auditSuppressed") });
  const rate = suppressed ? tooFew() : auditRateText(g);
  const ratio = suppressed ? tooFew()
    : [auditRatioText(g), flagged ? el("span", { class: "flag", text: t("auditFlag") }) : null];
  return el("tr", { class: flagged ? "flagged" : undefined, dataset: { dimension, group } },
    el("td", { class: "dimension", text: labelOr(`dim_${dimension}`, dimension) }),
    el("th", { scope: "row", class: "group", text: labelOr(`grp_${group}`, group) }),
    el("td", { class: "num seekers", text: String(num(g.seekers)) }),
    el("td", { class: "num pairs", text: String(num(g.pairs)) }),
    el("td", { class: "num exposed", text: String(num(g.exposed)) }),
    el("td", { class: "num rate" }, rate),
    el("td", { class: "num impact-ratio" }, ratio));
}
