// payload.mjs - the payload format of docs/verify.md written a second time, in
// Node (its crypto and zlib), for the browser tests: it reads a payload vncert
// signed and makes the broken ones (a letter changed, another key, bad digits).
import zlib from 'node:zlib';

// Digits per final group of k bytes (docs/verify.md, "Digits").
const GROUP_DIGITS = [0, 3, 5, 8, 10, 13, 15, 17];

export function bytesToDigits(b) {
  let s = '';
  for (let at = 0; at < b.length; at += 7) {
    const g = b.subarray(at, Math.min(at + 7, b.length));
    let v = 0n;
    for (const x of g) v = (v << 8n) | BigInt(x);
    s += v.toString().padStart(GROUP_DIGITS[g.length], '0');
  }
  return s;
}

export function digitsToBytes(s) {
  const out = [];
  for (let at = 0; at < s.length; ) {
    const n = s.length - at >= 17 ? 7 : GROUP_DIGITS.indexOf(s.length - at);
    if (n <= 0) throw new Error('bad digit count');
    let v = BigInt(s.slice(at, at + GROUP_DIGITS[n]));
    const g = [];
    for (let i = 0; i < n; i++) { g.unshift(Number(v & 0xffn)); v >>= 8n; }
    out.push(...g);
    at += GROUP_DIGITS[n];
  }
  return Buffer.from(out);
}

// The payload's parts: version, key id, signature, and the canonical fields
// inflated with the dictionary.
export function open(digits, dict) {
  const b = digitsToBytes(digits);
  return { version: b[0], keyId: b.subarray(1, 5), signature: b.subarray(5, 69),
           fields: zlib.inflateRawSync(b.subarray(69), { dictionary: dict }) };
}

// The digits of a payload made of these parts (fields compressed again).
export function close(p, dict) {
  const z = zlib.deflateRawSync(p.fields, { dictionary: dict, level: 9 });
  return bytesToDigits(Buffer.concat([Buffer.from([p.version]), p.keyId, p.signature, z]));
}

// Replaces the first occurrence of `from` in the fields by `to` (same length in
// UTF-8 keeps the length prefixes right: one letter for another).
export function tamper(p, from, to) {
  const f = Buffer.from(p.fields);
  const i = f.indexOf(Buffer.from(from, 'utf8'));
  const t = Buffer.from(to, 'utf8');
  if (i < 0 || t.length !== Buffer.byteLength(from)) throw new Error('cannot tamper: ' + from);
  t.copy(f, i);
  return { ...p, fields: f };
}
