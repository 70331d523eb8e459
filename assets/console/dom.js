// @ts-check
// Element helpers. Every piece of data enters the page through DOM nodes and textContent, never
// through innerHTML, so names, headlines and reasons cannot inject markup. Nothing here runs
// at import time: the tests may import modules that import this one.

/** @typedef {HTMLElement | SVGElement} AnyElement */

/**
 * Attributes for el()/svgEl(): `class`, `text` (textContent), `dataset` (an object),
 * `onclick`-style listeners, the properties `checked`/`value`/`disabled`/`selected`, and any
 * other attribute (true → present and empty; undefined, null and false → left out).
 * @typedef {Record<string, unknown>} Attrs
 */

/**
 * Children: nodes, text (strings and numbers), nested arrays; null, undefined and false are skipped.
 * @typedef {Node | string | number | boolean | null | undefined | ChildList} Child
 */
/** @typedef {Array<Child>} ChildList */

/**
 * `el("a", {href: "#", class: "x", dataset: {id: 1}, onclick: fn}, "text", childNode, ...)`
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Attrs | null} [attrs]
 * @param {...Child} children
 * @returns {HTMLElementTagNameMap[K]}
 */
export function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  setAttrs(node, attrs);
  appendAll(node, children);
  return node;
}

const SVG_NS = "http://www.w3.org/2000/svg";

/**
 * The SVG twin of el().
 * @template {keyof SVGElementTagNameMap} K
 * @param {K} tag
 * @param {Attrs | null} [attrs]
 * @param {...Child} children
 * @returns {SVGElementTagNameMap[K]}
 */
export function svgEl(tag, attrs, ...children) {
  const node = document.createElementNS(SVG_NS, tag);
  setAttrs(node, attrs);
  appendAll(node, children);
  return node;
}

/**
 * @param {AnyElement} node
 * @param {Attrs | null | undefined} attrs
 */
export function setAttrs(node, attrs) {
  if (!attrs) return;
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "class") node.setAttribute("class", String(v));
    else if (k === "text") node.textContent = String(v);
    else if (k === "dataset") Object.entries(/** @type {Record<string, unknown>} */ (v)).forEach(([dk, dv]) => { node.dataset[dk] = String(dv); });
    else if (k.startsWith("on") && typeof v === "function") node.addEventListener(k.slice(2), /** @type {EventListener} */ (v));
    else if (k === "checked" || k === "value" || k === "disabled" || k === "selected") /** @type {any} */ (node)[k] = v;
    else node.setAttribute(k, v === true ? "" : String(v));
  }
}

/**
 * Appends children (flattened), strings and numbers as text nodes.
 * @param {Node} node
 * @param {Child[]} children
 */
export function appendAll(node, children) {
  for (const c of /** @type {unknown[]} */ (children).flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    node.appendChild(typeof c === "string" || typeof c === "number" ? document.createTextNode(String(c)) : /** @type {Node} */ (c));
  }
}

/**
 * The first element under `root` matching `sel`, or null. Typed as HTML: the few SVG
 * selections (`svg`, `.marker`) use only what every Element has.
 * @param {string} sel
 * @param {ParentNode} [root]
 * @returns {HTMLElement | null}
 */
export const $ = (sel, root = document) => /** @type {HTMLElement | null} */ (root.querySelector(sel));

/**
 * Every element under `root` matching `sel`.
 * @param {string} sel
 * @param {ParentNode} [root]
 * @returns {HTMLElement[]}
 */
export const $$ = (sel, root = document) => /** @type {HTMLElement[]} */ (Array.from(root.querySelectorAll(sel)));

/**
 * A labelled form field; `inline` puts the label after the input (checkboxes).
 * @param {string} labelText
 * @param {HTMLInputElement | HTMLSelectElement} input
 * @param {{ inline?: boolean }} [opts]
 * @returns {HTMLDivElement}
 */
export function field(labelText, input, opts = {}) {
  return el("div", { class: "field" + (opts.inline ? " inline" : "") },
    opts.inline ? [input, el("label", { for: input.id, text: labelText })]
      : [el("label", { for: input.id, text: labelText }), input]);
}

/**
 * @param {string} id
 * @param {boolean} checked
 * @returns {HTMLInputElement}
 */
export function checkbox(id, checked) {
  return el("input", { id, type: "checkbox", checked: !!checked });
}
