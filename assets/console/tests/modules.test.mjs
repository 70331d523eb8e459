// @ts-check
// The console's modules as a whole: what the server serves (STATIC_FILES in
// src/transport/console.rs) is exactly what the page imports, every module is type-checked
// (`// @ts-check`), and every module but the entry can be imported without a browser.
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";

const CONSOLE = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const CONSOLE_RS = resolve(CONSOLE, "../../src/transport/console.rs");
const ENTRY = "main.js";

/** @param {string} file a path under assets/console, with "/" */
const read = (file) => readFileSync(join(CONSOLE, ...file.split("/")), "utf8");

/** Every .js file under assets/console except the tests, as "pages/find.js". */
function allModules(dir = CONSOLE) {
  /** @type {string[]} */
  const out = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) { if (name !== "tests" && name !== "node_modules") out.push(...allModules(path)); }
    else if (name.endsWith(".js")) out.push(relative(CONSOLE, path).split(sep).join("/"));
  }
  return out.sort();
}

/**
 * The modules `file` imports at run time (static `import … from "…"` and `import("…")`), resolved.
 * @param {string} file
 * @returns {string[]}
 */
function importsOf(file) {
  const source = read(file).replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
  const specs = [
    ...source.matchAll(/^\s*(?:import|export)\s+(?:[^;"']*?\s+from\s+)?["']([^"']+)["']/gm),
    ...source.matchAll(/\bimport\(\s*["']([^"']+)["']\s*\)/g),
  ].map((m) => m[1]);
  return specs.map((spec) => {
    assert.ok(spec.startsWith("./") || spec.startsWith("../"), `${file} imports "${spec}": only relative modules are served`);
    return join(dirname(file), spec).split(sep).join("/");
  });
}

/** Every module reachable from the entry. */
function reachable() {
  const seen = new Set([ENTRY]);
  const todo = [ENTRY];
  while (todo.length) {
    for (const dep of importsOf(/** @type {string} */ (todo.pop()))) if (!seen.has(dep)) { seen.add(dep); todo.push(dep); }
  }
  return [...seen].sort();
}

/** The files STATIC_FILES serves under /console/. */
function served() {
  const rs = readFileSync(CONSOLE_RS, "utf8");
  return [...rs.matchAll(/console_file!\("([^"]+)",\s*(\w+)\)/g)].map((m) => ({ file: m[1], type: m[2] }));
}

describe("what the server serves", () => {
  it("finds the table in console.rs", () => {
    assert.ok(served().length >= 10, "no console_file! rows found in src/transport/console.rs");
  });
  it("serves every module the page imports, as JavaScript, and no other", () => {
    const js = served().filter((f) => f.file.endsWith(".js"));
    for (const f of js) assert.equal(f.type, "JS", f.file);
    assert.deepEqual(js.map((f) => f.file).sort(), reachable());
  });
  it("serves every file index.html names, and index.html loads the entry as a module", () => {
    const html = read("index.html");
    const files = new Set(served().map((f) => f.file));
    const named = [...html.matchAll(/(?:src|href)="\/console\/([^"]+)"/g)].map((m) => m[1]);
    assert.ok(named.length >= 2);
    for (const file of named) assert.ok(files.has(file), `index.html names /console/${file}, which is not served`);
    assert.match(html, /<script type="module" src="\/console\/main\.js"><\/script>/);
    assert.doesNotMatch(html, /<script(?![^>]*\ssrc=)[^>]*>/, "no inline script (CSP script-src 'self')");
  });
  it("leaves no module unserved but the JSDoc-only types.js", () => {
    const unreached = allModules().filter((m) => !reachable().includes(m));
    assert.deepEqual(unreached, ["types.js"]);
  });
});

describe("every module", () => {
  it("starts with // @ts-check", () => {
    for (const file of allModules()) assert.ok(read(file).startsWith("// @ts-check\n"), file);
  });
  it("but the entry imports without a browser (no document or window at import time)", async () => {
    assert.equal(typeof globalThis.document, "undefined");
    for (const file of allModules().filter((m) => m !== ENTRY)) {
      await import(new URL(`../${file}`, import.meta.url).href);
    }
  });
});
