// @ts-check
// #/posting/{id}: the posting, its shortlist (RecommendCandidates) re-ranked live as the
// filters and weights change, outcome buttons per row, the CSV export, the map, the posting's
// recorded outcomes and the centre's advice.

import { api, apiBlob, exportPath } from "../api.js";
import { $, $$, appendAll, checkbox, el, field } from "../dom.js";
import { dateMessage, fixed, list, num, str, todayIso } from "../format.js";
import { t } from "../i18n/index.js";
import { drawMap, loadRegions, mapLegend, wireHighlight } from "../map.js";
import { candidatesRequest, inLanguage, TRACKS, WEIGHTS } from "../requests.js";
import { hrefSeeker } from "../router.js";
import { state } from "../state.js";
import { clearError, handleError, isCurrent, makeRanker, newView, setBusy, showError } from "../view.js";
import { loadPostingAdvice, postingAdvicePanel, programmeToggle } from "./advice.js";
import { breakdown, chips, fact, locationRegion, pageHeading, rankTable, showOriginRegion, skillsAndReason } from "./common.js";
import { makeOutcomesLoader, postingOutcomesCard } from "./outcomes.js";

/** @typedef {import("../types.js").Candidate} Candidate */
/** @typedef {import("../types.js").Posting} Posting */
/** @typedef {import("../types.js").RecommendCandidatesResponse} RecommendCandidatesResponse */
/** @typedef {import("../types.js").OutcomeRecord} OutcomeRecord */
/** @typedef {import("../requests.js").CandidatesRequest} CandidatesRequest */
/** @typedef {import("../requests.js").WeightName} WeightName */
/** @typedef {"proposed" | "contacted" | "interviewed" | "hired" | "rejected"} Outcome */

/** The outcome buttons of a row, in order. @type {Outcome[]} */
const OUTCOMES = ["proposed", "contacted", "interviewed", "hired", "rejected"];

/** seekerId → "채용 기록됨 #12": what each row says it recorded, kept across re-ranks.
 * @typedef {Map<string, string>} Recorded */
/** Called after each outcome recorded from a row (the outcomes card shows it and reloads).
 * @typedef {(event: OutcomeRecord & { sequence: string }) => Promise<void>} OnRecorded */

/**
 * @param {string} postingId
 * @param {import("../types.js").WhoAmI | null} me the signed-in caller (named on what they record)
 */
export function renderPosting(postingId, me) {
  const { gen, body } = newView("postingTitle");
  const h1 = pageHeading(postingId);
  const company = el("p", { class: "muted" });
  const facts = el("ul", { class: "header-facts" });
  const skills = el("div", { class: "header-skills" });
  const header = el("section", { class: "card", "aria-labelledby": "posting-h1" }, h1, company, facts, skills);
  h1.id = "posting-h1";

  const controls = postingControls();
  const exportBox = exportControls(gen, postingId, () => inLanguage(candidatesRequest(postingId, controls), state.lang));
  const notice = el("div", { id: "shortlist-notice" });
  const table = rankTable("shortlist", [
    [t("colRank"), "num"], [t("colName")], [t("colRegion")], [t("colDistance"), "num"],
    [t("colScore"), "num"], [t("colSkills")], [t("colOutcome")],
  ], t("shortlist"));
  const mapWrap = el("div", { class: "map-wrap" });
  const advice = postingAdvicePanel();
  const outcomesCard = postingOutcomesCard();
  // Controls sit above the list in the left column so the map stays beside both on wide screens.
  body.append(header,
    el("div", { class: "split" },
      el("div", { class: "split-main" }, controls.form,
        el("section", { "aria-label": t("shortlist") }, el("div", { class: "list-head" }, el("h2", { text: t("shortlist") }), exportBox),
          notice, el("div", { class: "table-wrap" }, table)), outcomesCard.section, advice),
      mapWrap));
  wireHighlight(table, mapWrap, "data-seeker-id");

  /** @type {Recorded} */
  const recorded = new Map();
  const outcomes = makeOutcomesLoader(gen, postingId, outcomesCard);
  /** @type {OnRecorded} */
  const onRecorded = (event) => outcomes.recorded({
    ...event, recordedBy: str(me && me.name), recordedByRole: str(me && me.role),
  });
  /** @type {Posting | null} as GetPosting returned it: the advice's draft */
  let posting = null;
  let adviceLoaded = false;
  const ranker = makeRanker(gen, "rank",
    // The base map is awaited too, so the map is drawn before the view says it is ready.
    async () => {
      const req = inLanguage(candidatesRequest(postingId, controls), state.lang);
      /** @type {[RecommendCandidatesResponse, import("../types.js").MapRegion[]]} */
      const [resp, regions] = await Promise.all([api("RecommendCandidates", req), loadRegions()]);
      return { resp, req, regions };
    },
    ({ resp, req, regions }) => {
      renderShortlist(gen, postingId, resp, table, notice, recorded, onRecorded);
      controls.showDefaults(resp.parameters);
      showOriginRegion(facts, resp);
      drawCandidatesMap(mapWrap, resp, req, regions);
      if (!adviceLoaded && posting) { adviceLoaded = true; loadPostingAdvice(gen, posting, advice); }
    });
  controls.onChange(() => ranker.schedule());
  controls.form.addEventListener("submit", (e) => { e.preventDefault(); ranker.now(); });

  loadPostingHeader(gen, postingId, { h1, company, facts, skills }).then((p) => {
    if (!isCurrent(gen)) return;
    posting = p;
    // Start the ranking and the outcomes before dropping the "render" key so the view never
    // looks ready between.
    if (p) { ranker.now(); outcomes.load(); } else { controls.form.hidden = true; advice.hidden = true; outcomesCard.section.hidden = true; }
    setBusy("render", false);
  });
}

/**
 * Fills the posting's header; resolves to the posting as returned (null when it could not be read).
 * @param {number} gen
 * @param {string} postingId
 * @param {{ h1: HTMLElement, company: HTMLElement, facts: HTMLElement, skills: HTMLElement }} parts
 * @returns {Promise<Posting | null>}
 */
async function loadPostingHeader(gen, postingId, parts) {
  /** @type {Posting} */
  let p;
  try {
    p = await api("GetPosting", { id: postingId });
  } catch (err) {
    if (isCurrent(gen)) handleError(err);
    return null;
  }
  if (!isCurrent(gen)) return null;
  parts.h1.textContent = str(p.title) || postingId;
  document.title = `${parts.h1.textContent} · ${t("appTitle")}`;
  parts.company.textContent = [str(p.companyName), `ID ${str(p.id) || postingId}`].filter(Boolean).join(" · ");
  const region = locationRegion(p.location);
  appendAll(parts.facts, [
    el("li", { class: "region-fact" }, el("span", { class: "muted", text: `${t("region")}: ` }), el("span", { class: "region-value", text: region || "…" })),
    fact(t("openings"), t("openingsN", { n: num(p.openings) || 1 })),
    p.sector ? fact(t("sector"), str(p.sector)) : null,
    p.employmentType ? fact(t("employment"), t(`emp_${p.employmentType}`)) : null,
    fact(t("certified"), p.certifiedCompany ? t("yes") : t("no"))]);
  if (list(p.skills).length) parts.skills.append(el("span", { class: "muted small", text: `${t("skills")}:` }), chips(p.skills));
  return p;
}

/**
 * @typedef {object} WeightControl
 * @property {HTMLInputElement} input
 * @property {HTMLOutputElement} output
 * @property {boolean} touched moved by the counsellor: sent; otherwise the server's default
 * @property {number | null} server the server's default, once an answer has shown it
 */

/**
 * The filters and weights above the shortlist.
 */
function postingControls() {
  const youth = checkbox("f-youth", false);
  const track = el("select", { id: "f-track" },
    el("option", { value: "", text: t("anyTrack") }),
    TRACKS.map((v) => el("option", { value: v, text: t(`track_${v}`) })));
  const discharged = el("input", { id: "f-discharged-by", type: "date" });
  const available = el("input", { id: "f-available-by", type: "date" });
  const maxDistance = el("input", { id: "f-max-distance", type: "number", min: "0", step: "any", inputmode: "decimal" });
  const commute = checkbox("f-commute", true);
  const topK = el("input", { id: "f-top-k", type: "number", min: "1", max: "100", step: "1", value: "10" });

  const weights = /** @type {Record<WeightName, WeightControl>} */ ({});
  const weightRows = WEIGHTS.map(([name, , labelKey]) => {
    const input = el("input", { id: `w-${name}`, type: "range", min: "0", max: "1", step: "0.05", value: "0.5" });
    const output = el("output", { id: `w-${name}-value`, for: input.id, text: t("wDefault") });
    weights[name] = { input, output, touched: false, server: null };
    return el("div", { class: "weight" }, el("label", { for: input.id, text: t(labelKey) }), input, output);
  });
  const reset = el("button", { id: "w-reset", type: "button", class: "secondary", text: t("wReset") });

  const form = el("form", { id: "controls", class: "card controls", "aria-label": t("controls") },
    el("fieldset", {}, el("legend", { text: t("filters") }),
      el("div", { class: "row" },
        field(t("fYouth"), youth, { inline: true }), field(t("fTrack"), track),
        field(t("fDischargedBy"), discharged), field(t("fAvailableBy"), available),
        field(t("fMaxDistance"), maxDistance), field(t("fCommute"), commute, { inline: true }),
        field(t("fTopK"), topK))),
    el("fieldset", {}, el("legend", { text: t("weights") }),
      el("div", { class: "weights" }, weightRows),
      el("div", { class: "row weight-actions" }, reset, el("button", { id: "controls-apply", type: "submit", text: t("rerank") }))));

  /** @param {WeightControl} w */
  const showWeight = (w) => {
    if (w.touched) { w.output.textContent = fixed(w.input.value, 2); w.output.classList.add("set"); return; }
    w.output.classList.remove("set");
    w.output.textContent = w.server === null ? t("wDefault") : `${t("wDefault")} ${fixed(w.server, 2)}`;
  };
  let changed = () => {};
  /** @param {Event} e */
  const onInput = (e) => {
    const target = /** @type {HTMLInputElement} */ (e.target);
    const name = /** @type {WeightName} */ (target.id.startsWith("w-") ? target.id.slice(2) : "");
    if (weights[name]) { weights[name].touched = true; showWeight(weights[name]); }
    changed();
  };
  form.addEventListener("input", onInput);
  form.addEventListener("change", (e) => { if (/** @type {HTMLInputElement} */ (e.target).type !== "range") changed(); });
  reset.addEventListener("click", () => {
    Object.values(weights).forEach((w) => { w.touched = false; if (w.server !== null) w.input.value = String(w.server); showWeight(w); });
    changed();
  });

  return {
    form, youth, track, discharged, available, maxDistance, commute, topK, weights,
    /** @param {() => void} fn called on every change of a filter or weight */
    onChange(fn) { changed = fn; },
    /**
     * Untouched sliders sit at the server's defaults, read from the answer's parameters.
     * @param {import("../types.js").RankingParameters | undefined} parameters
     */
    showDefaults(parameters) {
      for (const [name, field] of WEIGHTS) {
        const w = weights[name];
        if (parameters) w.server = num(parameters[field]);
        if (!w.touched && w.server !== null) w.input.value = String(w.server);
        showWeight(w);
      }
    },
  };
}

/**
 * @param {number} gen
 * @param {string} postingId
 * @param {RecommendCandidatesResponse} resp
 * @param {HTMLTableElement} table
 * @param {HTMLElement} notice
 * @param {Recorded} recorded
 * @param {OnRecorded} onRecorded
 */
function renderShortlist(gen, postingId, resp, table, notice, recorded, onRecorded) {
  const candidates = list(resp.candidates);
  notice.replaceChildren();
  if (resp.nothingWithinReach) notice.append(el("p", { class: "notice", text: t("nothingWithinReach") }));
  if (!candidates.length) notice.append(el("p", { class: "empty", text: t("nothingMatched") }));
  const tbody = /** @type {HTMLElement} */ ($("tbody", table));
  tbody.replaceChildren(...candidates.map((c, i) => candidateRow(gen, postingId, c, i + 1, recorded, onRecorded)));
}

/**
 * @param {number} gen
 * @param {string} postingId
 * @param {Candidate} c
 * @param {number} rank
 * @param {Recorded} recorded
 * @param {OnRecorded} onRecorded
 * @returns {HTMLTableRowElement}
 */
function candidateRow(gen, postingId, c, rank, recorded, onRecorded) {
  const id = str(c.seekerId);
  const score = c.score || {};
  const tr = el("tr", { dataset: { seekerId: id } },
    el("td", { class: "num rank", text: String(rank) }),
    el("th", { scope: "row" },
      el("a", { href: hrefSeeker(id), text: str(c.displayName) || id }),
      c.headline ? el("div", { class: "muted small", text: str(c.headline) }) : null,
      c.beyondCommute ? el("span", { class: "badge beyond-commute", text: t("beyondCommute") }) : null),
    el("td", { class: "region", text: str(c.regionName) }),
    el("td", { class: "num distance", text: fixed(score.distanceKm, 1) }),
    el("td", { class: "num score" }, el("strong", { class: "final-score", text: fixed(score.finalScore, 3) }), breakdown(score)),
    el("td", { class: "skills" }, skillsAndReason(c.explanation), programmeToggle(c.programmes, `row-programmes-${rank}`)),
    el("td", { class: "outcome" }, outcomeCell(gen, postingId, id, recorded, onRecorded)));
  return tr;
}

/**
 * @param {number} gen
 * @param {string} postingId
 * @param {string} seekerId
 * @param {Recorded} recorded
 * @param {OnRecorded} onRecorded
 * @returns {HTMLDivElement}
 */
function outcomeCell(gen, postingId, seekerId, recorded, onRecorded) {
  const buttons = el("div", { class: "outcomes" },
    OUTCOMES.map((o) => el("button", { type: "button", class: "secondary small-btn", dataset: { outcome: o }, text: t(`outcome_${o}`) })));
  const done = el("span", { class: "outcome-recorded", role: "status", text: recorded.get(seekerId) || "" });
  done.hidden = !recorded.has(seekerId);
  const cell = el("div", {}, buttons, done);
  buttons.addEventListener("click", (e) => {
    const b = /** @type {HTMLButtonElement | null} */ (/** @type {Element} */ (e.target).closest("button[data-outcome]"));
    if (!b) return;
    const outcome = /** @type {Outcome} */ (b.dataset.outcome);
    if (outcome === "rejected") openRejectForm(gen, postingId, seekerId, cell, recorded, onRecorded);
    else recordOutcome(gen, postingId, seekerId, outcome, "", cell, recorded, onRecorded);
  });
  return cell;
}

/**
 * A rejection needs its reason: a small form in the row asks for it.
 * @param {number} gen
 * @param {string} postingId
 * @param {string} seekerId
 * @param {HTMLElement} cell
 * @param {Recorded} recorded
 * @param {OnRecorded} onRecorded
 */
function openRejectForm(gen, postingId, seekerId, cell, recorded, onRecorded) {
  const existing = $(".reject-form", cell);
  if (existing) { /** @type {HTMLElement} */ ($(".reject-reason", existing)).focus(); return; }
  const inputId = `reject-reason-${seekerId.replace(/[^\w-]/g, "_")}`;
  const input = el("input", { id: inputId, class: "reject-reason", type: "text", autocomplete: "off", maxlength: "300" });
  const rowError = el("span", { class: "row-error", hidden: true });
  const form = el("form", { class: "reject-form", novalidate: true },
    el("label", { for: inputId, class: "small", text: t("rejectReason") }), input,
    el("button", { type: "submit", class: "reject-confirm small-btn", text: t("rejectConfirm") }),
    el("button", { type: "button", class: "reject-cancel secondary small-btn", text: t("cancel") }),
    rowError);
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const reason = input.value.trim();
    if (!reason) {
      // Required by the server for REJECTED: say so here without a round trip.
      showError(t("reasonRequired"));
      rowError.textContent = t("reasonRequired");
      rowError.hidden = false;
      input.setAttribute("aria-invalid", "true");
      input.focus();
      return;
    }
    recordOutcome(gen, postingId, seekerId, "rejected", reason, cell, recorded, onRecorded);
  });
  /** @type {HTMLElement} */ ($(".reject-cancel", form)).addEventListener("click", () => {
    form.remove();
    /** @type {HTMLElement} */ ($('button[data-outcome="rejected"]', cell)).focus();
  });
  cell.append(form);
  input.focus();
}

/**
 * Records one event; the list is not re-ranked, only this row changes (and the outcomes card,
 * through `onRecorded`, shows it).
 * @param {number} gen
 * @param {string} postingId
 * @param {string} seekerId
 * @param {Outcome} outcome
 * @param {string} reason "" unless rejected
 * @param {HTMLElement} cell
 * @param {Recorded} recorded
 * @param {OnRecorded} onRecorded
 */
async function recordOutcome(gen, postingId, seekerId, outcome, reason, cell, recorded, onRecorded) {
  const key = `record-${seekerId}`;
  const buttons = /** @type {HTMLButtonElement[]} */ ($$("button", cell));
  clearError();
  buttons.forEach((b) => { b.disabled = true; });
  setBusy(key, true);
  /** @type {{ postingId: string, seekerId: string, stage: string, reason?: string }} */
  const req = { postingId, seekerId, stage: `OUTCOME_STAGE_${outcome.toUpperCase()}` };
  if (reason) req.reason = reason;
  try {
    /** @type {import("../types.js").RecordOutcomeResponse} */
    const resp = await api("RecordOutcome", req);
    if (!isCurrent(gen)) return;
    const text = t("recorded", { stage: t(`outcome_${outcome}`), seq: str(resp.sequence) || "0" });
    recorded.set(seekerId, text);
    // The row may have been re-rendered meanwhile: update whichever row shows this seeker now.
    const row = $(`#shortlist tbody tr[data-seeker-id="${CSS.escape(seekerId)}"]`);
    const target = row ? $(".outcome-recorded", row) : $(".outcome-recorded", cell);
    if (target) { target.textContent = text; target.hidden = false; }
    const form = row ? $(".reject-form", row) : $(".reject-form", cell);
    if (form) form.remove();
    // Before this row's busy key drops, so the view stays not-ready until the card shows it.
    if (onRecorded) {
      const link = $("th a", row || cell.closest("tr") || cell);
      onRecorded({
        seekerId, stage: req.stage, reason, date: dateMessage(todayIso()), sequence: str(resp.sequence) || "0",
        displayName: link ? link.textContent || "" : "",
      });
    }
  } catch (err) {
    if (isCurrent(gen)) handleError(err);
  } finally {
    buttons.forEach((b) => { b.disabled = false; });
    if (isCurrent(gen)) setBusy(key, false);
  }
}

/**
 * The CSV export beside the list: the same request as the list, resume text only when ticked.
 * @param {number} gen
 * @param {string} postingId
 * @param {() => CandidatesRequest} requestBody
 * @returns {HTMLDivElement}
 */
function exportControls(gen, postingId, requestBody) {
  const resume = checkbox("export-resume", false);
  const button = el("button", { id: "export-csv", type: "button", class: "secondary", text: t("exportCsv") });
  const done = el("span", { class: "muted small", role: "status" });
  button.addEventListener("click", async () => {
    clearError();
    done.textContent = "";
    button.disabled = true;
    setBusy("export", true);
    try {
      const blob = await apiBlob(exportPath(resume.checked), requestBody());
      if (!isCurrent(gen)) return;
      saveBlob(blob, `shortlist-${postingId}.csv`);
      done.textContent = t("exported");
    } catch (err) {
      if (isCurrent(gen)) handleError(err);
    } finally {
      button.disabled = false;
      if (isCurrent(gen)) setBusy("export", false);
    }
  });
  return el("div", { class: "export" }, field(t("exportResume"), resume, { inline: true }), button, done);
}

/**
 * @param {Blob} blob
 * @param {string} filename
 */
function saveBlob(blob, filename) {
  const url = URL.createObjectURL(blob);
  const a = el("a", { href: url, download: filename, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 30000);
}

/**
 * @param {HTMLElement} mapWrap
 * @param {RecommendCandidatesResponse} resp
 * @param {CandidatesRequest} req
 * @param {import("../types.js").MapRegion[]} regions
 */
function drawCandidatesMap(mapWrap, resp, req, regions) {
  const candidates = list(resp.candidates);
  /** @type {import("../map.js").MapOptions} */
  const opts = {
    kind: "posting",
    origin: resp.origin,
    label: t("mapLabelPosting", { n: candidates.length }),
    maxDistanceKm: req && req.options ? num(req.options.maxDistanceKm) : 0,
    markers: candidates.map((c, i) => ({
      id: str(c.seekerId), lat: c.home && c.home.lat, lon: c.home && c.home.lon, rank: i + 1, beyond: !!c.beyondCommute,
      tooltip: t("mapTooltipCandidate", { rank: i + 1, name: str(c.displayName) || str(c.seekerId), region: str(c.regionName), km: fixed(c.score && c.score.distanceKm, 1) }),
    })),
    commutes: candidates.filter((c) => num(c.maxCommuteKm) > 0)
      .map((c) => ({ id: str(c.seekerId), lat: c.home && c.home.lat, lon: c.home && c.home.lon, km: num(c.maxCommuteKm) })),
  };
  mapWrap.replaceChildren(drawMap(opts, regions), mapLegend("posting"));
}
