// @ts-check
// The seeker page's interest inventory card ("흥미 검사"): the 48 items (/console/interests.json)
// as a form of five-point answers, AssessInterests on submit, and the result (the profile and the
// job families it fits, with their postings within reach). The seeker's stored result comes with
// AdviseSeeker (pages/advice.js hands it to show()); after a new assessment the advice is loaded
// again so both agree. The result is a conversation starter, not a diagnosis: the card says so.

import { api, describeError } from "../api.js";
import { el } from "../dom.js";
import { list, num, str } from "../format.js";
import { t } from "../i18n/index.js";
import {
  assessRequest, familiesBestFirst, fitKey, formatFit, formatScore, itemText, mixedOrder,
  profileRows, SCALE, scoreShare, unanswered,
} from "../interests.js";
import { state } from "../state.js";
import { isCurrent, setBusy } from "../view.js";

/** @typedef {import("../types.js").InterestAdvice} InterestAdvice */
/** @typedef {import("../types.js").InterestItem} InterestItem */
/** @typedef {import("../types.js").InterestFamily} InterestFamily */

/**
 * The inventory's items, fetched once (a failure is forgotten, so the next start tries again).
 * @returns {Promise<InterestItem[]>}
 */
function loadItems() {
  if (!state.interestItems) {
    state.interestItems = fetch("/console/interests.json", { credentials: "same-origin" })
      .then((r) => { if (!r.ok) throw new Error(`HTTP ${r.status}`); return r.json(); })
      .then((j) => list(j && j.items))
      .catch((err) => { state.interestItems = null; throw err; });
  }
  return state.interestItems;
}

/**
 * @typedef {object} InterestsCard
 * @property {HTMLElement} card the card to place on the page
 * @property {(interests: InterestAdvice | undefined) => void} show shows a result (AdviseSeeker's
 *   or AssessInterests'); undefined: not taken yet
 */

/**
 * The card, empty until show() is called (AdviseSeeker's answer) or an assessment is made.
 * @param {number} gen the view's generation
 * @param {string} seekerId
 * @param {() => void} reloadAdvice loads the seeker's advice again (after a new assessment)
 * @returns {InterestsCard}
 */
export function interestsCard(gen, seekerId, reloadAdvice) {
  const result = el("div", { id: "interests-result", class: "interests-result", "aria-live": "polite" });
  const start = el("button", { id: "interests-start", type: "button", class: "secondary small-btn",
    "aria-expanded": "false", "aria-controls": "interests-form", text: t("interestsStart") });
  const itemsFailed = el("p", { class: "advice-error muted small", role: "alert", hidden: true, text: t("interestsItemsFailed") });
  const formBox = el("div", { class: "interests-form-box" });
  const card = el("section", { id: "interests", class: "card interests", "aria-labelledby": "interests-h" },
    el("h2", { id: "interests-h", text: t("interestsTitle") }),
    el("p", { class: "muted small interests-note", text: t("interestsNote") }),
    result, el("p", {}, start), itemsFailed, formBox);

  let taken = false;
  /** The form when it is built (it is dropped once its answers are scored). */
  const openForm = () => /** @type {HTMLElement | null} */ (formBox.firstElementChild);
  const labelStart = () => {
    const form = openForm();
    const open = !!form && !form.hidden;
    start.textContent = open ? t("interestsClose") : t(taken ? "interestsRetake" : "interestsStart");
    start.setAttribute("aria-expanded", open ? "true" : "false");
  };
  /** @param {InterestAdvice | undefined} interests */
  const show = (interests) => {
    taken = !!interests;
    result.replaceChildren(...(interests ? resultView(interests) : [el("p", { class: "muted small", text: t("interestsNotTaken") })]));
    labelStart();
  };
  const submitted = (/** @type {InterestAdvice | undefined} */ interests) => {
    formBox.replaceChildren();
    show(interests);
    result.scrollIntoView({ block: "nearest" });
    reloadAdvice();
  };

  start.addEventListener("click", async () => {
    const form = openForm();
    if (form) { form.hidden = !form.hidden; labelStart(); return; }
    setBusy("interests", true);
    start.disabled = true;
    try {
      const items = mixedOrder(await loadItems());
      if (!isCurrent(gen)) return;
      itemsFailed.hidden = true;
      formBox.replaceChildren(inventoryForm(gen, seekerId, items, submitted));
    } catch (_) {
      if (!isCurrent(gen)) return;
      itemsFailed.hidden = false;
    }
    start.disabled = false;
    labelStart();
    setBusy("interests", false);
  });
  return { card, show };
}

/**
 * The form: one fieldset per item (its text, five labelled radios), the count answered, and the
 * submit button, disabled until every item is answered.
 * @param {number} gen
 * @param {string} seekerId
 * @param {InterestItem[]} items in the order shown
 * @param {(interests: InterestAdvice | undefined) => void} done called with AssessInterests' result
 * @returns {HTMLFormElement}
 */
function inventoryForm(gen, seekerId, items, done) {
  const progress = el("p", { id: "interests-progress", class: "small", role: "status" });
  const message = el("p", { id: "interests-message", class: "advice-error small", role: "alert", hidden: true });
  const submit = el("button", { id: "interests-submit", type: "submit", disabled: true, "aria-describedby": "interests-progress", text: t("interestsSubmit") });
  const form = el("form", { id: "interests-form", class: "interests-form", novalidate: true, "aria-labelledby": "interests-h" },
    el("p", { class: "interests-instruction", text: t("interestsInstruction") }),
    el("ol", { class: "interest-items" }, items.map((item, i) => el("li", {}, itemFieldset(item, i)))),
    el("div", { class: "interests-actions" }, progress, message, submit));

  /** @returns {Map<string, number>} */
  const answers = () => {
    const m = new Map();
    for (const input of /** @type {HTMLInputElement[]} */ (Array.from(form.querySelectorAll("input[type=radio]:checked")))) {
      m.set(str(input.dataset.itemId), Number(input.value));
    }
    return m;
  };
  const update = () => {
    const missing = unanswered(items, answers());
    progress.textContent = t("interestsProgress", { n: items.length - missing.length, total: items.length });
    submit.disabled = missing.length > 0;
    if (!missing.length) message.hidden = true;
    return missing;
  };
  form.addEventListener("change", update);
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const missing = update();
    const request = assessRequest(seekerId, items, answers(), state.lang);
    if (!request) {
      message.textContent = t("interestsUnanswered", { n: missing.length, items: missing.slice(0, 8).join(", ") + (missing.length > 8 ? ", …" : "") });
      message.hidden = false;
      const first = form.querySelector(`input[name="interest-${missing[0]}"]`);
      if (first) /** @type {HTMLInputElement} */ (first).focus();
      return;
    }
    submit.disabled = true;
    message.hidden = true;
    setBusy("interests", true);
    /** @type {import("../types.js").AssessInterestsResponse} */
    let resp;
    try {
      resp = await api("AssessInterests", request);
    } catch (err) {
      if (!isCurrent(gen)) return;
      message.textContent = `${t("interestsFailed")} ${describeError(err)}`;
      message.hidden = false;
      submit.disabled = false;
      setBusy("interests", false);
      return;
    }
    if (!isCurrent(gen)) return;
    done(resp.interests);
    setBusy("interests", false);
  });
  update();
  return form;
}

/**
 * One item: its number and text, and the five answers.
 * @param {InterestItem} item
 * @param {number} index its place in the form
 * @returns {HTMLFieldSetElement}
 */
function itemFieldset(item, index) {
  const id = str(item.id);
  return el("fieldset", { class: "interest-item", dataset: { itemId: id, type: str(item.type) } },
    el("legend", {}, el("span", { class: "item-no", text: `${index + 1}. ` }), el("span", { class: "item-text", text: itemText(item, state.lang) })),
    el("div", { class: "scale" }, SCALE.map((v) => el("label", { class: "scale-choice" },
      el("input", { type: "radio", name: `interest-${id}`, value: String(v), dataset: { itemId: id } }),
      el("span", { text: t(`scale_${v}`) })))));
}

/**
 * The result: the six scores (a table with bars), the code or why there is none, and the
 * families best first, the suggested ones marked.
 * @param {InterestAdvice} interests
 * @returns {HTMLElement[]}
 */
function resultView(interests) {
  const profile = interests.profile || {};
  const rows = profileRows(profile.scores);
  const scores = el("table", { class: "interest-scores" },
    el("caption", { class: "small", text: t("interestsProfile") }),
    el("tbody", {}, rows.map((r) => el("tr", { dataset: { type: r.letter } },
      el("th", { scope: "row", text: `${r.name || r.letter} (${r.letter})` }),
      el("td", { class: "num type-score", text: formatScore(r.score) }),
      el("td", { class: "bar-cell", "aria-hidden": "true" },
        el("span", { class: "bar" }, el("span", { class: "bar-fill", style: `width:${(scoreShare(r.score) * 100).toFixed(1)}%` })))))));
  const code = profile.flat
    ? el("p", { class: "notice interests-flat", text: t("interestsFlat") })
    : el("p", { class: "interest-code", dataset: { code: str(profile.code) } },
      el("strong", { text: t("interestsCode", { code: str(profile.code) }) }),
      profile.ambiguous ? el("span", { class: "muted small", text: ` · ${t("interestsAmbiguous")}` }) : null);
  const families = familiesBestFirst(interests.families);
  return [
    el("div", { class: "interest-profile" }, scores, code),
    el("div", { class: "interest-families-box" },
      el("h3", { text: t("interestsFamilies") }),
      families.length ? el("ol", { class: "interest-families" }, families.map(familyItem))
        : el("p", { class: "muted small", text: t("interestsFamiliesNone") })),
  ];
}

/**
 * @param {InterestFamily} f
 * @returns {HTMLLIElement}
 */
function familyItem(f) {
  const key = fitKey(f);
  const n = num(f.postingsInReach);
  return el("li", { class: f.suggested ? "interest-family suggested" : "interest-family",
    dataset: { family: str(f.family), suggested: f.suggested ? "true" : "false", postings: n } },
    el("strong", { class: "family-name", text: str(f.name) || str(f.family) }),
    f.suggested ? el("span", { class: "badge suggested-badge", text: t("interestsSuggested") }) : null,
    el("span", { class: `chip fit-word ${key}`, title: t("fitValue", { fit: formatFit(f.fit) }), text: t(key) }),
    el("span", { class: "postings-in-reach small", text: t("postingsInReach", { n }) }));
}
