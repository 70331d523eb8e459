// @ts-check
// The one #view and its readiness, the #error box, and live re-ranking.
//
// Browser tests wait on #view[data-ready="true"], so readiness is tracked as a set of in-flight
// keys (state.busy); the view is ready only when the set is empty. Every render bumps
// state.gen; an answer that arrives for an older generation is dropped.

import { ApiError, describeError } from "./api.js";
import { $, el } from "./dom.js";
import { debounce } from "./format.js";
import { t } from "./i18n/index.js";
import { state } from "./state.js";
import { setToken } from "./storage.js";

const DEBOUNCE_MS = 300;

/**
 * @typedef {object} View
 * @property {number} gen the view's generation: pass it to isCurrent() after every await
 * @property {HTMLDivElement} body the element to fill
 */

/**
 * Starts a new view: clears #view, bumps the generation, returns the body to fill. The view
 * is busy with "render" until the page calls setBusy("render", false).
 * @param {string | null} titleKey the string key of the document's title, null for the app's
 * @returns {View}
 */
export function newView(titleKey) {
  state.gen += 1;
  state.busy = new Set();
  const view = /** @type {HTMLElement} */ ($("#view"));
  view.replaceChildren();
  const status = el("p", { id: "view-status", class: "status", role: "status", text: t("loading") });
  const body = el("div", { id: "view-body" });
  view.append(status, body);
  document.title = titleKey ? `${t(titleKey)} · ${t("appTitle")}` : t("appTitle");
  setBusy("render", true);
  return { gen: state.gen, body };
}

/**
 * Marks the work `key` in flight (on) or done (off) and shows whether the view is ready.
 * @param {string} key
 * @param {boolean} on
 */
export function setBusy(key, on) {
  if (on) state.busy.add(key); else state.busy.delete(key);
  const ready = state.busy.size === 0;
  const view = /** @type {HTMLElement} */ ($("#view"));
  view.dataset.ready = ready ? "true" : "false";
  view.setAttribute("aria-busy", ready ? "false" : "true");
  const status = $("#view-status");
  if (status) status.hidden = ready;
}

/**
 * Whether the view of generation `gen` is still the one on screen.
 * @param {number} gen
 * @returns {boolean}
 */
export const isCurrent = (gen) => gen === state.gen;

/** @param {string} message */
export function showError(message) {
  const box = /** @type {HTMLElement} */ ($("#error"));
  box.textContent = message;
  box.hidden = false;
}

export function clearError() {
  const box = /** @type {HTMLElement} */ ($("#error"));
  box.textContent = "";
  box.hidden = true;
}

/** @type {() => void} */
let showSignIn = () => {};

/**
 * Names what handleError does after a 401: app.js passes its sign-in form once, at start.
 * (view.js cannot import app.js: app.js imports every page, and every page imports this.)
 * @param {() => void} fn
 */
export function onUnauthorized(fn) {
  showSignIn = fn;
}

/**
 * Shows the error; a 401 anywhere means the token is no good, so back to the sign-in form.
 * @param {unknown} err
 */
export function handleError(err) {
  if (!(err instanceof ApiError)) console.error(err); // programming errors only; never data
  showError(describeError(err));
  if (err instanceof ApiError && err.status === 401) {
    setToken("");
    state.me = null;
    showSignIn();
  }
}

/**
 * @typedef {object} Ranker
 * @property {() => void} schedule runs after the changes stop for a moment
 * @property {() => Promise<void>} now runs at once (a submit, the first load)
 */

/**
 * Runs `load()` and hands its answer to `render()`, debounced. Every schedule bumps the
 * sequence, so an answer to a superseded request is dropped and never overwrites a newer one;
 * the view stays not-ready (busy with `key`) from the first change until the newest answer is
 * rendered.
 * @template T
 * @param {number} gen the view's generation
 * @param {string} key the busy key
 * @param {() => Promise<T>} load
 * @param {(answer: T) => void} render
 * @returns {Ranker}
 */
export function makeRanker(gen, key, load, render) {
  let seq = 0;
  const run = async () => {
    const my = ++seq;
    const stale = () => !isCurrent(gen) || my !== seq;
    clearError();
    try {
      const resp = await load();
      if (stale()) return;
      render(resp);
    } catch (err) {
      if (stale()) return;
      handleError(err);
    }
    if (!stale()) setBusy(key, false);
  };
  const later = debounce(run, DEBOUNCE_MS);
  return {
    schedule() { seq++; if (isCurrent(gen)) setBusy(key, true); later(); },
    now() { later.cancel(); if (isCurrent(gen)) setBusy(key, true); return run(); },
  };
}
