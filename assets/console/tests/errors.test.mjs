// @ts-check
// What a failed call tells the counsellor (api.js describeError).
import assert from "node:assert/strict";
import { afterEach, describe, it } from "node:test";

import { ApiError, describeError } from "../api.js";
import { STRINGS } from "../i18n/index.js";
import { state } from "../state.js";

describe("describeError", () => {
  afterEach(() => { state.lang = "ko"; });
  it("maps each status to what to do", () => {
    state.lang = "en";
    const en = STRINGS.en;
    assert.equal(describeError(new ApiError(0, "NETWORK", "")), en.errNetwork);
    assert.equal(describeError(new ApiError(400, "", "")), en.err400);
    assert.equal(describeError(new ApiError(401, "", "")), en.err401);
    assert.equal(describeError(new ApiError(403, "", "")), en.err403);
    assert.equal(describeError(new ApiError(404, "", "")), en.err404);
    assert.equal(describeError(new ApiError(429, "", "")), en.errBusy);
    assert.equal(describeError(new ApiError(503, "", "")), en.errBusy);
    assert.equal(describeError(new ApiError(504, "", "")), en.err504);
    assert.equal(describeError(new ApiError(502, "", "")), "The request failed (HTTP 502): try again in a moment.");
  });
  it("adds the server's message on its own line", () => {
    assert.equal(describeError(new ApiError(404, "NOT_FOUND", "posting p9")),
      `${STRINGS.ko.err404}\n서버 메시지: posting p9`);
  });
  it("says little about an error that is not the server's", () => {
    assert.equal(describeError(new TypeError("x is undefined")), "요청을 처리하지 못했습니다 (HTTP ?). 잠시 후 다시 시도하세요.");
  });
  it("keeps the status, code and message on ApiError", () => {
    const e = new ApiError(403, "PERMISSION_DENIED", "");
    assert.equal(e.status, 403);
    assert.equal(e.code, "PERMISSION_DENIED");
    assert.equal(e.serverMessage, "");
    assert.equal(e.message, "PERMISSION_DENIED");
    assert.equal(new ApiError(500, "", "").message, "HTTP 500");
  });
});
