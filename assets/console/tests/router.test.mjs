// @ts-check
// Hash routes (router.js).
import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { currentNav, hrefPosting, hrefSeeker, parseRoute } from "../router.js";

describe("parseRoute", () => {
  it("names the pages", () => {
    assert.deepEqual(parseRoute(""), { page: "home" });
    assert.deepEqual(parseRoute("#/"), { page: "home" });
    assert.deepEqual(parseRoute("#/find"), { page: "find" });
    assert.deepEqual(parseRoute("#/region"), { page: "region" });
    assert.deepEqual(parseRoute("#/cohort"), { page: "cohort" });
    assert.deepEqual(parseRoute("#/figures/"), { page: "figures" });
    assert.deepEqual(parseRoute("#/posting/p001"), { page: "posting", id: "p001" });
    assert.deepEqual(parseRoute("#/seeker/s001"), { page: "seeker", id: "s001" });
  });
  it("decodes ids, and keeps the rest of the path in them", () => {
    assert.deepEqual(parseRoute("#/posting/%EC%9A%A9%EC%A0%91%201"), { page: "posting", id: "용접 1" });
    assert.deepEqual(parseRoute("#/seeker/a%2Fb"), { page: "seeker", id: "a/b" });
    assert.deepEqual(parseRoute("#/posting/a/b"), { page: "posting", id: "a/b" });
  });
  it("calls a record page without an id, or any other path, unknown", () => {
    assert.deepEqual(parseRoute("#/posting"), { page: "unknown" });
    assert.deepEqual(parseRoute("#/seeker/"), { page: "unknown" });
    assert.deepEqual(parseRoute("#/nothing-here"), { page: "unknown" });
  });
  it("accepts the hash without its #", () => {
    assert.deepEqual(parseRoute("/posting/p9"), { page: "posting", id: "p9" });
  });
});

describe("links", () => {
  it("encode the id so that it comes back whole", () => {
    for (const id of ["p001", "용접 1", "a/b", "x?y#z", "50%"]) {
      assert.deepEqual(parseRoute(hrefPosting(id)), { page: "posting", id });
      assert.deepEqual(parseRoute(hrefSeeker(id)), { page: "seeker", id });
    }
    assert.equal(hrefPosting("a/b"), "#/posting/a%2Fb");
    assert.equal(hrefSeeker("s 1"), "#/seeker/s%201");
  });
});

describe("currentNav", () => {
  it("marks the menu link of the page's section", () => {
    assert.deepEqual(currentNav("#/find"), ["nav-find"]);
    assert.deepEqual(currentNav("#/region"), ["nav-region"]);
    assert.deepEqual(currentNav("#/cohort"), ["nav-cohort"]);
    assert.deepEqual(currentNav("#/figures"), ["nav-figures"]);
    assert.deepEqual(currentNav("#/posting/p1"), []);
    assert.deepEqual(currentNav(""), []);
  });
});
