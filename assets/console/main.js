// @ts-check
// jobmatch counsellor console: a framework-free front end for the HTTP JSON gateway
// (POST /api/v2/{Method}, jobmatch.v2), in ES modules served by src/transport/console.rs. This is the entry
// (index.html loads it): it restores the language and the tab's token and starts the shell.
//
// The modules: app.js (header, sign-in, routing) · router.js (hash routes) · view.js (the one
// #view, readiness, errors, live re-ranking) · api.js (the gateway) · dom.js (element helpers)
// · map.js (the SVG map) · format.js, requests.js (pure helpers) · i18n/ (strings) · state.js
// (the shared state) · storage.js (token, language) · types.js (the API's shapes, JSDoc only)
// · pages/ (one module per page or card). Every piece of data enters the page through DOM nodes
// and textContent, never innerHTML. Never log resume text or tokens.

import { api } from "./api.js";
import { $ } from "./dom.js";
import { applyStaticStrings, onLangChange, renderHeader, renderSignIn, route, signOut } from "./app.js";
import { state } from "./state.js";
import { getToken, loadLang } from "./storage.js";
import { handleError, newView, onUnauthorized, setBusy } from "./view.js";

async function start() {
  state.lang = loadLang();
  onUnauthorized(() => renderSignIn({ keepError: true }));
  applyStaticStrings();
  /** @type {HTMLElement} */ ($("#lang")).addEventListener("change", onLangChange);
  /** @type {HTMLElement} */ ($("#sign-out")).addEventListener("click", signOut);
  window.addEventListener("hashchange", () => {
    route();
    const h = $("#view h1");
    if (h && state.me) h.focus({ preventScroll: false });
  });
  if (!getToken()) { renderSignIn(); return; }
  newView(null);
  try {
    state.me = await api("WhoAmI", {});
  } catch (err) {
    handleError(err);
    if (!state.me && getToken()) { setBusy("render", false); }
    return;
  }
  renderHeader();
  route();
}

// A module runs after the document is parsed; the check stays for a page that loads it otherwise.
if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
else start();
