// @ts-check
// String lookup and the two string tables (i18n/).
import assert from "node:assert/strict";
import { afterEach, describe, it } from "node:test";

import { fill, hasString, labelOr, roleLabel, roleName, STRINGS, t, translate } from "../i18n/index.js";
import { state } from "../state.js";

const placeholders = (/** @type {string} */ s) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe("fill", () => {
  it("fills every placeholder it has a value for", () => {
    assert.equal(fill("{skill}: asked by {n} of {m}", { skill: "TIG", n: 3, m: 10 }), "TIG: asked by 3 of 10");
    assert.equal(fill("{n} / {n}", { n: 0 }), "0 / 0");
  });
  it("leaves unknown placeholders as written, and text without vars alone", () => {
    assert.equal(fill("{a} and {b}", { a: "x" }), "x and {b}");
    assert.equal(fill("no {vars} here"), "no {vars} here");
  });
});

describe("translate", () => {
  it("reads the language asked", () => {
    assert.equal(translate("ko", "navFind"), "찾기");
    assert.equal(translate("en", "navFind"), "Find");
    assert.equal(translate("en", "findCount", { n: 7 }), "7 shown");
    assert.equal(translate("ko", "findCount", { n: 7 }), "7건 표시");
  });
  it("falls back to Korean for an unknown language or a missing key, then to the key", () => {
    const tables = { ko: { a: "가 {x}", b: "나" }, en: { a: "A {x}" } };
    assert.equal(translate("en", "a", { x: 1 }, tables), "A 1");
    assert.equal(translate("en", "b", undefined, tables), "나");
    assert.equal(translate("fr", "a", { x: 2 }, tables), "가 2");
    assert.equal(translate("en", "nope", undefined, tables), "nope");
    assert.equal(translate("en", "noSuchKey"), "noSuchKey");
  });
});

describe("t follows the console's language", () => {
  afterEach(() => { state.lang = "ko"; });
  it("switches with state.lang", () => {
    state.lang = "ko";
    assert.equal(t("signOut"), "로그아웃");
    state.lang = "en";
    assert.equal(t("signOut"), "Sign out");
    assert.equal(t("errOther", { status: 502 }), "The request failed (HTTP 502): try again in a moment.");
  });
  it("labels roles and server words", () => {
    state.lang = "en";
    assert.equal(roleLabel("counsellor"), "counsellor");
    assert.equal(roleLabel("auditor"), "auditor"); // unknown: as the server wrote it
    assert.equal(roleLabel(undefined), "");
    state.lang = "ko";
    assert.equal(roleLabel("admin"), "관리자");
    // v2 answers give the enum; the label is the same.
    assert.equal(roleLabel("ROLE_ADMIN"), "관리자");
    assert.equal(roleName("ROLE_COUNSELLOR"), "counsellor");
    assert.equal(roleName("ROLE_UNSPECIFIED"), "");
    assert.equal(roleName("platform"), "platform");
    assert.equal(labelOr("grp_capital_region", "capital_region"), "수도권");
    assert.equal(labelOr("grp_martian", "martian"), "martian");
    assert.equal(hasString("dim_age_band"), true);
    assert.equal(hasString("dim_shoe_size"), false);
  });
});

describe("the string tables", () => {
  it("have the same keys in Korean and English", () => {
    assert.deepEqual(Object.keys(STRINGS.en).sort(), Object.keys(STRINGS.ko).sort());
    assert.ok(Object.keys(STRINGS.ko).length > 250);
  });
  it("use the same placeholders in both languages", () => {
    for (const key of Object.keys(STRINGS.ko)) {
      assert.deepEqual(placeholders(STRINGS.en[key]), placeholders(STRINGS.ko[key]), key);
    }
  });
  it("have no empty string", () => {
    for (const lang of /** @type {const} */ (["ko", "en"])) {
      for (const [key, value] of Object.entries(STRINGS[lang])) assert.ok(value.trim(), `${lang}.${key}`);
    }
  });
});
