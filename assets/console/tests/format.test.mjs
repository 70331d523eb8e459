// @ts-check
// Pure formatters and readers of proto3 JSON (format.js).
import assert from "node:assert/strict";
import { describe, it } from "node:test";

import {
  dateMessage, debounce, fixed, formatFigure, isoDate, list, num, pct, safeHttpUrl, splitList, str,
  todayIso,
} from "../format.js";

describe("reading proto3 JSON", () => {
  it("num: numbers and numeric strings pass, anything else is 0", () => {
    assert.equal(num(2.5), 2.5);
    assert.equal(num("42"), 42);
    assert.equal(num("-3.25"), -3.25);
    for (const v of [undefined, null, "", "abc", NaN, Infinity, -Infinity, {}]) assert.equal(num(v), 0, String(v));
  });
  it("list: arrays pass, anything else is empty", () => {
    const a = [1, 2];
    assert.equal(list(a), a);
    assert.deepEqual(list(undefined), []);
    assert.deepEqual(list(null), []);
    assert.deepEqual(list(/** @type {any} */ ("ab")), []);
  });
  it("str: undefined and null are empty, the rest is String()", () => {
    assert.equal(str(undefined), "");
    assert.equal(str(null), "");
    assert.equal(str(0), "0");
    assert.equal(str(false), "false");
    assert.equal(str("경기도"), "경기도");
  });
});

describe("numbers", () => {
  it("fixed rounds to the decimals asked, absent as zero", () => {
    assert.equal(fixed(3.14159, 2), "3.14");
    assert.equal(fixed(12.35, 1), "12.3"); // binary 12.35 is just below: toFixed's rounding
    assert.equal(fixed(0.8766, 3), "0.877");
    assert.equal(fixed(undefined, 1), "0.0");
    assert.equal(fixed("7", 0), "7");
  });
  it("pct turns a share into a percentage with one decimal", () => {
    assert.equal(pct(0.123), "12.3");
    assert.equal(pct(1), "100.0");
    assert.equal(pct(0), "0.0");
    assert.equal(pct(undefined), "0.0");
  });
  it("formatFigure shows counts, shares and distances", () => {
    assert.equal(formatFigure(3, "count"), "3");
    assert.equal(formatFigure(2.6, "count"), "3");
    assert.equal(formatFigure(undefined, "count"), "0");
    assert.equal(formatFigure(0.4567, "share"), "45.7 %");
    assert.equal(formatFigure(0, "share"), "0.0 %");
    assert.equal(formatFigure(12.345, "km"), "12.3 km");
    assert.equal(formatFigure(undefined, "km"), "0.0 km");
  });
});

describe("dates and inputs", () => {
  it("todayIso is the local date, zero-padded", () => {
    assert.equal(todayIso(new Date(2024, 0, 5, 23, 59)), "2024-01-05");
    assert.equal(todayIso(new Date(1999, 11, 31)), "1999-12-31");
    assert.match(todayIso(), /^\d{4}-\d{2}-\d{2}$/);
  });
  it("google.type.Date and ISO text convert both ways; a month has day 0", () => {
    assert.equal(isoDate({ year: 2026, month: 3, day: 7 }), "2026-03-07");
    assert.equal(isoDate({ year: 2026, month: 11 }), "2026-11"); // proto3 JSON leaves day 0 out
    assert.equal(isoDate(undefined), "");
    assert.equal(isoDate({ month: 3, day: 7 }), ""); // no year: not a date the server sends
    assert.deepEqual(dateMessage("2026-03-07"), { year: 2026, month: 3, day: 7 });
    assert.equal(dateMessage(""), undefined);
    assert.equal(dateMessage("7/3/2026"), undefined);
    assert.equal(isoDate(dateMessage(" 1999-12-31 ")), "1999-12-31");
  });
  it("splitList trims and drops empty parts", () => {
    assert.deepEqual(splitList(" 경기도 ,울산광역시,, "), ["경기도", "울산광역시"]);
    assert.deepEqual(splitList(""), []);
    assert.deepEqual(splitList(" , "), []);
    assert.deepEqual(splitList("경기 화성시"), ["경기 화성시"]);
  });
});

describe("safeHttpUrl", () => {
  const base = "https://console.example/#/posting/p1";
  it("keeps web addresses, resolved against the page", () => {
    assert.equal(safeHttpUrl("https://www.moel.go.kr/policy?id=1", base), "https://www.moel.go.kr/policy?id=1");
    assert.equal(safeHttpUrl("http://example.org", base), "http://example.org/");
    assert.equal(safeHttpUrl("/docs/rules.pdf", base), "https://console.example/docs/rules.pdf");
  });
  it("refuses every other scheme", () => {
    for (const v of ["javascript:alert(1)", " JavaScript:alert(1)", "data:text/html,<b>x</b>", "mailto:a@b.c", "file:///etc/passwd"]) {
      assert.equal(safeHttpUrl(v, base), "", v);
    }
  });
  it("gives nothing for what is not an address", () => {
    assert.equal(safeHttpUrl("http://", base), "");
    assert.equal(safeHttpUrl("anything", "not a base"), "");
  });
});

describe("debounce", () => {
  it("calls once, after the burst, with the last arguments", async () => {
    /** @type {number[]} */
    const calls = [];
    const f = debounce((/** @type {number} */ n) => { calls.push(n); }, 20);
    f(1); f(2); f(3);
    assert.deepEqual(calls, []);
    await new Promise((r) => setTimeout(r, 60));
    assert.deepEqual(calls, [3]);
  });
  it("cancel drops the pending call", async () => {
    let called = 0;
    const f = debounce(() => { called += 1; }, 10);
    f();
    f.cancel();
    await new Promise((r) => setTimeout(r, 40));
    assert.equal(called, 0);
  });
});
