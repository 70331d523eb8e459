// @ts-check
// The centre's advice under a posting's or a seeker's list (AdvisePosting, AdviseSeeker) and the
// support programmes (also shown per shortlist row). Optional: loaded after the list, a failure
// stays inside its own box, and neither touches data-ready nor #error.

import { api, describeError } from "../api.js";
import { $, el } from "../dom.js";
import { fixed, list, num, safeHttpUrl, str } from "../format.js";
import { t } from "../i18n/index.js";
import { inLanguage } from "../requests.js";
import { hrefPosting } from "../router.js";
import { state } from "../state.js";
import { isCurrent } from "../view.js";
import { noneText } from "./common.js";

/** @typedef {import("../types.js").ProgrammeMatch} ProgrammeMatch */
/** @typedef {import("../types.js").FieldAdvice} FieldAdvice */
/** @typedef {import("../types.js").Market} Market */
/** @typedef {import("../dom.js").Child} Child */

const PROGRAMME_KINDS = ["employer_subsidy", "tax_relief", "seeker_support", "military_service"];
/** FieldAdvice.field → string key of its label; an unknown field is shown as the server wrote it.
 * @type {Record<string, string>} */
const FIELD_LABELS = {
  skills: "field_skills", location: "field_location", title: "field_title", description: "field_description",
  resume: "field_resume", sector: "sector", employment_type: "employment", max_commute_km: "commute",
  available_from: "availableFrom", birth_year: "birthYear", education_track: "track",
};

/**
 * @param {unknown} kind
 * @returns {string}
 */
function programmeKind(kind) {
  const k = str(kind);
  return PROGRAMME_KINDS.includes(k) ? t(`kind_${k}`) : k;
}

/**
 * Where the programme's rules are published: a link only for a web address.
 * @param {ProgrammeMatch} p
 * @returns {HTMLDivElement}
 */
function programmeSource(p) {
  const href = safeHttpUrl(p.source, location.href);
  const year = num(p.rulesRead);
  const label = year ? t("progSourceYear", { year }) : t("progSource");
  return el("div", { class: "programme-source small" },
    href ? el("a", { href, target: "_blank", rel: "noopener noreferrer", text: label })
      : (p.source ? el("span", { text: str(p.source) }) : null),
    p.verifyBeforeUse ? el("span", { class: "verify-note", text: t("verifyNote") }) : null);
}

/**
 * @param {ProgrammeMatch} p
 * @returns {HTMLLIElement}
 */
function programmeItem(p) {
  const eligible = !!p.eligible;
  return el("li", { class: "programme", dataset: { programmeId: str(p.id), eligible: eligible ? "true" : "false" } },
    el("div", { class: "programme-head" },
      el("strong", { class: "programme-name", lang: "ko", text: str(p.name) || str(p.id) }),
      state.lang === "en" && p.nameEn ? el("span", { class: "programme-name-en", text: str(p.nameEn) }) : null,
      p.kind ? el("span", { class: "chip programme-kind", text: programmeKind(p.kind) }) : null),
    el("div", { class: eligible ? "programme-status eligible" : "programme-status near-miss",
      text: eligible ? t("progEligible") : t("progOneShort", { condition: str(p.failedCondition) }) }),
    programmeSource(p));
}

/**
 * The one way a list of ProgrammeMatch is shown (advice panels and shortlist rows).
 * @param {ProgrammeMatch[] | undefined} programmes
 * @param {string} [id]
 * @returns {HTMLElement}
 */
export function programmeList(programmes, id) {
  const items = list(programmes);
  if (!items.length) return el("p", { id, class: "muted small", text: t("programmesNone") });
  return el("ul", { id, class: "programme-list" }, items.map(programmeItem));
}

/**
 * A count badge that shows or hides the row's programmes just below the reason; null when none.
 * @param {ProgrammeMatch[] | undefined} programmes
 * @param {string} listId
 * @returns {[HTMLButtonElement, HTMLElement] | null}
 */
export function programmeToggle(programmes, listId) {
  const items = list(programmes);
  if (!items.length) return null;
  const box = programmeList(items, listId);
  box.classList.add("row-programmes");
  box.hidden = true;
  const button = el("button", { type: "button", class: "programme-toggle", "aria-expanded": "false", "aria-controls": listId,
    text: t("programmeBadge", { n: items.length }) });
  button.addEventListener("click", () => {
    box.hidden = !box.hidden;
    button.setAttribute("aria-expanded", box.hidden ? "false" : "true");
  });
  return [button, box];
}

/**
 * @param {string} id
 * @param {string} title
 * @param {Child} content
 * @param {string} [cls]
 * @returns {HTMLElement}
 */
function adviceSection(id, title, content, cls) {
  return el("section", { id, class: `advice-section ${cls || ""}`.trim(), "aria-labelledby": `${id}-h` },
    el("h3", { id: `${id}-h`, text: title }), content);
}

/**
 * @param {FieldAdvice[] | undefined} fields
 * @returns {HTMLElement}
 */
function completenessList(fields) {
  const items = list(fields);
  if (!items.length) return noneText("completenessNone");
  return el("ul", { class: "advice-list completeness-list" }, items.map((f) => {
    const key = FIELD_LABELS[str(f.field)];
    return el("li", { dataset: { field: str(f.field) } },
      el("strong", { text: `${key ? t(key) : str(f.field)}: ` }), el("span", { text: str(f.advice) }));
  }));
}

/**
 * @param {import("../types.js").SimilarPosting[] | undefined} similar
 * @returns {HTMLElement}
 */
function similarList(similar) {
  const items = list(similar);
  if (!items.length) return noneText("similarNone");
  return el("ul", { class: "advice-list similar-list" }, items.map((s) => {
    const id = str(s.postingId);
    return el("li", { dataset: { postingId: id } },
      el("a", { href: hrefPosting(id), text: str(s.title) || id }),
      s.companyName ? el("span", { class: "muted", text: ` · ${str(s.companyName)}` }) : null,
      el("span", { class: "small similar-figures", text: ` · ${t("similarity")} ${fixed(s.similarity, 3)} · ${fixed(s.distanceKm, 1)} km` }));
  }));
}

/**
 * @param {import("../types.js").SkillSuggestion[] | undefined} suggestions
 * @returns {HTMLElement}
 */
function skillsToAddList(suggestions) {
  const items = list(suggestions);
  if (!items.length) return noneText("skillsToAddNone");
  return el("ul", { class: "advice-list skills-to-add" }, items.map((s) => el("li", { dataset: { skill: str(s.skill) },
    text: t("askedBy", { skill: str(s.skill), n: num(s.askedBy), m: num(s.outOf) }) })));
}

/**
 * @param {string} cls
 * @param {string} label
 * @param {unknown} value
 * @returns {HTMLDivElement}
 */
function marketFigure(cls, label, value) {
  return el("div", { class: `market-figure ${cls}` }, el("dt", { text: label }), el("dd", { class: "value", text: String(num(value)) }));
}

/**
 * How many seekers the draft reaches; absent when the draft has no workplace.
 * @param {Market | undefined} market
 * @returns {Child}
 */
function marketBlock(market) {
  if (!market) return noneText("marketNone");
  const drops = list(market.ifDropped);
  return [
    el("dl", { class: "market-figures" },
      marketFigure("seekers-matching", t("seekersMatching"), market.seekersMatching),
      marketFigure("seekers-with-all-skills", t("seekersWithAllSkills"), market.seekersWithAllSkills)),
    drops.length ? el("p", { class: "small muted if-dropped-head", text: t("ifDropped") }) : null,
    drops.length ? el("ul", { class: "advice-list if-dropped" }, drops.map((d) => el("li", { dataset: { skill: str(d.skill) },
      text: t("withoutSkill", { skill: str(d.skill), n: num(d.seekersWithAllOthers) }) }))) : null,
    market.seekersConsidered ? el("p", { class: "muted small", text: t("seekersConsidered", { n: num(market.seekersConsidered) }) }) : null,
  ];
}

/**
 * @param {unknown} err
 * @returns {HTMLParagraphElement}
 */
function adviceFailure(err) {
  return el("p", { class: "advice-error muted small", text: `${t("adviceFailed")} ${describeError(err)}` });
}

/**
 * The posting's advice panel: collapsible, filled by loadPostingAdvice after the shortlist.
 * @returns {HTMLDetailsElement}
 */
export function postingAdvicePanel() {
  return el("details", { id: "posting-advice", class: "card advice", open: true },
    el("summary", {}, el("h2", { text: t("postingAdvice") })),
    el("div", { class: "advice-body" }));
}

/**
 * Fills the posting's advice panel (AdvisePosting on the posting as stored).
 * @param {number} gen the view's generation
 * @param {import("../types.js").Posting} draft
 * @param {HTMLElement} panel
 */
export async function loadPostingAdvice(gen, draft, panel) {
  const body = /** @type {HTMLElement} */ ($(".advice-body", panel));
  body.replaceChildren(el("p", { class: "status", role: "status", text: t("loading") }));
  /** @type {import("../types.js").AdvisePostingResponse} */
  let resp;
  try {
    resp = await api("AdvisePosting", { draft });
  } catch (err) {
    if (isCurrent(gen)) body.replaceChildren(adviceFailure(err));
    return;
  }
  if (!isCurrent(gen)) return;
  body.replaceChildren(el("div", { class: "advice-grid" },
    adviceSection("posting-similar", t("similarPostings"), similarList(resp.similar)),
    adviceSection("posting-skills-to-add", t("skillsToAdd"), skillsToAddList(resp.skillsToAdd)),
    adviceSection("posting-market", t("market"), marketBlock(resp.market)),
    adviceSection("posting-completeness", t("completeness"), completenessList(resp.completeness)),
    adviceSection("posting-programmes", t("programmes"), programmeList(resp.programmes), "wide")));
}

/**
 * @param {import("../types.js").InterviewPrep[] | undefined} interview
 * @returns {Child}
 */
function interviewList(interview) {
  const preps = list(interview);
  if (!preps.length) return noneText("interviewNone");
  return preps.map((p) => {
    const id = str(p.postingId);
    return el("div", { class: "interview-posting", dataset: { postingId: id } },
      el("h4", {}, el("a", { href: hrefPosting(id), text: str(p.title) || id })),
      el("ol", { class: "questions" }, list(p.questions).map((q) => el("li", {},
        el("span", { class: "question", text: str(q.question) }),
        q.skill ? [" ", el("span", { class: "chip question-skill", text: t("questionSkill", { skill: str(q.skill) }) })] : null))));
  });
}

/**
 * Fills the seeker's advice box: one AdviseSeeker call gives the skill gaps, interview
 * questions, completeness and programmes, and the interest inventory's stored result, which goes
 * to `onInterests` (the inventory's card; undefined when the seeker has not taken it).
 * @param {number} gen the view's generation
 * @param {string} seekerId
 * @param {HTMLElement} box
 * @param {(interests: import("../types.js").InterestAdvice | undefined) => void} [onInterests]
 */
export async function loadSeekerAdvice(gen, seekerId, box, onInterests) {
  box.replaceChildren(el("h3", { text: t("skillGaps") }), el("p", { class: "status", text: t("loading") }));
  /** @type {import("../types.js").AdviseSeekerResponse} */
  let resp;
  try {
    // In the console's language: the family and type names, the completeness advice.
    resp = await api("AdviseSeeker", inLanguage({ seekerId }, state.lang));
  } catch (err) {
    if (!isCurrent(gen)) return;
    box.replaceChildren(el("h3", { text: t("skillGaps") }), adviceFailure(err));
    return;
  }
  if (!isCurrent(gen)) return;
  box.replaceChildren(
    el("div", { class: "advice-section skill-gap-block" }, skillGapBlock(resp)),
    el("div", { class: "advice-grid" },
      adviceSection("interview-prep", t("interviewPrep"), interviewList(resp.interview), "wide"),
      adviceSection("seeker-completeness", t("seekerCompleteness"), completenessList(resp.completeness)),
      adviceSection("seeker-programmes", t("programmes"), programmeList(resp.programmes))));
  if (onInterests) onInterests(resp.interests);
}

/**
 * @param {import("../types.js").AdviseSeekerResponse} resp
 * @returns {Child[]}
 */
function skillGapBlock(resp) {
  const gaps = list(resp.skillGaps);
  return [el("h3", { text: t("skillGaps") }),
    gaps.length
      ? el("ul", { class: "gap-list" }, gaps.map((g) => el("li", { dataset: { skill: str(g.skill) },
        text: t("skillGapItem", { skill: str(g.skill), asked: num(g.askedBy), opens: list(g.opensPostingIds).length }) })))
      : el("p", { class: "muted", text: t("skillGapsNone") }),
    resp.postingsConsidered ? el("p", { class: "muted small", text: t("postingsConsidered", { n: num(resp.postingsConsidered) }) }) : null];
}
