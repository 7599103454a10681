// The checkpoint codec: CRC-32 against zlib's, round trips, the byte layout written out, and files that
// lie about their arrays (negative, huge or missing lengths, names twice, bytes after the last array).
import assert from "node:assert/strict";
import { test } from "node:test";
import { crc32 as zlibCrc32 } from "node:zlib";
import fc from "fast-check";
import { DataError } from "../../src/errors.js";
import { decodeCheckpoint, encodeCheckpoint } from "../../src/io/checkpoint_codec.js";
import { crc32 } from "../../src/io/crc32.js";
import { checkpointBytes } from "../helpers.js";

test("crc32 equals zlib's on random bytes at every alignment, and the check value of '123456789'", () => {
  assert.equal(crc32(new TextEncoder().encode("123456789")), 0xcbf43926);
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 2000 }), fc.integer({ min: 0, max: 7 }), (b, offset) => {
      const shifted = new Uint8Array(b.length + offset).subarray(offset);
      shifted.set(b);
      return crc32(shifted) === zlibCrc32(b);
    }),
  );
});

test("encode → decode returns the header and every array bit for bit", () => {
  const arrays = fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), fc.float32Array({ maxLength: 40 }), { maxKeys: 5 });
  fc.assert(
    fc.property(fc.jsonValue(), arrays, (header, a) => {
      const back = decodeCheckpoint(encodeCheckpoint({ header, arrays: a }), "x.snnk");
      assert.deepEqual(back.header, JSON.parse(JSON.stringify(header)));
      assert.deepEqual(Object.keys(back.arrays), Object.keys(a));
      for (const [k, v] of Object.entries(a)) assert.deepEqual(new Uint8Array(back.arrays[k].buffer), new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
    }),
  );
});

/** The documented layout written out by hand (checkpointBytes) with little-endian floats and `extra` zero bytes after them. */
function handMade(json: string, floats: number[], extra = 0): Buffer {
  const data = Buffer.alloc(4 * floats.length + extra);
  floats.forEach((x, i) => data.writeFloatLE(x, 4 * i));
  return checkpointBytes(json, data);
}

test("the encoder writes the documented layout byte for byte", () => {
  const bytes = encodeCheckpoint({ header: { a: 1 }, arrays: { w: new Float32Array([1.5, -2]) } });
  assert.deepEqual(Buffer.from(bytes), handMade('{"header":{"a":1},"index":[{"name":"w","length":2}]}', [1.5, -2]));
});

test("lying indices are DataErrors naming the file and the problem, before any allocation", () => {
  const cases: [string, string, number[], number, RegExp][] = [
    ["negative length", '{"header":1,"index":[{"name":"a","length":-1}]}', [0, 0], 0, /c\.snnk: index\[0\]\.length/],
    ["2^40 floats", '{"header":1,"index":[{"name":"a","length":1099511627776}]}', [0, 0], 0, /index\[0\]\.length/],
    ["longer than the file", '{"header":1,"index":[{"name":"a","length":3}]}', [0, 0], 0, /truncated checkpoint: array "a" of 3 floats at offset \d+, 8 bytes there/],
    ["length as text", '{"header":1,"index":[{"name":"a","length":"2"}]}', [0, 0], 0, /index\[0\]\.length/],
    ["a name twice", '{"header":1,"index":[{"name":"a","length":1},{"name":"a","length":1}]}', [0, 0], 0, /array "a" appears twice/],
    ["bytes after the arrays", '{"header":1,"index":[{"name":"a","length":1}]}', [0], 4, /4 bytes after the last array \(at offset \d+\)/],
    ["no index", '{"header":1}', [], 0, /index/],
    ["not JSON", "{header", [], 0, /corrupt checkpoint header/],
  ];
  for (const [what, json, floats, extra, message] of cases)
    assert.throws(
      () => decodeCheckpoint(handMade(json, floats, extra), "c.snnk"),
      (e: unknown) => e instanceof DataError && message.test(e.message),
      what,
    );
  assert.throws(() => decodeCheckpoint(new Uint8Array(10), "c.snnk"), /bad magic/);
  const good = handMade('{"header":1,"index":[]}', []);
  good.writeUInt32LE(1 << 30, 12);
  assert.throws(() => decodeCheckpoint(good, "c.snnk"), /a header of 1073741824 bytes at offset 20/);
});
