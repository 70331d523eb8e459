// @ts-check
// The cohort page's pure parts: the ids as pasted (format.js), PlaceCohort's request
// (requests.js), the unplaced reasons' names and their labels.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { afterEach, describe, it } from "node:test";

import { idList, unplacedReasonName } from "../format.js";
import { hasString, t } from "../i18n/index.js";
import { cohortRequest, inLanguage } from "../requests.js";
import { state } from "../state.js";

describe("idList", () => {
  it("splits on commas, spaces and new lines, dropping blanks", () => {
    assert.deepEqual(idList("s001, s037,s006\n\ns054  s012\r\n\ts024 ,, "), ["s001", "s037", "s006", "s054", "s012", "s024"]);
    assert.deepEqual(idList(""), []);
    assert.deepEqual(idList(" ,\n , \t"), []);
  });
  it("skips '#' comments to the end of their line, as the place-cohort id files have them", () => {
    assert.deepEqual(idList("# the cohort\ns001 # first\ns002\n#s003\n"), ["s001", "s002"]);
  });
  it("keeps each id once, where it first appears (the server refuses repeats)", () => {
    assert.deepEqual(idList("p008 p001\np008, p001 p046"), ["p008", "p001", "p046"]);
  });
  it("reads the demo's cohort files whole", () => {
    const file = (/** @type {string} */ name) => readFileSync(new URL(`../../../demo/${name}`, import.meta.url), "utf8");
    assert.deepEqual(idList(file("cohort-seekers.txt")), ["s001", "s037", "s006", "s054", "s012", "s024", "s010", "s034", "s041", "s004"]);
    assert.deepEqual(idList(file("cohort-companies.txt")), ["p001", "p025", "p008", "p038", "p046"]);
  });
});

describe("cohortRequest", () => {
  it("sends both lists, nothing else when the commute is respected", () => {
    assert.deepEqual(cohortRequest("s001, s037\ns006", "p001 p025", true),
      { seekerIds: ["s001", "s037", "s006"], postingIds: ["p001", "p025"], options: {} });
  });
  it("asks to ignore the seekers' commute when unticked", () => {
    assert.deepEqual(cohortRequest("s001", "p001", false),
      { seekerIds: ["s001"], postingIds: ["p001"], options: { ignoreSeekerCommute: true } });
  });
  it("is null when either list names no id", () => {
    assert.equal(cohortRequest("", "p001", true), null);
    assert.equal(cohortRequest("s001", " , \n", true), null);
    assert.equal(cohortRequest("# only a comment", "p001", false), null);
    assert.equal(cohortRequest("", "", true), null);
  });
  it("takes the console's language beside the commute option", () => {
    const req = /** @type {NonNullable<ReturnType<typeof cohortRequest>>} */ (cohortRequest("s001", "p001", false));
    assert.deepEqual(inLanguage(req, "en"),
      { seekerIds: ["s001"], postingIds: ["p001"], options: { ignoreSeekerCommute: true, language: "en" } });
  });
});

describe("unplacedReasonName", () => {
  afterEach(() => { state.lang = "ko"; });
  it("names the v2 enum's reasons, none for unspecified or absent", () => {
    assert.equal(unplacedReasonName("UNPLACED_REASON_NO_POSTING_IN_REACH"), "no_posting_in_reach");
    assert.equal(unplacedReasonName("UNPLACED_REASON_OUTCOMPETED"), "outcompeted");
    assert.equal(unplacedReasonName("UNPLACED_REASON_UNSPECIFIED"), "");
    assert.equal(unplacedReasonName(undefined), "");
  });
  it("has a label for each reason in both languages", () => {
    for (const name of ["no_posting_in_reach", "outcompeted"]) assert.ok(hasString(`unplaced_${name}`), name);
    state.lang = "en";
    assert.equal(t("unplaced_outcompeted"), "Outcompeted");
    assert.equal(t("cohortFilled", { n: 2, openings: 5 }), "2 of 5 openings filled");
    state.lang = "ko";
    assert.equal(t("unplaced_no_posting_in_reach"), "닿는 공고 없음");
    assert.equal(t("cohortFilled", { n: 2, openings: 5 }), "채용 인원 5명 중 2명 배치");
  });
});
