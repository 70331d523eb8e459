// @ts-check
// #/cohort: a cohort of trainees placed into partner companies' postings at once (PlaceCohort):
// each seeker in one posting at most, each posting up to its openings, the total score
// maximised; the greedy placement's figures beside the plan's, then each posting's seekers, then
// who is left out and why.

import { api, ApiError } from "../api.js";
import { checkbox, el, field } from "../dom.js";
import { fixed, idList, list, num, str, unplacedReasonName } from "../format.js";
import { labelOr, t } from "../i18n/index.js";
import { cohortRequest, inLanguage } from "../requests.js";
import { hrefPosting, hrefSeeker } from "../router.js";
import { state } from "../state.js";
import { clearError, handleError, isCurrent, newView, setBusy, showError } from "../view.js";
import { pageHeading } from "./common.js";

/** @typedef {import("../types.js").PlaceCohortResponse} PlaceCohortResponse */
/** @typedef {import("../types.js").CohortPlacement} CohortPlacement */
/** @typedef {import("../types.js").UnplacedSeeker} UnplacedSeeker */

/**
 * A labelled box of ids.
 * @param {string} id
 * @param {string} label
 * @param {string} value
 * @returns {[HTMLDivElement, HTMLTextAreaElement]}
 */
function idsBox(id, label, value) {
  const box = el("textarea", { id, rows: "5", autocomplete: "off", spellcheck: "false", value });
  return [el("div", { class: "field cohort-ids" }, el("label", { for: id, text: label }), box), box];
}

/** The page: the form, and the last cohort's placement again when there was one. */
export function renderCohort() {
  const { gen, body } = newView("navCohort");
  const last = state.lastCohort;
  const [seekersField, seekers] = idsBox("cohort-seekers", t("cohortSeekers"), last ? last.seekers : "");
  const [postingsField, postings] = idsBox("cohort-postings", t("cohortPostings"), last ? last.postings : "");
  const commute = checkbox("cohort-commute", last ? last.respectCommute : true);
  const form = el("form", { id: "cohort-form", class: "card", novalidate: true },
    el("div", { class: "row" }, seekersField, postingsField),
    el("div", { class: "row" },
      field(t("cohortCommute"), commute, { inline: true }),
      el("div", { class: "field" }, el("button", { id: "cohort-run", type: "submit", text: t("cohortRun") }))));
  const result = el("div", { id: "cohort-result", "aria-live": "polite" });
  body.append(pageHeading(t("cohortTitle")), el("p", { class: "muted", text: t("cohortIntro") }), form, result);

  let seq = 0;
  const run = async () => {
    clearError();
    const req = cohortRequest(seekers.value, postings.value, commute.checked);
    if (!req) {
      const empty = idList(seekers.value).length ? postings : seekers;
      showError(t(empty === seekers ? "cohortNeedSeekers" : "cohortNeedPostings"));
      empty.focus();
      return;
    }
    state.lastCohort = { seekers: seekers.value, postings: postings.value, respectCommute: commute.checked };
    const my = ++seq;
    setBusy("cohort", true);
    try {
      /** @type {PlaceCohortResponse} */
      const resp = await api("PlaceCohort", inLanguage(req, state.lang));
      if (!isCurrent(gen) || my !== seq) return;
      result.replaceChildren(...resultView(resp, req.seekerIds.length, req.postingIds.length));
    } catch (err) {
      if (!isCurrent(gen) || my !== seq) return;
      handleError(err);
      // The gateway names the field it refuses ("invalid seeker_ids[1]: …"): point at its box.
      const message = err instanceof ApiError ? err.serverMessage : "";
      if (message.includes("posting_ids")) postings.focus();
      else if (message.includes("seeker_ids")) seekers.focus();
    }
    if (isCurrent(gen) && my === seq) setBusy("cohort", false);
  };
  form.addEventListener("submit", (e) => { e.preventDefault(); run(); });
  if (last) run();
  setBusy("render", false);
}

/**
 * The figures, the placements and the unplaced.
 * @param {PlaceCohortResponse} resp
 * @param {number} cohortSize seekers asked for
 * @param {number} postingsAsked postings asked for
 * @returns {HTMLElement[]}
 */
function resultView(resp, cohortSize, postingsAsked) {
  const placements = list(resp.placements);
  return [
    summaryView(resp, cohortSize, postingsAsked),
    el("section", { id: "cohort-placements", "aria-labelledby": "cohort-placements-h" },
      el("h2", { id: "cohort-placements-h", text: t("cohortPlacements") }),
      placements.map(placementView)),
    unplacedView(list(resp.unplaced)),
  ];
}

/**
 * The plan's figures beside the greedy placement's.
 * @param {PlaceCohortResponse} resp
 * @param {number} cohortSize
 * @param {number} postingsAsked
 * @returns {HTMLElement}
 */
function summaryView(resp, cohortSize, postingsAsked) {
  const plan = resp.plan || {}, greedy = resp.greedy || {};
  /** @type {[string, string, (s: import("../types.js").PlanSummary) => string][]} */
  const rows = [
    ["totalScore", t("totalScore"), (s) => fixed(s.totalScore, 3)],
    ["distinctSeekers", t("cohortPlaced"), (s) => t("cohortPlacedOf", { n: num(s.distinctSeekers), total: cohortSize })],
  ];
  return el("section", { id: "cohort-summary", "aria-labelledby": "cohort-summary-h" },
    el("h2", { id: "cohort-summary-h", text: t("cohortSummary") }),
    el("table", {},
      el("caption", { class: "muted small", text: t("cohortSizes", { seekers: cohortSize, postings: postingsAsked }) }),
      el("thead", {}, el("tr", {},
        el("th", { scope: "col", text: t("metric") }),
        el("th", { scope: "col", class: "num", text: t("cohortPlan") }),
        el("th", { scope: "col", class: "num", text: t("cohortGreedy") }))),
      el("tbody", {}, rows.map(([key, label, fmt]) => el("tr", { dataset: { metric: key } },
        el("th", { scope: "row", text: label }),
        el("td", { class: "num plan", text: fmt(plan) }),
        el("td", { class: "num greedy", text: fmt(greedy) }))))));
}

/**
 * One posting: its title, company, openings filled, and its seekers best first.
 * @param {CohortPlacement} p
 * @returns {HTMLElement}
 */
function placementView(p) {
  const id = str(p.postingId);
  const seekers = list(p.seekers);
  const openings = num(p.openings);
  return el("section", { class: "cohort-placement", dataset: { postingId: id, openings, placed: seekers.length }, "aria-label": str(p.title) || id },
    el("h3", {}, el("a", { href: hrefPosting(id), text: str(p.title) || id }), " ",
      el("span", { class: "muted small", text: [str(p.companyName), t("cohortFilled", { n: seekers.length, openings })].filter(Boolean).join(" · ") })),
    seekers.length
      ? el("ol", {}, seekers.map((c) => el("li", { dataset: { seekerId: str(c.seekerId) } },
        el("a", { href: hrefSeeker(str(c.seekerId)), text: str(c.displayName) || str(c.seekerId) }), " ",
        el("span", { class: "final-score", text: fixed(c.score && c.score.finalScore, 3) }),
        c.beyondCommute ? [" ", el("span", { class: "badge", text: t("beyondCommute") })] : null,
        el("div", { class: "reason", text: str(c.explanation && c.explanation.reason) }))))
      : el("p", { class: "muted", text: t("cohortNobodyHere") }));
}

/**
 * Who is left out and why; said plainly when nobody is.
 * @param {UnplacedSeeker[]} unplaced
 * @returns {HTMLElement}
 */
function unplacedView(unplaced) {
  return el("section", { id: "cohort-unplaced", "aria-labelledby": "cohort-unplaced-h" },
    el("h2", { id: "cohort-unplaced-h", text: t("cohortUnplaced") }),
    unplaced.length
      ? el("ul", {}, unplaced.map((u) => {
        const id = str(u.seekerId);
        const reason = unplacedReasonName(u.reason);
        return el("li", { dataset: { seekerId: id, reason } },
          el("a", { href: hrefSeeker(id), text: str(u.displayName) || id }), " ",
          reason ? el("span", { class: "badge", text: labelOr(`unplaced_${reason}`, reason) }) : null,
          el("div", { class: "reason", text: str(u.reasonText) }));
      }))
      : el("p", { class: "notice all-placed", text: t("cohortAllPlaced") }));
}
