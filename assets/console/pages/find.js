// @ts-check
// #/find: postings or seekers by a part of their id, title, company or name, and by region
// (FindRecords, paged with "More").

import { api } from "../api.js";
import { $, $$, el, field } from "../dom.js";
import { list, str } from "../format.js";
import { t } from "../i18n/index.js";
import { findRequest } from "../requests.js";
import { hrefPosting, hrefSeeker } from "../router.js";
import { state } from "../state.js";
import { clearError, handleError, isCurrent, newView, setBusy } from "../view.js";
import { pageHeading } from "./common.js";

/** @typedef {import("../state.js").FindQuery} FindQuery */
/** @typedef {{ seq: number }} SearchSeq the latest search's number; older answers are dropped */

export function renderFind() {
  const { gen, body } = newView("navFind");
  const last = state.lastFind || { kind: "posting", text: "", region: "" };
  const kind = el("select", { id: "find-kind", name: "kind" },
    el("option", { value: "posting", text: t("kindPosting") }),
    el("option", { value: "seeker", text: t("kindSeeker") }));
  kind.value = last.kind;
  const text = el("input", { id: "find-text", type: "search", name: "text", value: last.text, autocomplete: "off" });
  const region = el("input", { id: "find-region", type: "text", name: "region", value: last.region, autocomplete: "off" });
  const form = el("form", { id: "find-form", role: "search", class: "card" },
    el("div", { class: "row" },
      field(t("findKind"), kind), field(t("findText"), text), field(t("findRegion"), region),
      el("div", { class: "field" }, el("button", { id: "find-run", type: "submit", text: t("findRun") }))));
  const results = el("div", { id: "find-results", "aria-live": "polite", "aria-label": t("findResults") });
  body.append(pageHeading(t("findTitle")), form, results);

  /** @type {SearchSeq} */
  const search = { seq: 0 };
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const query = { kind: kind.value, text: text.value.trim(), region: region.value.trim() };
    state.lastFind = query;
    runFind(gen, search, query, results, "");
  });
  setBusy("render", false);
  // Coming back to the page (e.g. with Back) repeats the last search instead of an empty page.
  if (state.lastFind) runFind(gen, search, state.lastFind, results, "");
}

/**
 * @param {number} gen
 * @param {SearchSeq} search
 * @param {FindQuery} query
 * @param {HTMLElement} results
 * @param {string} pageToken "" for the first page
 */
async function runFind(gen, search, query, results, pageToken) {
  const seq = ++search.seq;
  clearError();
  setBusy("find", true);
  try {
    /** @type {import("../types.js").FindRecordsResponse} */
    const resp = await api("FindRecords", findRequest(query, pageToken));
    if (!isCurrent(gen) || seq !== search.seq) return;
    renderFindResults(gen, search, query, results, resp, !!pageToken);
  } catch (err) {
    if (!isCurrent(gen) || seq !== search.seq) return;
    handleError(err);
  }
  if (isCurrent(gen) && seq === search.seq) setBusy("find", false);
}

/**
 * Shows a page of results, after the earlier ones when `append`; keeps the keyboard focus where
 * it was (on "More", or on the first new result when there is no more).
 * @param {number} gen
 * @param {SearchSeq} search
 * @param {FindQuery} query
 * @param {HTMLElement} results
 * @param {import("../types.js").FindRecordsResponse} resp
 * @param {boolean} append
 */
function renderFindResults(gen, search, query, results, resp, append) {
  const records = list(resp.records);
  let ul = $("ul.results-list", results);
  if (!append || !ul) {
    results.replaceChildren();
    ul = el("ul", { class: "results-list" });
    results.append(ul);
  }
  const firstNew = records.length ? ul.children.length : -1;
  const href = query.kind === "seeker" ? hrefSeeker : hrefPosting;
  for (const r of records) {
    ul.append(el("li", {}, el("a", { href: href(str(r.id)), dataset: { id: str(r.id) } },
      el("span", { class: "r-title", text: str(r.title) || str(r.id) }),
      el("span", { class: "r-region", text: str(r.regionName) }),
      el("span", { class: "r-sub" }, str(r.subtitle), " ", el("span", { class: "r-id", text: `(${str(r.id)})` })))));
  }
  const old = $("#find-more", results);
  const hadFocus = old && document.activeElement === old;
  if (old) old.remove();
  $$(".find-count, .find-none", results).forEach((n) => n.remove());
  if (ul.children.length === 0) {
    results.append(el("p", { class: "find-none empty", text: t("findNone") }));
  } else {
    results.append(el("p", { class: "find-count muted small", text: t("findCount", { n: ul.children.length }) }));
  }
  const next = str(resp.nextPageToken);
  if (next) {
    const more = el("button", { id: "find-more", type: "button", class: "secondary", text: t("findMore") });
    more.addEventListener("click", () => runFind(gen, search, query, results, next));
    results.append(more);
    if (hadFocus) more.focus();
  } else if (hadFocus && firstNew >= 0 && ul.children[firstNew]) {
    const link = ul.children[firstNew].querySelector("a");
    if (link) link.focus();
  }
}
