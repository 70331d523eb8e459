// @ts-check
// Hash routes: #/find, #/posting/{id}, #/seeker/{id}, #/region, #/cohort, #/figures. Parsing and links
// only (pure); app.js renders the page a route names.

/**
 * @typedef {{ page: "home" | "find" | "region" | "cohort" | "figures" | "unknown" }
 *   | { page: "posting" | "seeker", id: string }} Route
 */

/**
 * The page a location hash names. The id is everything after the page's name, decoded
 * ("#/posting/a%2Fb" and "#/posting/a/b" both name posting "a/b"); a record page without an id
 * is unknown.
 * @param {string} hash location.hash, with or without its "#"
 * @returns {Route}
 */
export function parseRoute(hash) {
  const parts = hash.replace(/^#/, "").split("/").filter(Boolean);
  const id = parts.length > 1 ? decodeURIComponent(parts.slice(1).join("/")) : "";
  switch (parts[0] || "") {
    case "": return { page: "home" };
    case "find": return { page: "find" };
    case "posting": return id ? { page: "posting", id } : { page: "unknown" };
    case "seeker": return id ? { page: "seeker", id } : { page: "unknown" };
    case "region": return { page: "region" };
    case "cohort": return { page: "cohort" };
    case "figures": return { page: "figures" };
    default: return { page: "unknown" };
  }
}

/**
 * @param {string} id
 * @returns {string} the posting page's hash
 */
export const hrefPosting = (id) => `#/posting/${encodeURIComponent(id)}`;

/**
 * @param {string} id
 * @returns {string} the seeker page's hash
 */
export const hrefSeeker = (id) => `#/seeker/${encodeURIComponent(id)}`;

/** The header's menu: each link's element id and the hash prefix it stands for. */
export const NAV_LINKS = /** @type {const} */ ([["nav-find", "#/find"], ["nav-region", "#/region"], ["nav-cohort", "#/cohort"], ["nav-figures", "#/figures"]]);

/**
 * The ids of the menu links to mark as the current page for `hash`.
 * @param {string} hash
 * @returns {string[]}
 */
export function currentNav(hash) {
  return NAV_LINKS.filter(([, prefix]) => hash.startsWith(prefix)).map(([id]) => id);
}
