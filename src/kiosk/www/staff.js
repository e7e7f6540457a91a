// staff.js - the staff page (issue 12, point 4): PIN login, then the
// printer's state in words with CUPS's own reason, the counts, the prints
// waiting for staff or the printer (confirm, cancel, retry), the last jobs,
// the print mode, reprints by search, reloading the list and the day's log.
// The status is asked for every 3 s.  Contract: docs/kiosk-api.md.
'use strict';

(() => {
  const $ = (id) => document.getElementById(id);
  const REFRESH_MS = 3000;
  const DEBOUNCE_MS = 150;

  let pin = '';
  let refreshTimer = 0;
  let searchTimer = 0;
  let searchCtl = null;
  let picked = null;          // {ref, name, class} chosen for a reprint
  let mode = '';
  let unmarkReasons = () => {};

  // ---- views -----------------------------------------------------------------

  function view(name) {
    document.body.dataset.view = name;
    $('v-login').hidden = name !== 'login';
    $('v-main').hidden = name !== 'main';
    $('b-logout').hidden = name !== 'main';
  }

  // ---- login -------------------------------------------------------------------

  function setPin(v) {
    pin = v;
    vc.showPin($('login-pin'), pin);
    $('b-login').disabled = pin.length < 4;
  }

  async function login() {
    if (pin.length < 4) return;
    $('b-login').disabled = true;
    try {
      await vc.post('/api/staff/login', { pin });
      $('login-error').textContent = '';
      setPin('');
      enter();
    } catch (e) {
      $('login-error').textContent = vc.pinMessage(e);
      setPin('');
    }
  }

  async function logout() {
    try { await vc.post('/api/staff/logout', {}); } catch (e) { /* the view changes anyway */ }
    leave('');
  }

  // Back to the login (logged out, or the staff session expired: why).
  function leave(why) {
    clearTimeout(refreshTimer);
    refreshTimer = 0;
    resetReprint();
    $('rp-q').value = '';
    $('rp-msg').textContent = '';
    $('rl-msg').textContent = '';
    $('rl-errors').replaceChildren();
    $('tickets').replaceChildren();
    $('jobs').replaceChildren();
    $('login-error').textContent = why;
    view('login');
  }

  function enter() {
    view('main');
    refresh();
  }

  // ---- status ------------------------------------------------------------------

  // Asks for the status, shows it, and asks again in 3 s.  A failure keeps
  // what is shown and says the server cannot be reached.
  async function refresh() {
    clearTimeout(refreshTimer);
    try {
      const s = await vc.get('/api/staff/status');
      vc.say($('conn'), '');
      showStatus(s);
    } catch (e) {
      if (e.status === 403) return leave('Phiên cán bộ đã hết. Mời đăng nhập lại.');
      vc.say($('conn'), 'Không lấy được tình trạng mới (' + vc.message(e) + '). Thông tin dưới đây có thể đã cũ.');
    }
    if (document.body.dataset.view === 'main') refreshTimer = setTimeout(refresh, REFRESH_MS);
  }

  function showStatus(s) {
    showPrinter(s.printer || {});
    const c = s.counts || {};
    $('c-printed').textContent = num(c.printed);
    $('c-left').textContent = num(c.not_printed);
    $('c-total').textContent = num(c.records);
    mode = s.mode || '';
    for (const b of document.querySelectorAll('.seg-b')) {
      b.classList.toggle('on', b.dataset.mode === mode);
      b.setAttribute('aria-pressed', String(b.dataset.mode === mode));
    }
    showTickets(s.tickets || []);
    showJobs(s.jobs || []);
  }

  // A count with the Vietnamese thousands dot.
  function num(n) {
    return typeof n === 'number' ? n.toLocaleString('vi-VN') : '–';
  }

  // CUPS's printer-state-reasons keywords (their -error/-warning/-report
  // suffix aside) in the words staff use.
  const REASONS = {
    'media-empty': 'Hết giấy',
    'media-needed': 'Cần nạp giấy',
    'media-jam': 'Kẹt giấy',
    'media-low': 'Sắp hết giấy',
    paused: 'Máy in đã dừng',
    'toner-empty': 'Hết mực',
    'toner-low': 'Sắp hết mực',
    'marker-supply-empty': 'Hết mực',
    'marker-supply-low': 'Sắp hết mực',
    'cover-open': 'Nắp máy in đang mở',
    'door-open': 'Cửa máy in đang mở',
    'input-tray-missing': 'Thiếu khay giấy',
    offline: 'Máy in không kết nối',
    'connecting-to-device': 'Đang kết nối với máy in',
    shutdown: 'Máy in đã tắt',
    'spool-area-full': 'Hàng đợi in đã đầy',
    'cups-missing-filter': 'Thiếu bộ lọc in',
    'cups-insecure-filter': 'Bộ lọc in không an toàn',
  };

  // The printer: a badge (Sẵn sàng, Đang in, Đã dừng, Không tìm thấy), its
  // reasons in words, and CUPS's raw reasons and the printer's message (in
  // quotes: its own words, not translated) below.
  function showPrinter(p) {
    const badge = $('pr-state');
    const words = [];
    for (const r of String(p.reasons || '').split(/[,\s]+/)) {
      const k = r.replace(/-(error|warning|report)$/, '');
      if (!k || k === 'none') continue;
      words.push(REASONS[k] || k);
    }
    let state, cls;
    if (p.state === 'unknown' || (!p.state && p.error)) {
      state = 'Không tìm thấy máy in';
      cls = 'bad';
    } else if (p.state === 'stopped') {
      state = 'Máy in đã dừng';
      cls = 'bad';
    } else if (p.ready === false || p.accepting === false) {
      state = 'Chưa sẵn sàng';
      cls = 'warn';
    } else {
      state = p.state === 'processing' ? 'Đang in' : 'Sẵn sàng';
      cls = 'ok';
    }
    if (p.accepting === false) words.push('Máy in không nhận lệnh in');
    badge.textContent = state;
    badge.className = 'badge ' + cls;
    $('pr-words').textContent = [...new Set(words)].filter((w) => w !== state).join(' · ');
    const raw = [];
    if (p.reasons && p.reasons !== 'none') raw.push('CUPS: ' + p.reasons);
    if (p.message) raw.push('"' + p.message + '"'); // the printer's own words, as it said them
    if (p.error) raw.push(p.error);
    $('pr-raw').textContent = raw.join(' — ');
  }

  const TICKET = {
    'awaiting-staff': 'Chờ xác nhận',
    'waiting-printer': 'Chờ máy in',
    printing: 'Đang in',
    completed: 'Đã in xong',
    failed: 'Lỗi khi in',
    cancelled: 'Đã huỷ',
  };

  // The prints not done yet, with what staff can do to each (those that
  // ended are in the last jobs).
  const OPEN = ['awaiting-staff', 'waiting-printer', 'printing', 'failed'];
  function showTickets(all) {
    const list = all.filter((t) => OPEN.includes(t.state));
    const ul = $('tickets');
    ul.replaceChildren();
    $('tickets-none').hidden = list.length > 0;
    for (const t of list) {
      const li = vc.el('li', 'row t-' + t.state);
      li.dataset.ticket = t.ticket;
      const who = vc.el('div', 'who');
      who.append(vc.el('b', '', t.name), vc.el('span', 'muted', t.class ? ' · Lớp ' + t.class : ''));
      if (t.reprint) who.append(vc.el('span', 'tag', 'In lại'));
      const st = vc.el('div', 'st');
      st.append(vc.el('span', 'state', TICKET[t.state] || t.state));
      if (t.message) st.append(vc.el('span', 'muted', ' — ' + t.message));
      const acts = vc.el('div', 'acts');
      if (t.state === 'awaiting-staff') acts.append(act('Xác nhận', 'confirm', t, 'primary'));
      if (t.state === 'waiting-printer' || t.state === 'failed') acts.append(act('Thử lại', 'retry', t, 'primary'));
      if (t.state === 'awaiting-staff' || t.state === 'waiting-printer' || t.state === 'failed')
        acts.append(act('Huỷ', 'cancel', t, 'secondary'));
      li.append(who, st, acts);
      ul.append(li);
    }
  }

  // A button that POSTs {ticket} to /api/staff/WHAT, then refreshes.
  function act(label, what, t, cls) {
    const b = vc.el('button', 'btn small ' + cls, label);
    b.type = 'button';
    b.dataset.act = what;
    b.addEventListener('click', async () => {
      b.disabled = true;
      try {
        await vc.post('/api/staff/' + what, { ticket: t.ticket });
      } catch (e) {
        vc.say($('conn'), t.name + ': ' + vc.message(e));
      }
      refresh();
    });
    return b;
  }

  const JOB = {
    pending: 'Đang chờ',
    held: 'Tạm giữ',
    processing: 'Đang in',
    stopped: 'Đã dừng',
    canceled: 'Đã huỷ',
    cancelled: 'Đã huỷ',
    aborted: 'Lỗi',
    completed: 'Đã in xong',
  };

  function showJobs(list) {
    const tb = $('jobs');
    tb.replaceChildren();
    $('jobs-none').hidden = list.length > 0;
    for (const j of list) {
      const tr = vc.el('tr', 'j-' + j.state);
      const name = vc.el('td', '', j.name);
      if (j.reprint) name.append(vc.el('span', 'tag', 'In lại'));
      tr.append(vc.el('td', '', j.at), name, vc.el('td', '', j.class), vc.el('td', 'serial', j.serial),
                vc.el('td', 'state', JOB[j.state] || j.state));
      tb.append(tr);
    }
  }

  // ---- mode ---------------------------------------------------------------------

  async function setMode(m) {
    if (m === mode) return;
    try {
      await vc.post('/api/staff/mode', { mode: m });
    } catch (e) {
      vc.say($('conn'), vc.message(e));
    }
    refresh();
  }

  // ---- reprint by search ------------------------------------------------------------

  function onReprintType() {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(reprintSearch, DEBOUNCE_MS);
  }

  async function reprintSearch() {
    if (searchCtl) searchCtl.abort();
    const text = $('rp-q').value.trim();
    const ul = $('rp-results');
    if ((text.match(/[\p{L}\p{N}]/gu) || []).length < 2) {
      ul.replaceChildren();
      return;
    }
    const ctl = new AbortController();
    searchCtl = ctl;
    try {
      const r = await vc.get('/api/staff/search?q=' + encodeURIComponent(text), ctl.signal);
      if (ctl !== searchCtl) return;
      ul.replaceChildren();
      const list = r.results || [];
      if (!list.length) ul.append(vc.el('li', 'muted', 'Không tìm thấy.'));
      for (const hit of list) {
        const b = vc.el('button', 'pick');
        b.type = 'button';
        b.append(vc.el('b', '', hit.name), vc.el('span', 'muted', hit.class ? ' · Lớp ' + hit.class : ''));
        b.addEventListener('click', () => pick(hit));
        const li = vc.el('li');
        li.append(b);
        ul.append(li);
      }
    } catch (e) {
      if (e.name === 'AbortError') return;
      ul.replaceChildren(vc.el('li', 'error', vc.message(e)));
    }
  }

  function pick(hit) {
    picked = hit;
    $('rp-results').replaceChildren();
    $('rp-who').textContent = hit.name + (hit.class ? ' · Lớp ' + hit.class : '');
    $('rp-form').hidden = false;
    $('rp-msg').textContent = '';
    canReprint();
  }

  function resetReprint() {
    picked = null;
    $('rp-form').hidden = true;
    $('rp-who').textContent = '';
    $('rp-reason').value = '';
    unmarkReasons();
    $('rp-results').replaceChildren();
  }

  function canReprint() {
    $('b-reprint').disabled = !picked || !$('rp-reason').value.trim();
  }

  async function reprint() {
    if (!picked) return;
    const who = picked;
    $('b-reprint').disabled = true;
    try {
      await vc.postPatiently('/api/staff/reprint', { ref: who.ref, reason: $('rp-reason').value.trim() },
                             () => { $('rp-msg').className = 'msg'; $('rp-msg').textContent = 'Đang gửi, chờ vài giây…'; });
      resetReprint();
      $('rp-q').value = '';
      $('rp-msg').className = 'msg ok';
      $('rp-msg').textContent = 'Đã gửi lệnh in lại giấy khen của ' + who.name + '.';
      refresh();
    } catch (e) {
      canReprint();
      $('rp-msg').className = 'msg error';
      $('rp-msg').textContent = vc.message(e);
    }
  }

  // ---- reload the list --------------------------------------------------------------

  async function reload() {
    const b = $('b-reload');
    b.disabled = true;
    $('rl-errors').replaceChildren();
    $('rl-msg').className = 'msg';
    $('rl-msg').textContent = 'Đang đọc lại danh sách…';
    try {
      const r = await vc.post('/api/staff/reload', {});
      $('rl-msg').className = 'msg ok';
      $('rl-msg').textContent = 'Đã đọc lại danh sách: ' + num(r.records) + ' người.';
      showLines(Array.isArray(r.warnings) ? r.warnings : [],
                'Các dòng sau có vấn đề, chưa in được cho đến khi sửa:');
      refresh();
    } catch (e) {
      $('rl-msg').className = 'msg error';
      const errs = (e.body && Array.isArray(e.body.errors)) ? e.body.errors : [];
      $('rl-msg').textContent = (errs.length ? 'Danh sách mới có lỗi, chưa dùng được.'
                                               : 'Không đọc lại được danh sách: ' + vc.message(e)) +
        ' Danh sách cũ vẫn đang được dùng.';
      showLines(errs, '');
    }
    b.disabled = false;
  }

  // The reload's errors or warnings (file:line:col: message), 50 at most,
  // under a heading when given.
  function showLines(lines, heading) {
    const ul = $('rl-errors');
    ul.replaceChildren();
    if (!lines.length) return;
    if (heading) ul.append(vc.el('li', 'head', heading));
    for (const x of lines.slice(0, 50)) ul.append(vc.el('li', '', x));
    if (lines.length > 50) ul.append(vc.el('li', 'muted', '… và ' + (lines.length - 50) + ' dòng khác'));
  }

  // ---- the day's log --------------------------------------------------------------

  // The date field (today by default) names the day of the CSV link.
  function logDay() {
    const d = $('log-day').value;
    $('log-link').href = '/api/staff/log.csv' + (d ? '?day=' + encodeURIComponent(d) : '');
  }

  function today() {
    const d = new Date();
    const p = (n) => String(n).padStart(2, '0');
    return d.getFullYear() + '-' + p(d.getMonth() + 1) + '-' + p(d.getDate());
  }

  // ---- start -----------------------------------------------------------------

  function wire() {
    vc.keypad($('login-pad'), () => pin, setPin, 12);
    setPin('');
    $('b-login').addEventListener('click', login);
    document.addEventListener('keydown', (ev) => {
      if (document.body.dataset.view !== 'login') return;
      if (/^[0-9]$/.test(ev.key) && pin.length < 12) setPin(pin + ev.key);
      else if (ev.key === 'Backspace') setPin(pin.slice(0, -1));
      else if (ev.key === 'Enter') login();
    });
    $('b-logout').addEventListener('click', logout);
    for (const b of document.querySelectorAll('.seg-b')) b.addEventListener('click', () => setMode(b.dataset.mode));
    $('rp-q').addEventListener('input', () => { resetReprint(); onReprintType(); });
    unmarkReasons = vc.chips($('rp-chips'), $('rp-reason'), canReprint);
    $('b-reprint').addEventListener('click', reprint);
    $('b-reload').addEventListener('click', reload);
    $('log-day').value = today();
    $('log-day').addEventListener('change', logDay);
    logDay();
  }

  async function start() {
    wire();
    try {
      const s = await vc.session();
      if (s.title) $('title').textContent = s.title;
      $('demo').hidden = !s.demo;
      if (s.staff) enter();
      else view('login');
    } catch (e) {
      $('login-error').textContent = vc.message(e);
      view('login');
    }
    document.body.dataset.ready = '1';
  }

  start();
})();
