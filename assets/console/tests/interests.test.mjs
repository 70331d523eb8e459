// @ts-check
// The interest inventory's pure parts (interests.js): item order, unanswered items, the request,
// and how scores and fits are shown.
import assert from "node:assert/strict";
import { describe, it } from "node:test";

import {
  answerValue, assessRequest, familiesBestFirst, fitKey, formatFit, formatScore, itemText,
  mixedOrder, profileRows, scoreShare, typeLetter, unanswered,
} from "../interests.js";

/** The 48 items as interests.json lists them: by type, R1…R8, I1…I8, …, C1…C8. */
const ITEMS = ["R", "I", "A", "S", "E", "C"].flatMap((type) =>
  Array.from({ length: 8 }, (_, k) => ({ id: `${type}${k + 1}`, type, ko: `${type}${k + 1} 한국어`, en: `${type}${k + 1} English` })));

/** @param {(id: string) => number} value @returns {Map<string, number>} */
const answersBy = (value) => new Map(ITEMS.map((i) => [i.id, value(i.id)]));

describe("the items", () => {
  it("are shown mixed: R1 I1 A1 S1 E1 C1 R2 …, every item once", () => {
    const ids = mixedOrder(ITEMS).map((i) => i.id);
    assert.deepEqual(ids.slice(0, 8), ["R1", "I1", "A1", "S1", "E1", "C1", "R2", "I2"]);
    assert.deepEqual(ids.slice(-3), ["S8", "E8", "C8"]);
    assert.equal(ids.length, 48);
    assert.equal(new Set(ids).size, 48);
  });
  it("keep an item of an unknown type, last, and survive a missing list", () => {
    const odd = { id: "X1", type: "X", ko: "?", en: "?" };
    assert.deepEqual(mixedOrder([odd, ITEMS[8], ITEMS[0]]).map((i) => i.id), ["R1", "I1", "X1"]);
    assert.deepEqual(mixedOrder(undefined), []);
  });
  it("read in the console's language, Korean when English is missing", () => {
    assert.equal(itemText(ITEMS[0], "ko"), "R1 한국어");
    assert.equal(itemText(ITEMS[0], "en"), "R1 English");
    assert.equal(itemText({ id: "R1", type: "R", ko: "가", en: "" }, "en"), "가");
  });
});

describe("answers", () => {
  it("are integers 1–5; anything else counts as no answer", () => {
    assert.equal(answerValue(1), 1);
    assert.equal(answerValue("5"), 5);
    for (const v of [0, 6, 2.5, "", undefined, null, "x"]) assert.equal(answerValue(v), 0, String(v));
  });
  it("name the unanswered items in the items' order", () => {
    const answers = answersBy(() => 3);
    assert.deepEqual(unanswered(ITEMS, answers), []);
    answers.delete("C8");
    answers.delete("I3");
    answers.set("A2", 7);
    assert.deepEqual(unanswered(ITEMS, answers), ["I3", "A2", "C8"]);
    assert.equal(unanswered(ITEMS, new Map()).length, 48);
  });
});

describe("AssessInterests' request", () => {
  it("has one answer per item, in order, and the console's language", () => {
    const req = assessRequest("s001", ITEMS, answersBy((id) => (id.startsWith("R") ? 5 : 2)), "en");
    assert.ok(req);
    assert.equal(req.seekerId, "s001");
    assert.deepEqual(req.options, { language: "en" });
    assert.equal(req.answers.length, 48);
    assert.deepEqual(req.answers[0], { itemId: "R1", value: 5 });
    assert.deepEqual(req.answers[8], { itemId: "I1", value: 2 });
    assert.deepEqual(req.answers[47], { itemId: "C8", value: 2 });
    assert.equal(req.answers.filter((a) => a.value === 5).length, 8);
  });
  it("is not built while an item is unanswered or there are no items", () => {
    const answers = answersBy(() => 4);
    answers.delete("E5");
    assert.equal(assessRequest("s001", ITEMS, answers, "ko"), null);
    assert.equal(assessRequest("s001", [], new Map(), "ko"), null);
  });
});

describe("the profile", () => {
  it("reads the types' letters from the enum", () => {
    assert.equal(typeLetter("INTEREST_TYPE_REALISTIC"), "R");
    assert.equal(typeLetter("INTEREST_TYPE_CONVENTIONAL"), "C");
    assert.equal(typeLetter("S"), "S");
    assert.equal(typeLetter("INTEREST_TYPE_UNSPECIFIED"), "");
    assert.equal(typeLetter(undefined), "");
  });
  it("lists the scores in RIASEC order with two decimals, bars from 1 (empty) to 5 (full)", () => {
    const rows = profileRows([
      { type: "INTEREST_TYPE_CONVENTIONAL", score: 2, name: "관습형" },
      { type: "INTEREST_TYPE_REALISTIC", score: 5, name: "현장형" },
      { type: "INTEREST_TYPE_UNSPECIFIED", score: 3 },
      { type: "INTEREST_TYPE_SOCIAL", name: "사회형" },
    ]);
    assert.deepEqual(rows, [
      { letter: "R", name: "현장형", score: 5 },
      { letter: "S", name: "사회형", score: 0 },
      { letter: "C", name: "관습형", score: 2 },
    ]);
    assert.equal(formatScore(4.25), "4.25");
    assert.equal(formatScore(2.125), "2.13");
    assert.equal(formatScore(undefined), "0.00");
    assert.equal(scoreShare(1), 0);
    assert.equal(scoreShare(3), 0.5);
    assert.equal(scoreShare(5), 1);
    assert.equal(scoreShare(undefined), 0);
    assert.equal(scoreShare(9), 1);
  });
});

describe("the families", () => {
  it("say their fit in a word: suggested 잘 맞음, weak 약함 (a weak suggestion too), else 보통", () => {
    assert.equal(fitKey({ suggested: true, fit: 0.91 }), "fitGood");
    assert.equal(fitKey({ suggested: true, weak: true, fit: 0.46 }), "fitWeak");
    assert.equal(fitKey({ weak: true, fit: -0.23 }), "fitWeak");
    assert.equal(fitKey({ fit: 0.62 }), "fitFair");
  });
  it("come best fit first, ties in the server's order", () => {
    const fams = familiesBestFirst([
      { family: "accounting", fit: -0.23 }, { family: "welding", fit: 0.91 },
      { family: "machining", fit: 0.81 }, { family: "food_production", fit: 0.81 }, { family: "software" },
    ]);
    assert.deepEqual(fams.map((f) => f.family), ["welding", "machining", "food_production", "software", "accounting"]);
    assert.deepEqual(familiesBestFirst(undefined), []);
  });
  it("show a fit with its sign and two decimals", () => {
    assert.equal(formatFit(0.9149), "+0.91");
    assert.equal(formatFit(-0.226), "−0.23");
    assert.equal(formatFit(0.001), "0.00");
    assert.equal(formatFit(undefined), "0.00");
  });
});
