// cases.mjs - the browser tests' cases (verify-page.mjs reads them): every test
// vector of tests/data/verify-vectors.json, and the first valid vector with one
// letter of the name changed (compressed again, the signature kept).
//
// Usage: node cases.mjs VECTORS.json PAGE-A PAGE-AB DICT > CASES.json
// PAGE-A knows test key A and the vectors' revocation; PAGE-AB keys A and B.
import fs from 'node:fs';
import * as P from './payload.mjs';

const [vectorsFile, pageA, pageAB, dictFile] = process.argv.slice(2);
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
// One letter of the name changed, the rest as signed: "Thảo" -> "Thảa".
const first = valid;
const dict = fs.readFileSync(dictFile);
const name = first.values.name, last = [...name].pop();
const changed = name.slice(0, -last.length) + (last === 'a' ? 'e' : 'a');
cases.push({ name: 'name-one-letter', page: pageA, ok: false, kind: 'tampered', signed: true,
             fragment: P.close(P.tamper(P.open(first.digits, dict), name, changed), dict),
             texts: ['Đã bị sửa đổi'], absent: [name, changed] });
process.stdout.write(JSON.stringify({ cases }, null, 1));
