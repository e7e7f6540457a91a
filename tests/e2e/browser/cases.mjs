// cases.mjs - the browser tests' cases (verify-page.mjs reads them): every test
// vector of tests/data/verify-vectors.json, payloads vncert signed, and valid
// ones with one letter of the name changed (compressed again, the signature kept).
// Each case says the key files (keys) `vncert verify` takes to say the same.
//
// Usage: node cases.mjs VECTORS.json PAGE-A PAGE-AB DICT SIGNED.json PAGE-DEMO > CASES.json
// PAGE-A knows test key A and the ledger's revocation of 2026/GK-0003; PAGE-AB
// keys A and B; PAGE-DEMO the DEMO key and the same revocation.  SIGNED.json:
// [{digits, name, serial}] of three certificates vncert signed with the DEMO key,
// serials 2026/GK-0001 to 0003.
import fs from 'node:fs';
import * as P from './payload.mjs';

const [vectorsFile, pageA, pageAB, dictFile, signedFile, pageDemo] = process.argv.slice(2);
const KEYS = { [pageA]: 'A.pub', [pageAB]: 'A.pub,B.pub', [pageDemo]: 'DEMO.pub' };
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
  if (x.expect === 'revoked') c.texts.push('Cấp nhầm người nhận'); // the ledger's reason
  if (x.expect === 'tampered' || x.expect === 'malformed') c.absent = ['Họ và tên'];
  cases.push(c);
}
cases.push({ name: 'no-fragment', page: pageA, fragment: '', ok: false, kind: 'empty',
             verdict: 'Chưa kiểm tra', texts: ['Không có mã'] });
// A browser that cannot check says so, and never "valid" nor "tampered".
const valid = V.vectors.find((x) => x.expect === 'valid');
cases.push({ name: 'served-over-http', page: pageA, fragment: valid.digits, ok: false,
             kind: 'insecure', verdict: 'Chưa kiểm tra', lacks: 'no-subtle', texts: ['https://'],
             absent: ['Họ và tên'] });
cases.push({ name: 'no-deflate-raw', page: pageA, fragment: valid.digits, ok: false,
             kind: 'old-browser', verdict: 'Chưa kiểm tra', lacks: 'no-deflate-raw',
             texts: ['quá cũ'], absent: ['Họ và tên'] });
cases.push({ name: 'no-script', page: pageA, fragment: valid.digits, ok: false, kind: undefined,
             verdict: 'Đang kiểm tra…', lacks: 'no-script', texts: ['trình duyệt khác'],
             absent: ['Họ và tên'] });
// A name with one letter changed, the rest as signed: "Thảo" -> "Thảa".
const dict = fs.readFileSync(dictFile);
function oneLetter(digits, name) {
  const last = [...name].pop();
  const changed = name.slice(0, -last.length) + (last === 'a' ? 'e' : 'a');
  return { fragment: P.close(P.tamper(P.open(digits, dict), name, changed), dict),
           absent: [name, changed] };
}
cases.push({ name: 'name-one-letter', page: pageA, ok: false, kind: 'tampered', signed: true,
             ...oneLetter(valid.digits, valid.values.name), texts: ['Đã bị sửa đổi'] });

// Signed by vncert: valid, one letter changed, revoked, and on a page without its key.
const S = JSON.parse(fs.readFileSync(signedFile, 'utf8'));
cases.push({ name: 'vncert-signed', page: pageDemo, fragment: S[0].digits, ok: true, kind: 'valid',
             signed: true, texts: [S[0].name, S[0].serial, 'DEMO'] });
cases.push({ name: 'vncert-signed-name-one-letter', page: pageDemo, ok: false, kind: 'tampered',
             signed: true, ...oneLetter(S[1].digits, S[1].name), texts: ['Đã bị sửa đổi'] });
cases.push({ name: 'vncert-signed-revoked', page: pageDemo, fragment: S[2].digits, ok: false,
             kind: 'revoked', signed: true, texts: ['Đã bị thu hồi', 'Cấp nhầm người nhận', S[2].name] });
cases.push({ name: 'vncert-signed-other-page', page: pageA, fragment: S[0].digits, ok: false,
             kind: 'unknown-key', texts: ['Khóa không rõ'], absent: [S[0].name] });
cases.push({ name: 'hash-changed', page: pageA, before: valid.digits, ok: false, kind: 'tampered',
             signed: true, ...oneLetter(valid.digits, valid.values.name), texts: ['Đã bị sửa đổi'] });
for (const c of cases) c.keys = KEYS[c.page];
process.stdout.write(JSON.stringify({ cases }, null, 1));
