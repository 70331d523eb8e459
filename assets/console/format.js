// @ts-check
// Pure helpers: reading proto3 JSON defensively, and formatting numbers, shares and dates.
// No DOM, no storage: the tests import this module as it is.

// Proto3 JSON omits defaults: read numbers, lists and strings defensively.

/**
 * A finite number, or 0 (absent, null, "abc", NaN, ±Infinity).
 * @param {unknown} v
 * @returns {number}
 */
export const num = (v) => { const n = Number(v); return Number.isFinite(n) ? n : 0; };

/**
 * The array itself, or [] for anything that is not an array.
 * @template T
 * @param {T[] | null | undefined} v
 * @returns {T[]}
 */
export const list = (v) => (Array.isArray(v) ? v : []);

/**
 * The value as a string; "" for undefined and null.
 * @param {unknown} v
 * @returns {string}
 */
export const str = (v) => (v === undefined || v === null ? "" : String(v));

/**
 * `v` with `d` decimals (absent or not a number: 0).
 * @param {unknown} v
 * @param {number} d
 * @returns {string}
 */
export const fixed = (v, d) => num(v).toFixed(d);

/**
 * A share (0.123) as a percentage with one decimal, without the sign ("12.3").
 * @param {unknown} v
 * @returns {string}
 */
export const pct = (v) => (num(v) * 100).toFixed(1);

/** @typedef {"count" | "share" | "km"} FigureKind */

/**
 * One of the centre's figures as shown on its card: a count, a share or a distance.
 * @param {unknown} v
 * @param {FigureKind} kind
 * @returns {string}
 */
export function formatFigure(v, kind) {
  if (kind === "share") return `${(num(v) * 100).toFixed(1)} %`;
  if (kind === "km") return `${num(v).toFixed(1)} km`;
  return String(Math.round(num(v)));
}

/**
 * The local calendar date of `d` as YYYY-MM-DD (the date inputs' format).
 * @param {Date} [d] today when absent
 * @returns {string}
 */
export function todayIso(d = new Date()) {
  const p = (/** @type {number} */ n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

/**
 * A google.type.Date as ISO text: "YYYY-MM-DD", or "YYYY-MM" when the day is 0 (a month); "" when
 * absent or not a date.
 * @param {unknown} date
 * @returns {string}
 */
export function isoDate(date) {
  if (!date || typeof date !== "object") return "";
  const d = /** @type {{ year?: unknown, month?: unknown, day?: unknown }} */ (date);
  const [y, m, day] = [Number(d.year || 0), Number(d.month || 0), Number(d.day || 0)];
  if (!y || !m) return "";
  const pad = (/** @type {number} */ n, /** @type {number} */ w) => String(n).padStart(w, "0");
  return day ? `${pad(y, 4)}-${pad(m, 2)}-${pad(day, 2)}` : `${pad(y, 4)}-${pad(m, 2)}`;
}

/**
 * An <input type="date"> value ("YYYY-MM-DD") as a google.type.Date; undefined when empty or
 * malformed (the field is then left out of the request).
 * @param {string} iso
 * @returns {{ year: number, month: number, day: number } | undefined}
 */
export function dateMessage(iso) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(str(iso).trim());
  return m ? { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) } : undefined;
}

/**
 * A comma-separated input as its trimmed, non-empty parts ("경기도, 울산" → ["경기도", "울산"]).
 * @param {string} text
 * @returns {string[]}
 */
export function splitList(text) {
  return text.split(",").map((s) => s.trim()).filter(Boolean);
}

/**
 * Record ids as pasted into a box: separated by commas, spaces or new lines, a "#" starting a
 * comment to the end of its line (as in the `jobmatch place-cohort` id files), blanks dropped,
 * each id once, where it first appears ("s001, s002\ns001 # again" → ["s001", "s002"]).
 * @param {string} text
 * @returns {string[]}
 */
export function idList(text) {
  const ids = str(text).split(/\r?\n/).flatMap((line) => line.replace(/#.*$/, "").split(/[\s,]+/));
  return [...new Set(ids.filter(Boolean))];
}

/**
 * An unplaced seeker's reason as a short name ("UNPLACED_REASON_OUTCOMPETED" → "outcompeted");
 * "" for none or UNPLACED_REASON_UNSPECIFIED.
 * @param {unknown} reason the v2 enum's name
 * @returns {string}
 */
export function unplacedReasonName(reason) {
  const r = str(reason);
  const name = r.startsWith("UNPLACED_REASON_") ? r.slice("UNPLACED_REASON_".length).toLowerCase() : r.toLowerCase();
  return name === "unspecified" ? "" : name;
}

/**
 * @template {unknown[]} A
 * @typedef {((...args: A) => void) & { cancel(): void }} Debounced
 */

/**
 * `fn` called `ms` after the last of a burst of calls, with that call's arguments.
 * @template {unknown[]} A
 * @param {(...args: A) => void} fn
 * @param {number} ms
 * @returns {Debounced<A>}
 */
export function debounce(fn, ms) {
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  /** @type {Debounced<A>} */
  const wrapped = Object.assign(
    (/** @type {A} */ ...args) => { clearTimeout(timer); timer = setTimeout(() => fn(...args), ms); },
    { cancel: () => clearTimeout(timer) });
  return wrapped;
}

/**
 * Only web addresses become links: a `javascript:` or other source gives "".
 * @param {unknown} value the address, absolute or relative to `base`
 * @param {string} base the page's address (location.href)
 * @returns {string} the absolute http(s) address, or ""
 */
export function safeHttpUrl(value, base) {
  try {
    const url = new URL(str(value), base);
    return url.protocol === "https:" || url.protocol === "http:" ? url.href : "";
  } catch (_) {
    return "";
  }
}
