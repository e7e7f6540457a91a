// page.js - the verification page's verifier (docs/verify-page.md; the format: docs/verify.md).
// It runs in the same module script as the vendored @noble/ed25519 (vendor/), after it:
// the whole file is one block so that none of its names meets one of the library's;
// it calls the library's verifyAsync only when WebCrypto has no Ed25519.
{
  // The cap on the inflated BODY (docs/verify.md: zip bombs).
  const MAX_FIELDS_BYTES = 4096;

  // Why a payload is not shown as valid: kind is 'malformed', 'unknown-key', 'tampered',
  // 'revoked', or (nothing said of the certificate) 'empty', 'insecure', 'old-browser'.
  class Refusal extends Error {
    constructor(kind, detail) { super(detail || kind); this.kind = kind; this.detail = detail || ''; }
  }
  const malformed = (why) => new Refusal('malformed', why);

  const DATA = JSON.parse(document.getElementById('vc-data').textContent);
  const b64 = (s) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
  const hex = (u8) => Array.from(u8, (b) => b.toString(16).padStart(2, '0')).join('');

  // ---- Format v1 (docs/verify.md, sections 2 to 4) ----

  // Digits per final group of k bytes (k = 1..7): the number of digits of 256^k - 1.
  const GROUP_DIGITS = [0, 3, 5, 8, 10, 13, 15, 17];
  const MAX_DIGITS = 2488;   // 1,024 bytes

  // The fragment's digits to bytes (section 4): 7-byte groups of 17 digits, big-endian,
  // then a last shorter group; a length no group count gives, or a group too big, is malformed.
  function digitsToBytes(s) {
    if (s.length > MAX_DIGITS) throw malformed('mã quá dài');
    if (!/^[0-9]+$/.test(s)) throw malformed('mã chứa ký tự không phải chữ số');
    const k = GROUP_DIGITS.indexOf(s.length % 17);
    if (k < 0) throw malformed('số chữ số sai');
    const out = [];
    for (let at = 0; at < s.length; ) {
      const n = at + 17 <= s.length ? 7 : k;
      let v = BigInt(s.slice(at, at + GROUP_DIGITS[n]));
      if (v >= 1n << BigInt(8 * n)) throw malformed('nhóm chữ số quá lớn');
      const group = new Array(n);
      for (let i = n - 1; i >= 0; i--) { group[i] = Number(v & 0xffn); v >>= 8n; }
      out.push(...group);
      at += GROUP_DIGITS[n];
    }
    return new Uint8Array(out);
  }

  // The payload (section 3): version 1, key id (4), signature (64), DEFLATE(BODY).
  function splitPayload(b) {
    if (b.length < 70 || b.length > 1024) throw malformed('độ dài mã sai');
    if (b[0] !== 1) throw malformed('phiên bản mã ' + b[0] + ' chưa được hỗ trợ');
    return { keyId: b.subarray(1, 5), signature: b.subarray(5, 69), compressed: b.subarray(69) };
  }

  // One value F(v) = LEB128(length) || bytes at b[at]: { bytes, next }.  Only the
  // shortest LEB128 form is canonical; a length past the end is malformed.
  function readField(b, at, name) {
    let len = 0, shift = 0, i = at;
    for (;;) {
      // At most two bytes: BODY is at most 4,096 bytes (section 2).
      if (i >= b.length || shift > 7) throw malformed('trường ' + name + ' bị cắt');
      const x = b[i++];
      len |= (x & 0x7f) << shift;
      shift += 7;
      if (!(x & 0x80)) {
        if (x === 0 && i - at > 1) throw malformed('độ dài trường ' + name + ' không chuẩn');
        break;
      }
    }
    if (i + len > b.length) throw malformed('trường ' + name + ' bị cắt');
    return { bytes: b.subarray(i, i + len), next: i + len };
  }

  // Field, its name in messages, limit (characters, or bytes for serial, amount,
  // date), extra check.
  const FIELDS = [
    ['serial', 'số hiệu', 127, true, null],
    ['name', 'họ và tên', 60, false, null],
    ['award', 'nội dung', 160, false, null],
    ['amount', 'số tiền', 15, true, (v) => v === '' || /^[1-9][0-9]*$/.test(v)],
    ['date', 'ngày cấp', 10, true, validDate],
  ];

  // A real YYYY-MM-DD of the Gregorian calendar, years 1900 to 2999 (as vncert's C
  // verifier: docs/verify.md section 2).
  function validDate(v) {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
    if (!m || +m[1] < 1900 || +m[1] > 2999) return false;
    const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
    return d.getUTCFullYear() === +m[1] && d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3];
  }

  // The signer's cleaning (docs/verify.md section 2): NFC, every run of Unicode
  // White_Space one space, none at either end.  A value it would change was not
  // written by a signer.
  const cleaned = (s) => s.normalize('NFC').replace(/\p{White_Space}+/gu, ' ').replace(/^ | $/g, '');
  // Format characters (category Cf: bidi controls, zero-width space, soft hyphen),
  // ZWNJ and ZWJ (U+200C, U+200D) excepted: invisible, they make two values look alike.
  const FORMAT_CHAR = /(?![\u200c\u200d])\p{Cf}/u;

  // BODY (section 2): exactly five values, each UTF-8 without control or format
  // characters (but ZWNJ/ZWJ), its own cleaned form, within its limit; else
  // malformed (the C verifier's rules, canon.c).  Returns the values by name.
  function parseBody(body) {
    const dec = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }); // a BOM is a value's own
    const v = {};
    let at = 0;
    for (const [field, name, limit, inBytes, check] of FIELDS) {
      const f = readField(body, at, name);
      let s;
      try { s = dec.decode(f.bytes); } catch (e) { throw malformed('trường ' + name + ' không phải UTF-8'); }
      if (/[\u0000-\u001f\u007f-\u009f]/.test(s)) throw malformed('trường ' + name + ' có ký tự điều khiển');
      if (FORMAT_CHAR.test(s)) throw malformed('trường ' + name + ' có ký tự định dạng ẩn');
      if (cleaned(s) !== s) throw malformed('trường ' + name + ' không ở dạng chuẩn (NFC, khoảng trắng)');
      if ((inBytes ? f.bytes.length : [...s].length) > limit) throw malformed('trường ' + name + ' quá dài');
      if (check && !check(s))
        throw malformed('trường ' + name + ' sai');
      v[field] = s;
      at = f.next;
    }
    if (at !== body.length) throw malformed('dữ liệu thừa sau các trường');
    return v;
  }

  const TAG = new TextEncoder().encode('vncert-v1\0');
  // MESSAGE = "vncert-v1" 0x00 || BODY || F(key id in 8 lowercase hex digits).
  function signedMessage(body, keyIdHex) {
    const id = new TextEncoder().encode(keyIdHex);
    const m = new Uint8Array(TAG.length + body.length + 1 + id.length);
    m.set(TAG, 0);
    m.set(body, TAG.length);
    m[TAG.length + body.length] = id.length;
    m.set(id, TAG.length + body.length + 1);
    return m;
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

  // What this browser lacks to check a payload at all, or null.  Without a
  // secure context (a page served over plain http) there is no crypto.subtle:
  // neither Ed25519 nor the SHA-512 the bundled library hashes with.
  function browserLacks() {
    if (!globalThis.isSecureContext || !globalThis.crypto || !crypto.subtle)
      return 'insecure';
    try {
      new DecompressionStream('deflate-raw');
    } catch (e) {
      return 'old-browser';
    }
    return null;
  }

  // The verdict for the fragment, in the order of docs/verify.md section 3:
  // resolves to { v, key } or throws a Refusal.
  async function check(fragment) {
    const lacks = browserLacks();
    if (lacks) throw new Refusal(lacks);
    const p = splitPayload(digitsToBytes(fragment));
    const body = await inflateWithDictionary(b64(DATA.dict), p.compressed);
    const v = parseBody(body);
    const id = hex(p.keyId);
    const key = DATA.keys.find((k) => k.id === id);
    if (!key) throw new Refusal('unknown-key', 'mã khóa ' + id);
    // A signature that does not hold is "tampered"; a verifier that could not
    // run says so instead (never a forged verdict either way).
    let ok = false;
    try {
      ok = await ed25519Verify(b64(key.key), p.signature, signedMessage(body, id));
    } catch (e) {
      throw new Refusal('old-browser', String(e && e.message || e));
    }
    if (!ok) throw new Refusal('tampered');
    const r = v.serial === '' ? null : DATA.revoked.find((x) => x.serial === v.serial);
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
    'insecure': 'Chưa kiểm tra được: trang này phải được mở qua https:// ' +
                '(trình duyệt chỉ cho phép kiểm tra chữ ký số trên trang an toàn).',
    'old-browser': 'Chưa kiểm tra được: trình duyệt này quá cũ. ' +
                   'Hãy cập nhật trình duyệt hoặc dùng trình duyệt khác.',
  };
  // Verdicts that say nothing of the certificate: the page could not check it.
  const UNCHECKED = ['empty', 'insecure', 'old-browser'];

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
    box.className = 'result ' + (ok ? 'ok' : UNCHECKED.includes(kind) ? 'wait' : 'bad');
    box.dataset.kind = kind;
    document.getElementById('verdict').textContent =
      ok ? 'Hợp lệ' : UNCHECKED.includes(kind) ? 'Chưa kiểm tra' : 'Không hợp lệ';
    const why = document.getElementById('why');
    if (ok) {
      why.textContent = 'Chữ ký số của trường khớp với nội dung dưới đây.';
    } else {
      let text = WHY[kind] || WHY.malformed;
      if (kind === 'revoked') text = 'Đã bị thu hồi — lý do: ' + detail;
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
      addValue(dl, 'Khóa ký', (res.key.comment ? res.key.comment + ' · ' : '') + 'mã khóa ' + res.key.id);
    }
    dl.hidden = !res;
    document.body.dataset.state = 'done';
  }

  // Each run checks the fragment of its time; a hash changed meanwhile starts
  // another, and only the latest run shows its verdict.
  let latest = 0;
  async function run() {
    const mine = ++latest;
    document.getElementById('school').textContent = DATA.school || '';
    document.getElementById('made').textContent =
      'Danh sách thu hồi của trang: lập ngày ' + formatDate(DATA.made) + '.';
    if (DATA.school) document.title = 'Xác minh giấy khen - ' + DATA.school;
    let fragment = location.hash.replace(/^#/, '');
    try { fragment = decodeURIComponent(fragment); } catch (e) { /* kept as typed: malformed */ }
    // White space at either end (a scanner's line break) is let go, as vncert verify does.
    fragment = fragment.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');
    if (fragment === '') { show(false, 'empty', '', null); return; }
    let res = null, err = null;
    try {
      res = await check(fragment);
    } catch (e) {
      err = e instanceof Refusal ? e : malformed('');
    }
    if (mine !== latest) return;
    if (res) show(true, 'valid', '', res);
    else show(false, err.kind, err.detail, err.res || null);
  }

  window.addEventListener('hashchange', run);
  run();
}
