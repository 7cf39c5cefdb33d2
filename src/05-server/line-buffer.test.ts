import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { LineBuffer, TOO_LONG } from "./line-buffer.js";

function all(buffer: LineBuffer): (string | typeof TOO_LONG)[] {
  const out: (string | typeof TOO_LONG)[] = [];
  for (let line = buffer.next(); line !== undefined; line = buffer.next()) {
    out.push(line === TOO_LONG ? TOO_LONG : line.toString("latin1"));
    if (line === TOO_LONG) break;
  }
  return out;
}

describe("LineBuffer", () => {
  test("cuts one chunk into lines, each with its \\n, and keeps the rest for the next chunk", () => {
    const lines = new LineBuffer(100);
    lines.push(Buffer.from("one\ntwo\nthr"));
    assert.deepEqual(all(lines), ["one\n", "two\n"]);
    assert.equal(lines.pendingBytes, 3);
    lines.push(Buffer.from("ee\n\nfour"));
    assert.deepEqual(all(lines), ["three\n", "\n"]);
    assert.equal(lines.pendingBytes, 4);
  });

  test("a line split over many chunks comes out whole, byte for byte, binary included", () => {
    const lines = new LineBuffer(1000);
    const line = Buffer.from([0, 255, 13, 1, 2, 3, 0x80, 10]);
    for (const byte of line) lines.push(Buffer.from([byte]));
    const out = lines.next();
    assert.ok(Buffer.isBuffer(out));
    assert.deepEqual([...out], [...line]);
    assert.equal(lines.next(), undefined);
  });

  test("a line longer than the limit is TOO_LONG, split or not, and nothing more is kept", () => {
    const split = new LineBuffer(5);
    split.push(Buffer.from("ok\n1234"));
    assert.deepEqual(all(split), ["ok\n"]);
    split.push(Buffer.from("56"));
    assert.equal(split.next(), TOO_LONG);
    split.push(Buffer.from("\nlater\n"));
    assert.equal(split.next(), TOO_LONG, "stays too long");
    assert.equal(split.pendingBytes, 0);

    const whole = new LineBuffer(5);
    whole.push(Buffer.from("12345\n123456\n"));
    assert.deepEqual(all(whole), ["12345\n", TOO_LONG]);
  });

  test("a bad limit is refused at the call", () => {
    assert.throws(() => new LineBuffer(0), RangeError);
    assert.throws(() => new LineBuffer("64" as unknown as number), TypeError);
  });
});
