// @ts-check
// The requests the pages build from their forms (requests.js), and the export's address.
import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { exportPath } from "../api.js";
import {
  auditRequest, candidatesRequest, findRequest, inLanguage, postingsRequest, regionPlanRequest, WEIGHTS,
} from "../requests.js";

/** The posting page's controls as plain objects, at their initial values unless overridden. */
function controls(over = {}) {
  const weight = () => ({ touched: false, input: { value: "0.5" } });
  return {
    topK: { value: "10" }, maxDistance: { value: "" }, commute: { checked: true }, youth: { checked: false },
    track: { value: "" }, discharged: { value: "" }, available: { value: "" },
    weights: { semantic: weight(), lexical: weight(), geo: weight(), skills: weight() },
    ...over,
  };
}

describe("findRequest", () => {
  it("asks for postings by default, 20 at a time, leaving out what is empty", () => {
    assert.deepEqual(findRequest({ kind: "posting", text: "", region: "" }, ""),
      { kind: "RECORD_KIND_POSTING", pageSize: 20 });
  });
  it("sends the words, the regions split on commas and the page token", () => {
    assert.deepEqual(findRequest({ kind: "seeker", text: "welder", region: "경기도, 울산광역시 ," }, "tok2"), {
      kind: "RECORD_KIND_SEEKER", pageSize: 20, text: "welder", regions: ["경기도", "울산광역시"], pageToken: "tok2",
    });
  });
});

describe("candidatesRequest", () => {
  it("at the initial values: the top 10, nothing else", () => {
    assert.deepEqual(candidatesRequest("p001", controls()), { postingId: "p001", options: { topK: 10 }, filter: {} });
  });
  it("sends every filter that is set", () => {
    const req = candidatesRequest("p001", controls({
      topK: { value: "25" }, maxDistance: { value: " 8.5 " }, commute: { checked: false }, youth: { checked: true },
      track: { value: "EDUCATION_TRACK_JUNIOR_COLLEGE" }, discharged: { value: "2025-03-01" }, available: { value: "2025-04-15" },
    }));
    assert.deepEqual(req, {
      postingId: "p001",
      options: { topK: 25, maxDistanceKm: 8.5, ignoreSeekerCommute: true },
      filter: {
        maxAge: 34, educationTracks: ["EDUCATION_TRACK_JUNIOR_COLLEGE"],
        dischargedBy: { year: 2025, month: 3, day: 1 }, availableBy: { year: 2025, month: 4, day: 15 },
      },
    });
  });
  it("falls back to 10 candidates for a top-k that is not a positive number", () => {
    for (const value of ["", "0", "-3", "abc"]) {
      assert.equal(candidatesRequest("p", controls({ topK: { value } })).options.topK, 10, value);
    }
  });
  it("sends a max distance of 0 but not an empty or unreadable one", () => {
    assert.equal(candidatesRequest("p", controls({ maxDistance: { value: "0" } })).options.maxDistanceKm, 0);
    assert.equal("maxDistanceKm" in candidatesRequest("p", controls({ maxDistance: { value: "  " } })).options, false);
    assert.equal("maxDistanceKm" in candidatesRequest("p", controls({ maxDistance: { value: "far" } })).options, false);
  });
  it("sends only the weights that were moved", () => {
    const c = controls();
    c.weights.geo = { touched: true, input: { value: "0.85" } };
    c.weights.skills = { touched: false, input: { value: "0.1" } };
    const { options } = candidatesRequest("p", c);
    assert.deepEqual(options, { topK: 10, geoWeight: 0.85 });
    assert.deepEqual(WEIGHTS.map(([name, field]) => [name, field]),
      [["semantic", "semanticWeight"], ["lexical", "lexicalWeight"], ["geo", "geoWeight"], ["skills", "skillsWeight"]]);
  });
});

describe("postingsRequest", () => {
  it("asks for the seeker's top 10, certified companies only when ticked", () => {
    assert.deepEqual(postingsRequest("s001", false), { seekerId: "s001", options: { topK: 10 }, filter: {} });
    assert.deepEqual(postingsRequest("s001", true), { seekerId: "s001", options: { topK: 10 }, filter: { certifiedOnly: true } });
  });
});

describe("regionPlanRequest", () => {
  it("is null without a region", () => {
    assert.equal(regionPlanRequest(" , ", "2", "1", true), null);
  });
  it("splits the regions and keeps k and the lists per seeker at least 1", () => {
    assert.deepEqual(regionPlanRequest("경기도, 울산", "3", "2", true),
      { regions: ["경기도", "울산"], k: 3, maxListsPerSeeker: 2, options: {} });
    assert.deepEqual(regionPlanRequest("경기도", "-4", "0", false),
      { regions: ["경기도"], k: 1, maxListsPerSeeker: 1, options: { ignoreSeekerCommute: true } });
    assert.deepEqual(regionPlanRequest("경기도", "", "x", true),
      { regions: ["경기도"], k: 2, maxListsPerSeeker: 1, options: {} });
  });
});

describe("auditRequest", () => {
  it("clamps k to 1–100, 10 when unreadable", () => {
    assert.deepEqual(auditRequest("25", true), { k: 25, includePlan: true });
    assert.deepEqual(auditRequest("0", false), { k: 1, includePlan: false });
    assert.deepEqual(auditRequest("1000", false), { k: 100, includePlan: false });
    assert.deepEqual(auditRequest("", false), { k: 10, includePlan: false });
    assert.deepEqual(auditRequest("7.9", false), { k: 7, includePlan: false });
  });
});

describe("exportPath", () => {
  it("says whether the CSV carries resume text", () => {
    assert.equal(exportPath(false), "/api/v2/export/shortlist.csv?include_resume=false");
    assert.equal(exportPath(true), "/api/v2/export/shortlist.csv?include_resume=true");
  });
});

describe("inLanguage", () => {
  it("asks for the reasons in the console's language, keeping every other option", () => {
    assert.deepEqual(inLanguage({ postingId: "p1", options: { topK: 5 } }, "en"),
      { postingId: "p1", options: { topK: 5, language: "en" } });
    assert.deepEqual(inLanguage({ regions: ["경기도"] }, "ko"), { regions: ["경기도"], options: { language: "ko" } });
  });
});
