// @ts-check
// #/seeker/{id}: the seeker (resume hidden until asked), their best postings
// (RecommendPostings), the map of their home, commute and postings, the centre's advice, and the
// interest inventory (its stored result arrives with the advice).

import { api } from "../api.js";
import { $, appendAll, checkbox, el, field } from "../dom.js";
import { fixed, isoDate, list, num, str } from "../format.js";
import { t } from "../i18n/index.js";
import { drawMap, hasLoc, loadRegions, mapLegend, wireHighlight } from "../map.js";
import { inLanguage, postingsRequest } from "../requests.js";
import { hrefPosting } from "../router.js";
import { state } from "../state.js";
import { handleError, isCurrent, makeRanker, newView, setBusy } from "../view.js";
import { loadSeekerAdvice } from "./advice.js";
import { interestsCard } from "./interests.js";
import { breakdown, chips, fact, locationRegion, pageHeading, rankTable, showOriginRegion, skillsAndReason } from "./common.js";

/** @typedef {import("../types.js").RecommendPostingsResponse} RecommendPostingsResponse */
/** @typedef {import("../types.js").MapRegion} MapRegion */

/** @param {string} seekerId */
export function renderSeeker(seekerId) {
  const { gen, body } = newView("seekerTitle");
  const h1 = pageHeading(seekerId);
  h1.id = "seeker-h1";
  const headline = el("p", { class: "muted" });
  const facts = el("ul", { class: "header-facts" });
  const skills = el("div", { class: "header-skills" });
  const resumeBox = el("div", { id: "resume", class: "resume", hidden: true });
  const resumeToggle = el("button", { id: "show-resume", type: "button", class: "secondary small-btn", "aria-expanded": "false", "aria-controls": "resume", text: t("showResume") });
  const header = el("section", { class: "card", "aria-labelledby": "seeker-h1" }, h1, headline, facts, skills, el("p", {}, resumeToggle), resumeBox);

  const certified = checkbox("pf-certified", false);
  const form = el("form", { id: "posting-controls", class: "card controls", "aria-label": t("controls") },
    el("div", { class: "row" }, field(t("pfCertified"), certified, { inline: true }),
      el("button", { type: "submit", class: "secondary small-btn", text: t("rerank") })));
  const notice = el("div", { id: "postings-notice" });
  const table = rankTable("postings", [
    [t("colRank"), "num"], [t("colTitle")], [t("colCompany")], [t("colRegion")], [t("colDistance"), "num"], [t("colScore"), "num"], [t("colReason")],
  ], t("postingsTitle"));
  const gaps = el("section", { id: "skill-gaps", class: "card advice", "aria-label": t("seekerAdvice") });
  const mapWrap = el("div", { class: "map-wrap" });
  /** @type {() => void} */
  const loadAdvice = () => { loadSeekerAdvice(gen, seekerId, gaps, interests.show); };
  const interests = interestsCard(gen, seekerId, loadAdvice);
  body.append(header,
    el("div", { class: "split" },
      el("div", { class: "split-main" }, form,
        el("section", { "aria-label": t("postingsTitle") }, el("h2", { text: t("postingsTitle") }), notice, el("div", { class: "table-wrap" }, table)), gaps,
        interests.card),
      mapWrap));
  wireHighlight(table, mapWrap, "data-posting-id");

  let adviceLoaded = false;
  const ranker = makeRanker(gen, "rank",
    // The base map is awaited too, so the map is drawn before the view says it is ready.
    () => /** @type {Promise<[RecommendPostingsResponse, MapRegion[]]>} */ (
      Promise.all([api("RecommendPostings", inLanguage(postingsRequest(seekerId, certified.checked), state.lang)), loadRegions()])),
    ([resp, regions]) => {
      renderPostingRows(resp, table, notice);
      showOriginRegion(facts, resp);
      drawPostingsMap(mapWrap, seekerId, resp, regions);
      if (!adviceLoaded) { adviceLoaded = true; loadAdvice(); }
    });
  form.addEventListener("change", () => ranker.schedule());
  form.addEventListener("submit", (e) => { e.preventDefault(); ranker.now(); });

  loadSeekerHeader(gen, seekerId, { h1, headline, facts, skills, resumeBox, resumeToggle }).then((ok) => {
    if (!isCurrent(gen)) return;
    if (ok) ranker.now(); else { form.hidden = true; resumeToggle.hidden = true; interests.card.hidden = true; }
    setBusy("render", false);
  });
}

/**
 * Fills the seeker's header; false when the seeker could not be read.
 * @param {number} gen
 * @param {string} seekerId
 * @param {{ h1: HTMLElement, headline: HTMLElement, facts: HTMLElement, skills: HTMLElement,
 *   resumeBox: HTMLElement, resumeToggle: HTMLButtonElement }} parts
 * @returns {Promise<boolean>}
 */
async function loadSeekerHeader(gen, seekerId, parts) {
  /** @type {import("../types.js").Seeker} */
  let s;
  try {
    s = await api("GetSeeker", { id: seekerId });
  } catch (err) {
    if (isCurrent(gen)) handleError(err);
    return false;
  }
  if (!isCurrent(gen)) return false;
  parts.h1.textContent = str(s.displayName) || seekerId;
  document.title = `${parts.h1.textContent} · ${t("appTitle")}`;
  parts.headline.textContent = [str(s.headline), `ID ${str(s.id) || seekerId}`].filter(Boolean).join(" · ");
  const commute = num(s.maxCommuteKm) > 0 ? t("commuteKm", { km: fixed(s.maxCommuteKm, 1) }) : t("notStated");
  appendAll(parts.facts, [
    el("li", { class: "region-fact" }, el("span", { class: "muted", text: `${t("region")}: ` }), el("span", { class: "region-value", text: locationRegion(s.home) || "…" })),
    fact(t("commute"), commute),
    fact(t("track"), t(`track_${s.educationTrack || "EDUCATION_TRACK_UNSPECIFIED"}`)),
    s.birthYear ? fact(t("birthYear"), String(s.birthYear)) : null,
    s.availableFrom ? fact(t("availableFrom"), isoDate(s.availableFrom)) : null,
    s.dischargeDate ? fact(t("dischargeDate"), isoDate(s.dischargeDate)) : null]);
  if (list(s.skills).length) parts.skills.append(el("span", { class: "muted small", text: `${t("seekerSkills")}:` }), chips(s.skills));
  wireResumeToggle(parts.resumeToggle, parts.resumeBox, str(s.resume));
  return true;
}

/**
 * The resume is personal data: it enters the page only when the counsellor asks for it.
 * @param {HTMLButtonElement} button
 * @param {HTMLElement} box
 * @param {string} resume
 */
function wireResumeToggle(button, box, resume) {
  button.addEventListener("click", () => {
    const show = box.hidden;
    box.replaceChildren();
    if (show) box.textContent = resume || t("noResume");
    box.hidden = !show;
    button.setAttribute("aria-expanded", show ? "true" : "false");
    button.textContent = show ? t("hideResume") : t("showResume");
  });
}

/**
 * @param {RecommendPostingsResponse} resp
 * @param {HTMLTableElement} table
 * @param {HTMLElement} notice
 */
function renderPostingRows(resp, table, notice) {
  const postings = list(resp.postings);
  notice.replaceChildren();
  if (resp.nothingWithinReach) notice.append(el("p", { class: "notice", text: t("nothingWithinReachPostings") }));
  if (!postings.length) notice.append(el("p", { class: "empty", text: t("noPostings") }));
  /** @type {HTMLElement} */ ($("tbody", table)).replaceChildren(...postings.map((p, i) => {
    const id = str(p.postingId);
    const score = p.score || {};
    return el("tr", { dataset: { postingId: id } },
      el("td", { class: "num rank", text: String(i + 1) }),
      el("th", { scope: "row" }, el("a", { href: hrefPosting(id), text: str(p.title) || id }),
        p.beyondCommute ? el("span", { class: "badge beyond-commute", text: t("beyondCommute") }) : null),
      el("td", { class: "company", text: str(p.companyName) }),
      el("td", { class: "region", text: str(p.regionName) }),
      el("td", { class: "num distance", text: fixed(score.distanceKm, 1) }),
      el("td", { class: "num score" }, el("strong", { class: "final-score", text: fixed(score.finalScore, 3) }), breakdown(score)),
      el("td", { class: "skills" }, skillsAndReason(p.explanation)));
  }));
}

/**
 * @param {HTMLElement} mapWrap
 * @param {string} seekerId
 * @param {RecommendPostingsResponse} resp
 * @param {MapRegion[]} regions
 */
function drawPostingsMap(mapWrap, seekerId, resp, regions) {
  const postings = list(resp.postings);
  const origin = resp.origin;
  /** @type {import("../map.js").MapOptions} */
  const opts = {
    kind: "seeker",
    origin,
    label: t("mapLabelSeeker", { n: postings.length }),
    maxDistanceKm: 0,
    markers: postings.map((p, i) => ({
      id: str(p.postingId), lat: p.workplace && p.workplace.lat, lon: p.workplace && p.workplace.lon, rank: i + 1, beyond: !!p.beyondCommute,
      tooltip: t("mapTooltipPosting", { rank: i + 1, title: str(p.title) || str(p.postingId), company: str(p.companyName), km: fixed(p.score && p.score.distanceKm, 1) }),
    })),
    commutes: num(resp.maxCommuteKm) > 0 && origin && hasLoc(origin)
      ? [{ id: seekerId, lat: origin.lat, lon: origin.lon, km: num(resp.maxCommuteKm) }] : [],
  };
  mapWrap.replaceChildren(drawMap(opts, regions), mapLegend("seeker"));
}
