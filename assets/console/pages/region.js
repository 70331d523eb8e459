// @ts-check
// #/region: shortlists for many postings at once (MatchRegion), no seeker on more lists than
// allowed, the plan's figures beside a greedy top-k.

import { api } from "../api.js";
import { checkbox, el, field } from "../dom.js";
import { fixed, list, num, str } from "../format.js";
import { t } from "../i18n/index.js";
import { inLanguage, regionPlanRequest } from "../requests.js";
import { state } from "../state.js";
import { hrefPosting, hrefSeeker } from "../router.js";
import { clearError, handleError, isCurrent, newView, setBusy, showError } from "../view.js";
import { pageHeading } from "./common.js";

/** @typedef {import("../types.js").MatchRegionResponse} MatchRegionResponse */
/** @typedef {import("../types.js").PlanSummary} PlanSummary */

/**
 * @param {import("../types.js").WhoAmI | null} me the caller: their first region is the default
 */
export function renderRegion(me) {
  const { gen, body } = newView("navRegion");
  const input = el("input", { id: "region-input", type: "text", autocomplete: "off", value: list(me && me.regionNames)[0] || "경기도" });
  const k = el("input", { id: "region-k", type: "number", min: "1", step: "1", value: "2" });
  const maxLists = el("input", { id: "region-max-lists", type: "number", min: "1", step: "1", value: "1" });
  const commute = checkbox("region-commute", true);
  const form = el("form", { id: "region-form", class: "card", novalidate: true },
    el("div", { class: "row" },
      field(t("regionInput"), input), field(t("regionK"), k), field(t("regionMaxLists"), maxLists),
      field(t("regionCommute"), commute, { inline: true }),
      el("div", { class: "field" }, el("button", { id: "region-run", type: "submit", text: t("regionRun") }))));
  const summary = el("div", { id: "region-summary" });
  const plan = el("div", { id: "region-plan" });
  body.append(pageHeading(t("regionTitle")), el("p", { class: "muted", text: t("regionIntro") }), form, summary, plan);

  let seq = 0;
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    clearError();
    const req = regionPlanRequest(input.value, k.value, maxLists.value, commute.checked);
    if (!req) { showError(t("regionNeedInput")); input.focus(); return; }
    const my = ++seq;
    setBusy("plan", true);
    try {
      /** @type {MatchRegionResponse} */
      const resp = await api("MatchRegion", inLanguage(req, state.lang));
      if (!isCurrent(gen) || my !== seq) return;
      renderPlanSummary(summary, resp);
      renderPlanLists(plan, resp);
    } catch (err) {
      if (!isCurrent(gen) || my !== seq) return;
      handleError(err);
    }
    if (isCurrent(gen) && my === seq) setBusy("plan", false);
  });
  setBusy("render", false); // the plan runs only on request
}

/**
 * The plan's figures beside the greedy top-k's.
 * @param {HTMLElement} box
 * @param {MatchRegionResponse} resp
 */
function renderPlanSummary(box, resp) {
  const plan = resp.plan || {}, greedy = resp.greedy || {};
  /** @type {[keyof PlanSummary, (v: unknown) => string][]} */
  const rows = [
    ["totalScore", (v) => fixed(v, 3)],
    ["distinctSeekers", (v) => String(num(v))],
    ["emptyLists", (v) => String(num(v))],
    ["shortLists", (v) => String(num(v))],
  ];
  box.replaceChildren(el("h2", { text: t("regionSummary") }),
    el("table", {},
      el("thead", {}, el("tr", {},
        el("th", { scope: "col", text: t("metric") }), el("th", { scope: "col", class: "num", text: t("plan") }), el("th", { scope: "col", class: "num", text: t("greedy") }))),
      el("tbody", {}, rows.map(([key, fmt]) => el("tr", { dataset: { metric: key } },
        el("th", { scope: "row", text: t(key) }),
        el("td", { class: "num plan", text: fmt(plan[key]) }),
        el("td", { class: "num greedy", text: fmt(greedy[key]) }))))));
}

/**
 * One section per posting with its assigned candidates.
 * @param {HTMLElement} box
 * @param {MatchRegionResponse} resp
 */
function renderPlanLists(box, resp) {
  const lists = list(resp.shortlists);
  if (!lists.length) { box.replaceChildren(el("p", { class: "empty", text: t("regionNoPostings") })); return; }
  box.replaceChildren(...lists.map((s) => {
    const id = str(s.postingId);
    const candidates = list(s.candidates);
    return el("section", { dataset: { postingId: id }, "aria-label": str(s.title) || id },
      el("h3", {}, el("a", { href: hrefPosting(id), text: str(s.title) || id }), " ",
        el("span", { class: "muted small", text: t("listSize", { n: candidates.length, size: num(s.size) }) })),
      candidates.length
        ? el("ol", {}, candidates.map((c) => el("li", { dataset: { seekerId: str(c.seekerId) } },
          el("a", { href: hrefSeeker(str(c.seekerId)), text: str(c.displayName) || str(c.seekerId) }), " ",
          el("span", { class: "final-score", text: fixed(c.score && c.score.finalScore, 3) }),
          c.beyondCommute ? [" ", el("span", { class: "badge", text: t("beyondCommute") })] : null,
          el("div", { class: "reason", text: str(c.explanation && c.explanation.reason) }))))
        : el("p", { class: "muted", text: t("emptyList") }));
  }));
}
