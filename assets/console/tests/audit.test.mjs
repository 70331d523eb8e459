// @ts-check
// The exposure audit's table helpers (pages/audit.js).
import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { auditRateText, auditRatioText, orderAuditGroups } from "../pages/audit.js";

describe("orderAuditGroups", () => {
  it("puts dimensions in the fixed order, keeps the server's order within one, unknown ones last", () => {
    const groups = [
      { dimension: "commute", group: "stated" },
      { dimension: "shoe_size", group: "42" },
      { dimension: "age_band", group: "35_or_older" },
      { dimension: "commute", group: "not_stated" },
      { dimension: "age_band", group: "34_or_younger" },
      { dimension: "education_track", group: "university" },
      { dimension: "hat", group: "yes" },
    ];
    assert.deepEqual(orderAuditGroups(groups).map((g) => `${g.dimension}/${g.group}`), [
      "age_band/35_or_older", "age_band/34_or_younger", "education_track/university",
      "commute/stated", "commute/not_stated", "shoe_size/42", "hat/yes",
    ]);
    assert.deepEqual(groups[0], { dimension: "commute", group: "stated" }, "the input is left as it was");
  });
});

describe("rates and impact ratios", () => {
  it("shows a rate as a percentage with its interval", () => {
    assert.equal(auditRateText({ rate: 0.125, rateLow: 0.0351, rateHigh: 0.36 }), "12.5 % [3.5–36.0]");
    assert.equal(auditRateText({}), "0.0 % [0.0–0.0]");
  });
  it("shows an impact ratio with two decimals and its interval", () => {
    assert.equal(auditRatioText({ impactRatio: 0.754, impactRatioLow: 0.4, impactRatioHigh: 1.1, flagged: true }), "0.75 [0.40–1.10]");
    assert.equal(auditRatioText({ impactRatio: 1, impactRatioLow: 0.8, impactRatioHigh: 1.25 }), "1.00 [0.80–1.25]");
  });
  it("shows no ratio when every rate of the dimension was 0", () => {
    assert.equal(auditRatioText({}), "–");
    assert.equal(auditRatioText({ impactRatio: 0, impactRatioHigh: 0 }), "–");
    assert.equal(auditRatioText({ impactRatio: 0, impactRatioHigh: 0.5 }), "0.00 [0.00–0.50]");
    assert.equal(auditRatioText({ impactRatio: 0, impactRatioHigh: 0, flagged: true }), "0.00 [0.00–0.00]");
  });
});
