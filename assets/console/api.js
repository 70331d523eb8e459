// @ts-check
// The one way the console talks to the server: POST /api/v2/{Method} (jobmatch.v2) with the protobuf JSON of
// the request and the bearer token; an HTTP error becomes an ApiError. Never log tokens or data.

import { t } from "./i18n/index.js";
import { str } from "./format.js";
import { getToken } from "./storage.js";

/** A refused or failed call: the HTTP status (0 when the server could not be reached) and the
 * gateway's `{code, message}`. */
export class ApiError extends Error {
  /**
   * @param {number} status
   * @param {string} code e.g. "NOT_FOUND"; "NETWORK" when unreachable
   * @param {string} message the server's message, "" when none
   */
  constructor(status, code, message) {
    super(message || code || `HTTP ${status}`);
    this.status = status; // 0: network failure
    this.code = code || "";
    this.serverMessage = message || "";
  }
}

/**
 * @param {string} path
 * @param {unknown} body
 * @returns {Promise<Response>}
 */
function apiFetch(path, body) {
  return fetch(path, {
    method: "POST",
    headers: {
      "Authorization": `Bearer ${getToken()}`,
      "Content-Type": "application/json",
    },
    body: JSON.stringify(body || {}),
    credentials: "same-origin",
    cache: "no-store",
  }).catch(() => { throw new ApiError(0, "NETWORK", ""); });
}

/**
 * @param {Response} resp
 * @returns {Promise<ApiError>}
 */
async function errorFrom(resp) {
  let code = "", message = "";
  try {
    const j = await resp.json();
    code = str(j.code);
    message = str(j.message);
  } catch (_) { /* not JSON: keep the status only */ }
  return new ApiError(resp.status, code, message);
}

/**
 * Calls one RPC through the gateway. The JSON is not checked here: each caller names the
 * answer's shape (types.js) with a JSDoc cast.
 * @param {string} method the RPC's name, e.g. "RecommendCandidates"
 * @param {unknown} body the request, protobuf JSON
 * @returns {Promise<any>} the answer, `{}` when the body is empty
 */
export async function api(method, body) {
  const resp = await apiFetch(`/api/v2/${method}`, body);
  if (!resp.ok) throw await errorFrom(resp);
  const text = await resp.text();
  return text ? JSON.parse(text) : {};
}

/**
 * Same request, raw answer (the CSV export).
 * @param {string} path
 * @param {unknown} body
 * @returns {Promise<Blob>}
 */
export async function apiBlob(path, body) {
  const resp = await apiFetch(path, body);
  if (!resp.ok) throw await errorFrom(resp);
  return resp.blob();
}

/**
 * The shortlist export's address (the body is the RecommendCandidates request).
 * @param {boolean} includeResume whether the CSV carries each seeker's resume text
 * @returns {string}
 */
export function exportPath(includeResume) {
  return `/api/v2/export/shortlist.csv?include_resume=${includeResume ? "true" : "false"}`;
}

/**
 * What to tell the counsellor about a failure: what to do, then the server's own message.
 * @param {unknown} err
 * @returns {string}
 */
export function describeError(err) {
  if (!(err instanceof ApiError)) return t("errOther", { status: "?" });
  const s = err.status;
  let hint;
  if (s === 0) hint = t("errNetwork");
  else if (s === 400) hint = t("err400");
  else if (s === 401) hint = t("err401");
  else if (s === 403) hint = t("err403");
  else if (s === 404) hint = t("err404");
  else if (s === 429 || s === 503) hint = t("errBusy");
  else if (s === 504) hint = t("err504");
  else hint = t("errOther", { status: s });
  return err.serverMessage ? `${hint}\n${t("serverSaid", { message: err.serverMessage })}` : hint;
}
