// @ts-check
// The console's one piece of shared, mutable state. Everything else is passed as arguments.
//
// Why a global remains: the page has exactly one language, one signed-in caller and one #view,
// and these are read far from where they change. The language is read by every string lookup
// (t()), the view's generation and busy set by every answer that arrives (is it still for the
// page on screen? is the page ready?). Threading them through every render function would add a
// parameter to nearly all of them and change nothing. Keeping them here, in one object that
// nothing else copies, means there is one place to look for what can change under a page.
// Importing this module touches neither `document` nor storage (the tests import it).

/** @typedef {import("./types.js").WhoAmI} WhoAmI */

/**
 * @typedef {object} FindQuery
 * @property {string} kind "posting" or "seeker"
 * @property {string} text
 * @property {string} region comma-separated region names, as typed
 */

/**
 * @typedef {object} CohortQuery
 * @property {string} seekers the seeker ids, as typed
 * @property {string} postings the posting ids, as typed
 * @property {boolean} respectCommute
 */

/**
 * @typedef {object} ConsoleState
 * @property {"ko" | "en"} lang the UI language (main.js loads it from localStorage at start)
 * @property {WhoAmI | null} me WhoAmI's answer once signed in
 * @property {number} gen bumped on every route render; answers for an older view are dropped
 * @property {Set<string>} busy keys of work in flight in the current view; empty = ready
 * @property {FindQuery | null} lastFind the last search, re-run when coming back to #/find
 * @property {CohortQuery | null} lastCohort the last cohort placed, placed again when coming back
 *   to #/cohort (or when the language changes)
 * @property {Promise<import("./types.js").MapRegion[]> | null} regionsPromise regions.json, loaded once
 * @property {Promise<import("./types.js").InterestItem[]> | null} interestItems the interest
 *   inventory's items (interests.json), loaded once, when the inventory is first started
 * @property {Map<string, Promise<import("./map.js").Outline[]>>} outlines the boundary layers
 *   ("sido", "sigungu"), each loaded once, when a map first needs it
 */

/** @type {ConsoleState} */
export const state = {
  lang: "ko",
  me: null,
  gen: 0,
  busy: new Set(),
  lastFind: null,
  lastCohort: null,
  regionsPromise: null,
  interestItems: null,
  outlines: new Map(),
};
