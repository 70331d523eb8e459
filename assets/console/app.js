// @ts-check
// The console's shell: the header (who is signed in, the menu, the language), the sign-in form,
// signing out, and routing a hash to its page. main.js starts it.

import { api, ApiError } from "./api.js";
import { $, $$, el, field } from "./dom.js";
import { list, str } from "./format.js";
import { roleLabel, t } from "./i18n/index.js";
import { renderCohort } from "./pages/cohort.js";
import { renderFigures } from "./pages/figures.js";
import { renderFind } from "./pages/find.js";
import { renderPosting } from "./pages/posting.js";
import { renderRegion } from "./pages/region.js";
import { renderSeeker } from "./pages/seeker.js";
import { currentNav, NAV_LINKS, parseRoute } from "./router.js";
import { state } from "./state.js";
import { saveLang, setToken } from "./storage.js";
import { clearError, handleError, newView, setBusy, showError } from "./view.js";

/** Puts the static page's strings (data-i18n, data-i18n-aria) in the current language. */
export function applyStaticStrings() {
  document.documentElement.lang = state.lang;
  $$("[data-i18n]").forEach((n) => { n.textContent = t(/** @type {string} */ (n.dataset.i18n)); });
  $$("[data-i18n-aria]").forEach((n) => { n.setAttribute("aria-label", t(/** @type {string} */ (n.dataset.i18nAria))); });
  /** @type {HTMLSelectElement} */ ($("#lang")).value = state.lang;
}

/** Shows the menu, the sign-out button and who is signed in (name · role · regions), or hides them. */
export function renderHeader() {
  const signedIn = !!state.me;
  /** @type {HTMLElement} */ ($("#nav")).hidden = !signedIn;
  /** @type {HTMLElement} */ ($("#sign-out")).hidden = !signedIn;
  const who = /** @type {HTMLElement} */ ($("#whoami"));
  who.hidden = !signedIn;
  if (state.me) {
    const me = state.me;
    const regions = list(me.regionNames).length ? list(me.regionNames).join(", ")
      : (list(me.regions).length ? list(me.regions).join(", ") : t("everywhere"));
    const role = roleLabel(me.role);
    who.textContent = [str(me.name), role, regions].filter(Boolean).join(" · ");
  } else {
    who.textContent = "";
  }
  markCurrentNav();
}

/** Marks the menu link of the page on screen (aria-current). */
function markCurrentNav() {
  const current = currentNav(location.hash || "");
  for (const [id] of NAV_LINKS) {
    const a = /** @type {HTMLElement} */ (document.getElementById(id));
    if (current.includes(id)) a.setAttribute("aria-current", "page"); else a.removeAttribute("aria-current");
  }
}

/** @param {Event} e the language menu's change */
export function onLangChange(e) {
  state.lang = /** @type {HTMLSelectElement} */ (e.target).value === "en" ? "en" : "ko";
  saveLang(state.lang);
  applyStaticStrings();
  renderHeader();
  // Re-render the current page in the new language (it fetches its data again).
  if (state.me) route(); else renderSignIn({ keepError: true });
}

export function signOut() {
  setToken("");
  state.me = null;
  state.lastFind = null;
  state.lastCohort = null;
  clearError();
  renderHeader();
  if (location.hash !== "" && location.hash !== "#/") history.replaceState(null, "", "#/");
  renderSignIn();
}

/**
 * The sign-in form (the token is kept in this tab's session storage only).
 * @param {{ keepError?: boolean }} [opts] keepError: leave the error that sent us here on screen
 */
export function renderSignIn(opts = {}) {
  if (!opts.keepError) clearError();
  renderHeader();
  const { body } = newView("signInTitle");
  const input = el("input", { id: "token", type: "password", name: "token", autocomplete: "current-password", required: true, spellcheck: "false" });
  const form = el("form", { id: "sign-in-form", class: "card sign-in", novalidate: true },
    el("h1", { text: t("signInTitle"), tabindex: "-1" }),
    el("p", { class: "muted", text: t("signInIntro") }),
    field(t("tokenLabel"), input),
    el("p", {}, el("button", { id: "sign-in", type: "submit", text: t("signIn") })));
  form.addEventListener("submit", (e) => { e.preventDefault(); submitSignIn(input.value.trim()); });
  body.append(form);
  setBusy("render", false);
  input.focus();
}

/**
 * Tries the token (WhoAmI); on success goes to #/find.
 * @param {string} token
 */
async function submitSignIn(token) {
  clearError();
  if (!token) { showError(t("tokenEmpty")); /** @type {HTMLElement} */ ($("#token")).focus(); return; }
  setToken(token);
  setBusy("signin", true);
  try {
    state.me = await api("WhoAmI", {});
  } catch (err) {
    setBusy("signin", false);
    handleError(err);
    if (!(err instanceof ApiError && err.status === 401)) setToken("");
    const input = $("#token");
    if (input) input.focus();
    return;
  }
  renderHeader();
  if (location.hash === "#/find") route(); else location.hash = "#/find";
}

/** Renders the page the location's hash names (the sign-in form when signed out). */
export function route() {
  if (!state.me) { renderSignIn({ keepError: true }); return; }
  clearError();
  markCurrentNav();
  const r = parseRoute(location.hash);
  switch (r.page) {
    case "home": location.replace("#/find"); return;
    case "find": renderFind(); break;
    case "posting": renderPosting(r.id, state.me); break;
    case "seeker": renderSeeker(r.id); break;
    case "region": renderRegion(state.me); break;
    case "cohort": renderCohort(); break;
    case "figures": renderFigures(state.me); break;
    default: renderUnknown();
  }
}

function renderUnknown() {
  const { body } = newView(null);
  body.append(el("h1", { text: t("notFoundRoute") }));
  setBusy("render", false);
}
