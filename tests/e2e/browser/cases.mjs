// cases.mjs - the browser tests' cases (verify-page.mjs reads them): every test
// vector of tests/data/verify-vectors.json, and payloads vncert signed with a
// letter of the name changed, checked on pages vncert made.
//
// Usage: node cases.mjs VECTORS.json PAGE-A PAGE-AB [SIGNED.json DICT PAGE-SIGNED] > CASES.json
// PAGE-A knows test key A and the vectors' revocation; PAGE-AB keys A and B.
// SIGNED.json: {"valid": {"digits", "name", "texts": [...]}, "revoked": {"digits", "reason"},
//   "other-key": {"digits"}}: payloads vncert signed, for PAGE-SIGNED.
import fs from 'node:fs';
import * as P from './payload.mjs';

const [vectorsFile, pageA, pageAB, signedFile, dictFile, pageSigned] = process.argv.slice(2);
const V = JSON.parse(fs.readFileSync(vectorsFile, 'utf8'));
const WHY = { 'tampered': 'Đã bị sửa đổi', 'unknown-key': 'Khóa không rõ', 'malformed': 'Mã hỏng',
              'revoked': 'Đã bị thu hồi' };
const amount = (d) => d.replace(/\B(?=(\d{3})+(?!\d))/g, '.') + ' đ';
const date = (d) => d.split('-').reverse().join('/');

// What a valid payload shows: every signed value, formatted.
function shown(v) {
  const t = [v.name, v.award, date(v.date)];
  if (v.serial) t.push(v.serial);
  if (v.amount) t.push(amount(v.amount));
  return t;
}

const cases = [];
for (const x of V.vectors) {
  const c = { name: 'vector-' + x.name, page: x.keys.includes('B') ? pageAB : pageA,
              fragment: x.digits, ok: x.expect === 'valid', kind: x.expect,
              signed: ['valid', 'tampered', 'revoked'].includes(x.expect) };
  if (x.expect === 'valid') c.texts = shown(x.values);
  else c.texts = [WHY[x.expect]];
  if (x.expect === 'revoked') c.texts.push(x.reason);
  if (x.expect === 'tampered' || x.expect === 'malformed') c.absent = ['Họ và tên'];
  cases.push(c);
}
cases.push({ name: 'no-fragment', page: pageA, fragment: '', ok: false, kind: 'empty',
             texts: ['Không có mã'] });
if (signedFile) {
  const S = JSON.parse(fs.readFileSync(signedFile, 'utf8'));
  const dict = fs.readFileSync(dictFile);
  const page = pageSigned;
  cases.push({ name: 'signed-valid', page, fragment: S.valid.digits, ok: true, kind: 'valid',
               signed: true, texts: S.valid.texts });
  // One letter of the name changed (same length in UTF-8), compressed again.
  const p = P.open(S.valid.digits, dict);
  const name = S.valid.name;
  const i = [...name].findIndex((ch, k) => k > 0 && /[a-z]/.test(ch));
  const from = [...name][i], to = from === 'a' ? 'e' : 'a';
  cases.push({ name: 'signed-name-one-letter', page, ok: false, kind: 'tampered', signed: true,
               fragment: P.close(P.tamper(p, name, [...name].map((ch, k) => (k === i ? to : ch)).join('')), dict),
               texts: ['Đã bị sửa đổi'], absent: [name] });
  cases.push({ name: 'signed-other-key', page, fragment: S['other-key'].digits, ok: false,
               kind: 'unknown-key', texts: ['Khóa không rõ'] });
  cases.push({ name: 'signed-revoked', page, fragment: S.revoked.digits, ok: false, kind: 'revoked',
               signed: true, texts: ['Đã bị thu hồi', S.revoked.reason] });
  cases.push({ name: 'signed-malformed', page, fragment: S.valid.digits.slice(0, 100) + 'x' +
               S.valid.digits.slice(101), ok: false, kind: 'malformed', texts: ['Mã hỏng'] });
}
process.stdout.write(JSON.stringify({ cases }, null, 1));
