// page.js - the verification page's verifier (docs/verify.md, "Verifying in a browser").
// It runs in the same module script as the vendored @noble/ed25519 (vendor/), after it:
// the whole file is one block so that none of its names meets one of the library's;
// it calls the library's verifyAsync only when WebCrypto has no Ed25519.
{
  // Caps (docs/limits.md): the fragment in digits, and the inflated fields (zip bombs).
  const MAX_DIGITS = 4096;
  const MAX_FIELDS_BYTES = 4096;

  // A refusal: kind is one of 'malformed', 'unknown-key', 'tampered', 'revoked'.
  class Refusal extends Error {
    constructor(kind, detail) { super(detail || kind); this.kind = kind; this.detail = detail || ''; }
  }
  const malformed = (why) => new Refusal('malformed', why);

  const DATA = JSON.parse(document.getElementById('vc-data').textContent);
  const b64 = (s) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
  const hex = (u8) => Array.from(u8, (b) => b.toString(16).padStart(2, '0')).join('');

  // ---- Format v1 (docs/verify.md): digits -> bytes -> transport -> signed fields ----

  // Digits per final group of k bytes (k = 1..7): the fewest that hold 256^k - 1.
  const GROUP_DIGITS = [0, 3, 5, 8, 10, 13, 15, 17];

  // The fragment's digits to bytes: 7-byte groups of 17 digits, big-endian, then a
  // final shorter group; a length no group count gives, or a group too big, is malformed.
  function digitsToBytes(s) {
    if (!/^[0-9]+$/.test(s)) throw malformed('mã chứa ký tự không phải chữ số');
    const tail = s.length % 17;
    const k = GROUP_DIGITS.indexOf(tail);
    if (k < 0 || (tail === 0 && s.length === 0)) throw malformed('độ dài mã sai');
    const out = [];
    for (let at = 0; at < s.length; ) {
      const n = at + 17 <= s.length ? 7 : k;
      const len = GROUP_DIGITS[n];
      let v = BigInt(s.slice(at, at + len));
      if (v >= 1n << BigInt(8 * n)) throw malformed('nhóm chữ số quá lớn');
      const group = new Array(n);
      for (let i = n - 1; i >= 0; i--) { group[i] = Number(v & 0xffn); v >>= 8n; }
      out.push(...group);
      at += len;
    }
    return new Uint8Array(out);
  }

  // Transport: version (1), key id (4), signature (64), compressed fields.
  function splitTransport(b) {
    if (b.length < 1 + 4 + 64 + 1) throw malformed('mã quá ngắn');
    if (b[0] !== 1) throw malformed('phiên bản mã ' + b[0] + ' chưa được hỗ trợ');
    return { version: b[0], keyId: b.subarray(1, 5), signature: b.subarray(5, 69),
             compressed: b.subarray(69) };
  }

  const TAG = new TextEncoder().encode('vncert-v1\0');
  // The bytes signed: the domain tag then the canonical fields as inflated.
  function signedMessage(t, fields) {
    const m = new Uint8Array(TAG.length + fields.length);
    m.set(TAG, 0);
    m.set(fields, TAG.length);
    return m;
  }

  const FIELD_NAMES = ['serial', 'name', 'award', 'amount', 'date', 'keyid'];
  // The canonical fields (each a 2-byte big-endian length, then UTF-8), read back
  // only after the signature held; the key id signed must be the transport's.
  function parseFields(f, t) {
    const v = {};
    const dec = new TextDecoder('utf-8', { fatal: true });
    let at = 0;
    for (const name of FIELD_NAMES) {
      if (at + 2 > f.length) throw malformed('thiếu trường ' + name);
      const len = (f[at] << 8) | f[at + 1];
      if (at + 2 + len > f.length) throw malformed('trường ' + name + ' bị cắt');
      v[name] = dec.decode(f.subarray(at + 2, at + 2 + len));
      at += 2 + len;
    }
    if (at !== f.length) throw malformed('dữ liệu thừa sau các trường');
    if (v.keyid !== hex(t.keyId)) throw new Refusal('tampered', 'mã khóa không khớp');
    return v;
  }

  // The fields inflated: a raw DEFLATE stream of one non-final STORED block holding
  // the preset dictionary, then the payload's compressed data (compressed with that
  // dictionary), inflates to dictionary + fields; DecompressionStream has no
  // dictionary option.  Output past the cap is refused, not read.
  async function inflateWithDictionary(dict, data) {
    if (dict.length > 0xffff) throw new Error('dictionary too long for one stored block');
    const head = new Uint8Array([0x00, dict.length & 0xff, dict.length >> 8,
                                 ~dict.length & 0xff, (~dict.length >> 8) & 0xff]);
    const input = new Blob([head, dict, data]).stream();
    const reader = input.pipeThrough(new DecompressionStream('deflate-raw')).getReader();
    const parts = [];
    let total = 0;
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        total += value.length;
        if (total > dict.length + MAX_FIELDS_BYTES) {
          reader.cancel();
          throw malformed('dữ liệu giải nén quá dài');
        }
        parts.push(value);
      }
    } catch (e) {
      if (e instanceof Refusal) throw e;
      throw malformed('dữ liệu nén hỏng');
    }
    const out = new Uint8Array(total);
    let at = 0;
    for (const p of parts) { out.set(p, at); at += p.length; }
    if (total < dict.length) throw malformed('dữ liệu nén hỏng');
    return out.subarray(dict.length);
  }

  // True when the signature holds: WebCrypto's Ed25519 where the browser has it,
  // else the bundled @noble/ed25519 (RFC 8032 strict: zip215 off, like libsodium).
  // Which one ran is recorded on the page (data-engine) for the tests.
  async function ed25519Verify(pub, sig, msg) {
    let key = null;
    try {
      key = await crypto.subtle.importKey('raw', pub, { name: 'Ed25519' }, false, ['verify']);
    } catch (e) {
      key = null;
    }
    if (key) {
      document.body.dataset.engine = 'webcrypto';
      return crypto.subtle.verify({ name: 'Ed25519' }, key, sig, msg);
    }
    document.body.dataset.engine = 'noble';
    return verifyAsync(sig, msg, pub, { zip215: false });
  }

  // 5000000 -> "5.000.000 đ" (Vietnamese grouping, whatever the browser's locale).
  function formatAmount(digits) {
    return digits.replace(/\B(?=(\d{3})+(?!\d))/g, '.') + ' đ';
  }
  // 2026-05-31 -> "31/05/2026"; anything else as signed.
  function formatDate(iso) {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
    return m ? m[3] + '/' + m[2] + '/' + m[1] : iso;
  }

  // The verdict for the fragment: resolves to { fields, key } or throws a Refusal.
  async function check(fragment) {
    if (fragment.length > MAX_DIGITS) throw malformed('mã quá dài');
    const bytes = digitsToBytes(fragment);
    const t = splitTransport(bytes);
    const key = DATA.keys.find((k) => k.id === hex(t.keyId));
    if (!key) throw new Refusal('unknown-key', 'mã khóa ' + hex(t.keyId));
    const fields = await inflateWithDictionary(b64(DATA.dict), t.compressed);
    const message = signedMessage(t, fields);
    const pub = b64(key.key);
    let ok = false;
    try {
      ok = await ed25519Verify(pub, t.signature, message);
    } catch (e) {
      ok = false;
    }
    if (!ok) throw new Refusal('tampered');
    const v = parseFields(fields, t);
    const r = DATA.revoked.find((x) => x.serial !== '' && x.serial === v.serial);
    if (r) {
      // The values are shown under the refusal: which certificate was revoked.
      const e = new Refusal('revoked', r.reason + (r.date ? ' (ngày ' + formatDate(r.date) + ')' : ''));
      e.res = { v, key };
      throw e;
    }
    return { v, key };
  }

  const WHY = {
    'malformed': 'Mã hỏng: không đọc được mã trong đường dẫn.',
    'unknown-key': 'Khóa không rõ: giấy này không được ký bằng khóa nào của trường.',
    'tampered': 'Đã bị sửa đổi: nội dung không khớp với chữ ký.',
    'revoked': 'Đã bị thu hồi.',
    'empty': 'Không có mã: hãy quét mã QR trên giấy khen để mở trang này.',
  };

  function addValue(dl, label, value) {
    if (value === undefined || value === '') return;
    const dt = document.createElement('dt');
    dt.textContent = label;
    const dd = document.createElement('dd');
    dd.textContent = value;
    dl.append(dt, dd);
  }

  // Shows the verdict: everything from the payload goes in as text, never as HTML.
  function show(ok, kind, detail, res) {
    const box = document.getElementById('result');
    box.className = 'result ' + (ok ? 'ok' : 'bad');
    box.dataset.kind = kind;
    document.getElementById('verdict').textContent = ok ? 'Hợp lệ' : 'Không hợp lệ';
    const why = document.getElementById('why');
    if (ok) {
      why.textContent = 'Chữ ký số của trường khớp với nội dung dưới đây.';
    } else {
      let text = WHY[kind] || WHY.malformed;
      if (kind === 'revoked') text = 'Đã bị thu hồi: lý do: ' + detail;
      else if (detail) text += ' (' + detail + ')';
      why.textContent = text;
    }
    const dl = document.getElementById('values');
    dl.replaceChildren();
    if (res) {
      addValue(dl, 'Họ và tên', res.v.name);
      addValue(dl, 'Nội dung', res.v.award);
      if (res.v.amount !== '') addValue(dl, 'Số tiền', formatAmount(res.v.amount));
      addValue(dl, 'Ngày cấp', formatDate(res.v.date));
      addValue(dl, 'Số hiệu', res.v.serial);
      addValue(dl, 'Khóa ký', res.key.comment || res.key.id);
    }
    dl.hidden = !res;
    document.body.dataset.state = 'done';
  }

  async function run() {
    document.getElementById('school').textContent = DATA.school || '';
    document.getElementById('made').textContent = 'lập ngày ' + formatDate(DATA.made);
    if (DATA.school) document.title = 'Xác minh giấy khen - ' + DATA.school;
    let fragment = location.hash.replace(/^#/, '');
    try { fragment = decodeURIComponent(fragment); } catch (e) { /* kept as typed: malformed */ }
    if (fragment === '') { show(false, 'empty', '', null); return; }
    try {
      show(true, 'valid', '', await check(fragment));
    } catch (e) {
      if (e instanceof Refusal) show(false, e.kind, e.detail, e.res || null);
      else show(false, 'malformed', '', null);
    }
  }

  window.addEventListener('hashchange', run);
  run();
}
