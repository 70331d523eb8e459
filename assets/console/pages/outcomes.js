// @ts-check
// A posting's proposals and outcomes (ListOutcomes) in a card under its shortlist: who was
// proposed or hired, when, and by whom.

import { api, ApiError, describeError } from "../api.js";
import { $, el } from "../dom.js";
import { isoDate, list, str } from "../format.js";
import { roleLabel, t } from "../i18n/index.js";
import { hrefSeeker } from "../router.js";
import { handleError, isCurrent, setBusy } from "../view.js";

/** @typedef {import("../types.js").OutcomeRecord} OutcomeRecord */

/** A deleted seeker's events keep only a pseudonym with this prefix. */
const ERASED_PREFIX = "erased:";

/**
 * @typedef {object} OutcomesCard
 * @property {HTMLElement} section
 * @property {HTMLTableElement} table
 * @property {HTMLDivElement} wrap
 * @property {HTMLParagraphElement} empty
 * @property {HTMLParagraphElement} failure
 */

/** @returns {OutcomesCard} */
export function postingOutcomesCard() {
  const table = el("table", { id: "posting-outcomes", "aria-labelledby": "posting-outcomes-h" },
    el("thead", {}, el("tr", {},
      [t("colSeeker"), t("colStage"), t("colDate"), t("colRecordedBy")].map((text) => el("th", { scope: "col", text })))),
    el("tbody"));
  const wrap = el("div", { class: "table-wrap" }, table);
  const empty = el("p", { id: "posting-outcomes-empty", class: "muted small", text: t("outcomesNone"), hidden: true });
  const failure = el("p", { id: "posting-outcomes-error", class: "advice-error muted small", hidden: true });
  const section = el("section", { id: "posting-outcomes-card", class: "card outcomes-card", "aria-labelledby": "posting-outcomes-h" },
    el("h2", { id: "posting-outcomes-h", text: t("outcomesTitle") }), failure, empty, wrap);
  return { section, table, wrap, empty, failure };
}

/**
 * @param {OutcomeRecord} o
 * @returns {HTMLTableRowElement}
 */
function postingOutcomeRow(o) {
  const id = str(o.seekerId);
  const stage = str(o.stage) || "OUTCOME_STAGE_UNSPECIFIED";
  const name = str(o.displayName);
  // A deleted seeker's events keep only a pseudonym: no name, no page to link to.
  const seeker = id.startsWith(ERASED_PREFIX)
    ? el("span", { class: "erased muted", text: t("erasedSeeker") })
    : el("a", { href: hrefSeeker(id), text: name || id });
  const role = roleLabel(o.recordedByRole);
  return el("tr", { dataset: { seekerId: id, stage } },
    el("th", { scope: "row", class: "seeker" }, seeker),
    el("td", { class: "stage" }, t(`stage_${stage}`), o.reason ? el("div", { class: "reason", text: str(o.reason) }) : null),
    el("td", { class: "date", text: isoDate(o.date) }),
    el("td", { class: "recorded-by", text: [str(o.recordedBy), role ? `(${role})` : ""].filter(Boolean).join(" ") }));
}

/**
 * @param {OutcomesCard} card
 * @param {OutcomeRecord[]} outcomes
 * @param {boolean} failed the load failed: the card says so instead of "none yet"
 */
function renderPostingOutcomes(card, outcomes, failed) {
  /** @type {HTMLElement} */ ($("tbody", card.table)).replaceChildren(...outcomes.map(postingOutcomeRow));
  card.wrap.hidden = outcomes.length === 0;
  card.empty.hidden = outcomes.length > 0 || failed;
}

/**
 * @typedef {object} OutcomesLoader
 * @property {() => Promise<void>} load
 * @property {(event: OutcomeRecord & { sequence: string }) => Promise<void>} recorded
 *   an outcome just recorded on this page: shown at once, then reloads
 */

/**
 * Loads the posting's outcomes (ListOutcomes, newest first) into its card; an answer to an
 * older load is dropped. Events recorded on this page are shown until an answer lists them, so a
 * proposal just made appears even when the log's answer lags behind. A failure stays in the card.
 * @param {number} gen the view's generation
 * @param {string} postingId
 * @param {OutcomesCard} card
 * @returns {OutcomesLoader}
 */
export function makeOutcomesLoader(gen, postingId, card) {
  let seq = 0;
  /** @type {(OutcomeRecord & { sequence: string })[]} recorded here, oldest first, not yet in an answer */
  const pending = [];
  const load = async () => {
    const my = ++seq;
    const stale = () => !isCurrent(gen) || my !== seq;
    setBusy("outcomes", true);
    try {
      /** @type {import("../types.js").ListOutcomesResponse} */
      const resp = await api("ListOutcomes", { postingId });
      if (stale()) return;
      const outcomes = list(resp.outcomes);
      const listed = new Set(outcomes.map((o) => str(o.sequence) || "0"));
      for (let i = pending.length - 1; i >= 0; i -= 1) if (listed.has(pending[i].sequence)) pending.splice(i, 1);
      card.failure.hidden = true;
      renderPostingOutcomes(card, [...pending.slice().reverse(), ...outcomes], false);
    } catch (err) {
      if (stale()) return;
      if (err instanceof ApiError && err.status === 401) { handleError(err); return; }
      card.failure.textContent = `${t("outcomesFailed")} ${describeError(err)}`;
      card.failure.hidden = false;
      renderPostingOutcomes(card, pending.slice().reverse(), true);
    }
    if (!stale()) setBusy("outcomes", false);
  };
  return {
    load,
    recorded(event) { pending.push(event); return load(); },
  };
}
