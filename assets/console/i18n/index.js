// @ts-check
// String lookup: t(key, vars) in the current language, falling back to Korean, then to the key.

import { str } from "../format.js";
import { state } from "../state.js";
import { en } from "./en.js";
import { ko } from "./ko.js";

/** @typedef {"ko" | "en"} Lang */

/** All UI strings by language, Korean first. */
export const STRINGS = /** @type {Record<Lang, Record<string, string>>} */ ({ ko, en });

/**
 * Fills `{name}` placeholders from `vars`; a placeholder without a value stays as written.
 * @param {string} template
 * @param {Record<string, string | number>} [vars]
 * @returns {string}
 */
export function fill(template, vars) {
  if (!vars) return template;
  return template.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m));
}

/**
 * The string `key` in `lang` (an unknown language reads Korean; a key missing there reads
 * Korean's; a key known to neither is shown as itself), placeholders filled.
 * @param {string} lang
 * @param {string} key
 * @param {Record<string, string | number>} [vars]
 * @param {Record<string, Record<string, string>>} [tables] the string tables (tests pass their own)
 * @returns {string}
 */
export function translate(lang, key, vars, tables = STRINGS) {
  const table = tables[lang] || tables.ko;
  const s = key in table ? table[key] : (key in tables.ko ? tables.ko[key] : key);
  return fill(s, vars);
}

/**
 * The string `key` in the console's current language.
 * @param {string} key
 * @param {Record<string, string | number>} [vars]
 * @returns {string}
 */
export function t(key, vars) {
  return translate(state.lang, key, vars);
}

/**
 * Whether `key` is a known string (Korean is the reference table).
 * @param {string} key
 * @returns {boolean}
 */
export function hasString(key) {
  return key in STRINGS.ko;
}

/**
 * A translated label when the key is known, else the server's word as it is.
 * @param {string} key
 * @param {string} raw
 * @returns {string}
 */
export function labelOr(key, raw) {
  return hasString(key) ? t(key) : raw;
}

/**
 * A role's label ("ROLE_COUNSELLOR" or "counsellor" → "상담사"); an unknown role as the server
 * wrote it.
 * @param {unknown} role
 * @returns {string}
 */
export function roleLabel(role) {
  const r = roleName(role);
  return r && hasString(`role_${r}`) ? t(`role_${r}`) : r;
}

/**
 * A role as the v2 enum names it ("ROLE_COUNSELLOR") or as the logs keep it ("counsellor"), in
 * the logs' form; "" for none or ROLE_UNSPECIFIED.
 * @param {unknown} role
 * @returns {string}
 */
export function roleName(role) {
  const r = str(role);
  const name = r.startsWith("ROLE_") ? r.slice(5).toLowerCase() : r;
  return name === "unspecified" ? "" : name;
}
