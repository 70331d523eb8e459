// @ts-check
// What the console keeps in the browser: the token in this tab's sessionStorage only (gone with
// the tab, never in localStorage), the language choice in localStorage. Storage may be disabled:
// every access is guarded, and nothing is touched until a function is called. Never log a token.

const TOKEN_KEY = "jobmatch.token";
const LANG_KEY = "jobmatch.lang";

/** @returns {string} the bearer token, or "" when signed out */
export function getToken() {
  try { return sessionStorage.getItem(TOKEN_KEY) || ""; } catch (_) { return ""; }
}

/**
 * Keeps the token for this tab; "" forgets it.
 * @param {string} v
 */
export function setToken(v) {
  try {
    if (v) sessionStorage.setItem(TOKEN_KEY, v); else sessionStorage.removeItem(TOKEN_KEY);
  } catch (_) { /* storage disabled: the token lives only as long as this call */ }
}

/** @returns {"ko" | "en"} the language chosen earlier; Korean by default */
export function loadLang() {
  try {
    const v = localStorage.getItem(LANG_KEY);
    return v === "en" ? "en" : "ko";
  } catch (_) {
    return "ko";
  }
}

/** @param {"ko" | "en"} lang */
export function saveLang(lang) {
  try { localStorage.setItem(LANG_KEY, lang); } catch (_) { /* not kept */ }
}
