// @ts-check
// The requests the pages send, built from what the form holds (pure: the tests call these with
// plain objects in place of the inputs). Proto3 JSON: a field left out takes the server's default.

import { dateMessage, idList, splitList } from "./format.js";

/** @typedef {import("./types.js").DateMessage} DateMessage */

/** The education tracks a filter may name (the "any" choice sends none). */
export const TRACKS = [
  "EDUCATION_TRACK_SPECIALISED_HIGH_SCHOOL",
  "EDUCATION_TRACK_JUNIOR_COLLEGE",
  "EDUCATION_TRACK_VOCATIONAL_SCHOOL",
  "EDUCATION_TRACK_UNIVERSITY",
  "EDUCATION_TRACK_MILITARY_SERVICE",
];

/** The ranking's weights: slider name, RankingOptions field (and RankingParameters'), label key. */
export const WEIGHTS = /** @type {const} */ ([
  ["semantic", "semanticWeight", "wSemantic"],
  ["lexical", "lexicalWeight", "wLexical"],
  ["geo", "geoWeight", "wGeo"],
  ["skills", "skillsWeight", "wSkills"],
]);

/** @typedef {typeof WEIGHTS[number][0]} WeightName */

/**
 * @param {import("./state.js").FindQuery} query
 * @param {string} pageToken "" for the first page
 * @returns {{ kind: string, pageSize: number, text?: string, regions?: string[], pageToken?: string }}
 *   FindRecords' request
 */
export function findRequest(query, pageToken) {
  /** @type {ReturnType<typeof findRequest>} */
  const req = {
    kind: query.kind === "seeker" ? "RECORD_KIND_SEEKER" : "RECORD_KIND_POSTING",
    pageSize: 20,
  };
  if (query.text) req.text = query.text;
  if (query.region) req.regions = splitList(query.region);
  if (pageToken) req.pageToken = pageToken;
  return req;
}

/**
 * What candidatesRequest reads of the posting page's controls (the inputs themselves, or
 * anything with the same `value`/`checked`).
 * @typedef {object} CandidateControls
 * @property {{ value: string }} topK
 * @property {{ value: string }} maxDistance
 * @property {{ checked: boolean }} commute
 * @property {{ checked: boolean }} youth
 * @property {{ value: string }} track
 * @property {{ value: string }} discharged
 * @property {{ value: string }} available
 * @property {Record<WeightName, { touched: boolean, input: { value: string } }>} weights
 */

/**
 * @typedef {object} CandidatesRequest
 * @property {string} postingId
 * @property {Record<string, number | boolean>} options RankingOptions
 * @property {{ maxAge?: number, educationTracks?: string[], dischargedBy?: DateMessage, availableBy?: DateMessage }} filter
 */

/**
 * RecommendCandidates' request (also the CSV export's body). Only the weights the counsellor
 * moved are sent; the others stay at the server's defaults.
 * @param {string} postingId
 * @param {CandidateControls} c
 * @returns {CandidatesRequest}
 */
export function candidatesRequest(postingId, c) {
  /** @type {Record<string, number | boolean>} */
  const options = {};
  const k = parseInt(c.topK.value, 10);
  options.topK = Number.isFinite(k) && k > 0 ? k : 10;
  const maxKm = parseFloat(c.maxDistance.value);
  if (c.maxDistance.value.trim() !== "" && Number.isFinite(maxKm)) options.maxDistanceKm = maxKm;
  if (!c.commute.checked) options.ignoreSeekerCommute = true;
  for (const [name, field] of WEIGHTS) {
    const w = c.weights[name];
    if (w.touched) options[field] = parseFloat(w.input.value);
  }
  /** @type {CandidatesRequest["filter"]} */
  const filter = {};
  if (c.youth.checked) filter.maxAge = 34;
  if (c.track.value) filter.educationTracks = [c.track.value];
  const dischargedBy = dateMessage(c.discharged.value);
  if (dischargedBy) filter.dischargedBy = dischargedBy;
  const availableBy = dateMessage(c.available.value);
  if (availableBy) filter.availableBy = availableBy;
  return { postingId, options, filter };
}

/**
 * RecommendPostings' request: the seeker's ten best postings.
 * @param {string} seekerId
 * @param {boolean} certifiedOnly
 * @returns {{ seekerId: string, options: { topK: number }, filter: { certifiedOnly?: boolean } }}
 */
export function postingsRequest(seekerId, certifiedOnly) {
  /** @type {ReturnType<typeof postingsRequest>} */
  const req = { seekerId, options: { topK: 10 }, filter: {} };
  if (certifiedOnly) req.filter.certifiedOnly = true;
  return req;
}

/**
 * MatchRegion's request from the region form's fields; null when no region is named.
 * @param {string} regionsText comma-separated region names
 * @param {string} kText candidates per opening (at least 1; 2 when not a number)
 * @param {string} maxListsText lists per seeker (at least 1; 1 when not a number)
 * @param {boolean} respectCommute
 * @returns {{ regions: string[], k: number, maxListsPerSeeker: number, options: { ignoreSeekerCommute?: boolean } } | null}
 */
export function regionPlanRequest(regionsText, kText, maxListsText, respectCommute) {
  const regions = splitList(regionsText);
  if (!regions.length) return null;
  return {
    regions,
    k: Math.max(1, parseInt(kText, 10) || 2),
    maxListsPerSeeker: Math.max(1, parseInt(maxListsText, 10) || 1),
    options: respectCommute ? {} : { ignoreSeekerCommute: true },
  };
}

/**
 * PlaceCohort's request from the cohort form's two boxes (ids separated by commas, spaces or new
 * lines; see idList); null when either names no id.
 * @param {string} seekersText the cohort's seeker ids
 * @param {string} postingsText the partner companies' posting ids
 * @param {boolean} respectCommute unticked: seekers are considered beyond their own commute
 * @returns {{ seekerIds: string[], postingIds: string[], options: { ignoreSeekerCommute?: boolean } } | null}
 */
export function cohortRequest(seekersText, postingsText, respectCommute) {
  const seekerIds = idList(seekersText);
  const postingIds = idList(postingsText);
  if (!seekerIds.length || !postingIds.length) return null;
  return { seekerIds, postingIds, options: respectCommute ? {} : { ignoreSeekerCommute: true } };
}

/**
 * ExposureAudit's request: k clamped to 1–100 (10 when not a number).
 * @param {string} kText
 * @param {boolean} includePlan
 * @returns {{ k: number, includePlan: boolean }}
 */
export function auditRequest(kText, includePlan) {
  const kv = parseInt(kText, 10);
  return { k: Number.isFinite(kv) ? Math.min(100, Math.max(1, kv)) : 10, includePlan };
}

/**
 * A ranking request with its reasons asked for in the console's language (the server writes
 * Korean when none is given).
 * @template {{ options?: Record<string, unknown> }} R
 * @param {R} request
 * @param {string} language "ko" or "en"
 * @returns {R}
 */
export function inLanguage(request, language) {
  return { ...request, options: { ...(request.options || {}), language } };
}
