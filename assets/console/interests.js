// @ts-check
// The interest inventory's pure parts (the seeker page's "흥미 검사" card, pages/interests.js):
// the order the items are shown in, which items are still unanswered, AssessInterests' request,
// and how a profile and its families are shown (scores, fit words). No DOM, no storage: the
// tests import this module as it is. The scores are a conversation starter for a counsellor,
// not a diagnosis (assets/interest_inventory.README.md).

import { fixed, list, num, str } from "./format.js";

/** @typedef {import("./types.js").InterestItem} InterestItem */
/** @typedef {import("./types.js").InterestFamily} InterestFamily */
/** @typedef {import("./types.js").InterestScore} InterestScore */

/** The Holland types in RIASEC order (the profile's order). */
export const TYPES = /** @type {const} */ (["R", "I", "A", "S", "E", "C"]);

/** jobmatch.v2's InterestType → its letter. @type {Record<string, string>} */
const TYPE_LETTERS = {
  INTEREST_TYPE_REALISTIC: "R",
  INTEREST_TYPE_INVESTIGATIVE: "I",
  INTEREST_TYPE_ARTISTIC: "A",
  INTEREST_TYPE_SOCIAL: "S",
  INTEREST_TYPE_ENTERPRISING: "E",
  INTEREST_TYPE_CONVENTIONAL: "C",
};

/** The answer scale: 1 (strongly dislike) … 5 (strongly like). */
export const SCALE = /** @type {const} */ ([1, 2, 3, 4, 5]);

/**
 * A type's letter from the enum's name ("INTEREST_TYPE_REALISTIC" → "R"); a letter stays a
 * letter; anything else is "".
 * @param {unknown} type
 * @returns {string}
 */
export function typeLetter(type) {
  const t = str(type);
  if (t in TYPE_LETTERS) return TYPE_LETTERS[t];
  return /** @type {readonly string[]} */ (TYPES).includes(t) ? t : "";
}

/**
 * The items in the order the README asks (mixed: R1 I1 A1 S1 E1 C1 R2 I2 …), each type's items in
 * their own order; items of an unknown type come last, as given.
 * @param {InterestItem[] | undefined} items as /console/interests.json lists them (by type)
 * @returns {InterestItem[]}
 */
export function mixedOrder(items) {
  const all = list(items);
  /** @type {InterestItem[][]} */
  const byType = TYPES.map((t) => all.filter((i) => str(i.type) === t));
  const rest = all.filter((i) => !/** @type {readonly string[]} */ (TYPES).includes(str(i.type)));
  const out = [];
  const longest = Math.max(0, ...byType.map((g) => g.length));
  for (let k = 0; k < longest; k++) for (const g of byType) if (k < g.length) out.push(g[k]);
  return out.concat(rest);
}

/**
 * An answer on the scale (an integer 1–5), or 0 when it is not one.
 * @param {unknown} v
 * @returns {number}
 */
export function answerValue(v) {
  const n = Number(v);
  return Number.isInteger(n) && n >= 1 && n <= 5 ? n : 0;
}

/**
 * The ids of the items without a valid answer, in the items' order.
 * @param {InterestItem[] | undefined} items
 * @param {Map<string, number>} answers item id → value
 * @returns {string[]}
 */
export function unanswered(items, answers) {
  return list(items).map((i) => str(i.id)).filter((id) => !answerValue(answers.get(id)));
}

/**
 * @typedef {object} AssessInterestsRequest
 * @property {string} seekerId
 * @property {{ itemId: string, value: number }[]} answers one per item, in the items' order
 * @property {{ language: string }} options the language of the type and family names
 */

/**
 * AssessInterests' request: one answer per item, in the items' order; null while any item is
 * unanswered (the server refuses a partial inventory).
 * @param {string} seekerId
 * @param {InterestItem[] | undefined} items
 * @param {Map<string, number>} answers item id → value (1–5)
 * @param {string} language "ko" or "en"
 * @returns {AssessInterestsRequest | null}
 */
export function assessRequest(seekerId, items, answers, language) {
  const all = list(items);
  if (!all.length || unanswered(all, answers).length) return null;
  return {
    seekerId,
    answers: all.map((i) => ({ itemId: str(i.id), value: answerValue(answers.get(str(i.id))) })),
    options: { language },
  };
}

/**
 * The item's text in the console's language (Korean when the other is missing).
 * @param {InterestItem} item
 * @param {string} lang
 * @returns {string}
 */
export function itemText(item, lang) {
  return str(lang === "en" ? item.en || item.ko : item.ko || item.en);
}

/**
 * A type's score (the mean of its answers, 1–5) with two decimals ("4.25"; absent: "0.00").
 * @param {unknown} score
 * @returns {string}
 */
export function formatScore(score) {
  return fixed(score, 2);
}

/**
 * How much of a bar a score fills: 1 → 0, 5 → 1, clamped.
 * @param {unknown} score
 * @returns {number}
 */
export function scoreShare(score) {
  return Math.min(1, Math.max(0, (num(score) - 1) / 4));
}

/**
 * The profile's scores in RIASEC order, with their letters (a type the answer lacks is left out).
 * @param {InterestScore[] | undefined} scores
 * @returns {{ letter: string, name: string, score: number }[]}
 */
export function profileRows(scores) {
  const rows = list(scores).map((s) => ({ letter: typeLetter(s.type), name: str(s.name), score: num(s.score) }))
    .filter((r) => r.letter);
  return rows.sort((a, b) => TYPES.indexOf(/** @type {any} */ (a.letter)) - TYPES.indexOf(/** @type {any} */ (b.letter)));
}

/**
 * The string key of a family's fit as a word: a suggested family "잘 맞음" (fitGood), a weak fit
 * "약함" (fitWeak; also a suggested family whose fit is below 0.5, the README's "약한 일치"),
 * else "보통" (fitFair).
 * @param {InterestFamily} family
 * @returns {"fitGood" | "fitWeak" | "fitFair"}
 */
export function fitKey(family) {
  if (family.weak) return "fitWeak";
  if (family.suggested) return "fitGood";
  return "fitFair";
}

/**
 * The families best fit first (the server sends them so; a copy, sorted stably).
 * @param {InterestFamily[] | undefined} families
 * @returns {InterestFamily[]}
 */
export function familiesBestFirst(families) {
  return list(families).slice().sort((a, b) => num(b.fit) - num(a.fit));
}

/**
 * A fit (−1…1) with two decimals and its sign ("+0.91", "−0.23").
 * @param {unknown} fit
 * @returns {string}
 */
export function formatFit(fit) {
  const v = num(fit);
  const text = Math.abs(v).toFixed(2);
  return text === "0.00" ? text : `${v < 0 ? "−" : "+"}${text}`;
}
