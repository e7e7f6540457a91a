// kiosk.js - the awardee's screens (issue 12, point 2): search as they type
// (on-screen keys, a physical keyboard or a barcode scanner), the preview of
// the page that will print, printing with its progress, the staff PIN for a
// reprint, and the return to the start after the idle time, keeping nothing
// of the previous person.  Contract: docs/kiosk-api.md.
'use strict';

(() => {
  const $ = (id) => document.getElementById(id);
  const q = $('q');
  const POLL_MS = 700;        // ticket polling
  const DEBOUNCE_MS = 120;    // typing pause before a search
  const DONE_S = 8;           // the thanks stay this long
  const MAX_RESULTS = 5;

  let idleMs = 60000;
  let idleTimer = 0;
  let searchTimer = 0;
  let searchCtl = null;       // the search in flight (aborted by a newer one)
  let current = null;         // {ref, name, class} being previewed or printed
  let ticket = '';
  let ticketState = '';
  let printingSince = 0;      // when the ticket was sent (the idle clock waits for it)
  let pollTimer = 0;
  let pollFailures = 0;
  let doneTimer = 0;
  let pin = '';
  let unmarkReasons = () => {};

  // ---- screens -------------------------------------------------------------

  // Shows one screen (search, preview, progress, done); the search screen
  // takes the focus back to its field.
  function show(name) {
    for (const s of document.querySelectorAll('main > .screen')) s.hidden = s.id !== 's-' + name;
    document.body.dataset.screen = name;
    if (name === 'search') focusSearch();
  }

  // Keeps the field focused on the search screen (keys, a scanner type there).
  function focusSearch() {
    if (document.body.dataset.screen === 'search' && !$('d-pin').open) q.focus();
  }

  // ---- the on-screen keyboard -----------------------------------------------

  // Builds the keys: digits (for IDs), a-z (search ignores diacritics),
  // backspace, space, clear.  Keys never take the focus from the field.
  function buildKeyboard() {
    const rows = ['1234567890', 'qwertyuiop', 'asdfghjkl', 'zxcvbnm'];
    const box = $('kbd');
    rows.forEach((r, i) => {
      const row = vc.el('div', 'kbd-row' + (i === 0 ? ' digits' : ''));
      for (const ch of r) row.append(key(ch, ch));
      if (i === 3) row.append(key('back', '⌫', 'fn wide', 'Xoá một chữ'));
      box.append(row);
    });
    const last = vc.el('div', 'kbd-row');
    last.append(key('space', 'Dấu cách', 'fn space'), key('clear', 'Xoá hết', 'fn wide'));
    box.append(last);
  }

  // One key button (what it types in data-key).
  function key(k, label, cls, aria) {
    const b = vc.el('button', 'key' + (cls ? ' ' + cls : ''), label);
    b.type = 'button';
    b.dataset.key = k;
    if (aria) b.setAttribute('aria-label', aria);
    b.addEventListener('mousedown', (ev) => ev.preventDefault());
    b.addEventListener('click', () => typeKey(k));
    return b;
  }

  // What a tapped key does to the field (at its end: the field is short).
  function typeKey(k) {
    if (k === 'clear') q.value = '';
    else if (k === 'back') q.value = q.value.slice(0, -1);
    else if (q.value.length < 100) q.value += k === 'space' ? ' ' : k;
    q.focus();
    onType();
  }

  // ---- search -----------------------------------------------------------------

  // The field changed: search after a short pause (a stale one is cancelled).
  function onType() {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(() => search(false), DEBOUNCE_MS);
  }

  // Letters and digits typed (what the server counts: under 2, nothing).
  function typedLength(text) {
    return (text.match(/[\p{L}\p{N}]/gu) || []).length;
  }

  // Asks the server for the field's text; shows at most 5 results.  With
  // enter (a scanner's Enter, or the key), a single result opens at once.
  async function search(enter) {
    clearTimeout(searchTimer);
    if (searchCtl) searchCtl.abort();
    searchCtl = null;
    const text = q.value.trim();
    if (typedLength(text) < 2) {
      showResults(null);
      return;
    }
    const ctl = new AbortController();
    searchCtl = ctl;
    try {
      const r = await vc.get('/api/search?q=' + encodeURIComponent(text), ctl.signal);
      if (ctl !== searchCtl) return;
      searchCtl = null;
      const list = (r.results || []).slice(0, MAX_RESULTS);
      if (enter && list.length === 1) choose(list[0]);
      else showResults(list);
    } catch (e) {
      if (e.name === 'AbortError' || ctl !== searchCtl) return;
      searchCtl = null;
      showResults([], vc.message(e));
    }
  }

  // Shows results (null: nothing typed yet), each a button with only the
  // name and the class.
  function showResults(list, error) {
    const ul = $('results');
    ul.replaceChildren();
    const hint = $('hint');
    hint.classList.toggle('error', !!error);
    if (error) hint.textContent = error;
    else if (list === null)
      hint.textContent = 'Gõ ít nhất 2 chữ cái của tên (không cần dấu), hoặc quét mã sinh viên.';
    else if (list.length === 0)
      hint.textContent = 'Không tìm thấy tên nào. Bạn thử gõ cách khác, hoặc hỏi cán bộ.';
    else hint.textContent = 'Chạm vào tên của bạn:';
    for (const hit of list || []) {
      const b = vc.el('button', 'result');
      b.type = 'button';
      b.append(vc.el('span', 'r-name', hit.name), vc.el('span', 'r-class', hit.class ? 'Lớp ' + hit.class : ''));
      b.addEventListener('click', () => choose(hit));
      const li = vc.el('li');
      li.append(b);
      ul.append(li);
    }
  }

  // ---- preview ---------------------------------------------------------------

  // Opens the preview of hit: the page that will print, sized to the screen.
  function choose(hit) {
    current = { ref: hit.ref, name: hit.name, class: hit.class };
    $('pv-name').textContent = hit.name;
    $('pv-class').textContent = hit.class ? 'Lớp ' + hit.class : '';
    vc.say($('pv-note'), '');
    vc.say($('pv-error'), '');
    $('b-print').disabled = false;
    const img = $('pv-img');
    img.removeAttribute('src');
    img.classList.remove('loaded');
    $('pv-wait').hidden = false;
    show('preview');
    // The box's inner width (its padding aside), in device pixels.
    const box = img.parentElement;
    const inner = box.clientWidth - parseFloat(getComputedStyle(box).paddingLeft) * 2;
    const w = Math.max(200, Math.min(2400, Math.round(inner * (window.devicePixelRatio || 1))));
    img.src = '/api/preview?ref=' + encodeURIComponent(hit.ref) + '&w=' + w;
    docState(current);
  }

  // Says on the preview when the certificate was already printed or queued.
  async function docState(who) {
    try {
      const d = await vc.get('/api/doc?ref=' + encodeURIComponent(who.ref));
      if (who !== current) return;
      if (d.state === 'printed')
        vc.say($('pv-note'), 'Giấy khen này đã được in. In lại cần cán bộ xác nhận.');
      else if (d.state === 'queued') vc.say($('pv-note'), 'Giấy khen này đang chờ in.');
    } catch (e) {
      if (who === current) previewFailed(e);
    }
  }

  // The preview image arrived, or could not: the server's reason is asked for
  // (an <img> cannot read it) and printing is stopped.
  function onPreviewLoad() {
    $('pv-wait').hidden = true;
    $('pv-img').classList.add('loaded');
  }
  async function onPreviewError() {
    const img = $('pv-img');
    if (!img.getAttribute('src') || !current) return;
    $('pv-wait').hidden = true;
    const who = current;
    try {
      await vc.get(img.getAttribute('src'));
      if (who === current) previewFailed(null);
    } catch (e) {
      if (who === current) previewFailed(e);
    }
  }
  function previewFailed(e) {
    if (e && e.status === 404) return startOver('Mời bạn tìm lại tên của mình.');
    vc.say($('pv-error'), (e ? vc.message(e) : 'Không hiện được giấy khen.') + ' Mời bạn hỏi cán bộ.');
    $('b-print').disabled = true;
  }

  // ---- printing ----------------------------------------------------------------

  // Sends the print (extra: the PIN and reason of a reprint); a print already
  // done asks for staff's PIN.
  async function print(extra) {
    if (!current) return;
    const who = current;
    $('b-print').disabled = true;
    $('b-pin-ok').disabled = true;
    const note = extra ? $('pin-error') : $('pv-error');
    try {
      const r = await vc.postPatiently('/api/print', Object.assign({ ref: who.ref }, extra || {}),
                                       () => vc.say(note, 'Đang gửi, mời bạn chờ vài giây…'));
      if (who !== current) return;
      closePin();
      follow(r.ticket);
    } catch (e) {
      if (who !== current) return;
      $('b-print').disabled = false;
      canReprint();
      if (extra) return pinRefused(e);
      if (e.status === 409 && e.word === 'needs-staff') return openPin();
      if (e.status === 404) return startOver('Mời bạn tìm lại tên của mình.');
      vc.say($('pv-error'), vc.message(e));
    }
  }

  // Follows ticket t on the progress screen until it completes.
  function follow(t) {
    ticket = t;
    ticketState = '';
    printingSince = Date.now();
    pollFailures = 0;
    $('pg-name').textContent = current ? current.name : '';
    progress('sending', '');
    show('progress');
    clearTimeout(pollTimer);
    pollTimer = setTimeout(poll, POLL_MS);
  }

  // Asks where the ticket stands; shows it; completed ends with the thanks.
  async function poll() {
    const t = ticket;
    if (!t) return;
    try {
      const r = await vc.get('/api/ticket?t=' + encodeURIComponent(t));
      if (t !== ticket) return;
      pollFailures = 0;
      if (r.state === 'completed') return done();
      progress(r.state, r.message);
      if (r.state === 'cancelled') { ticket = ''; return; }
    } catch (e) {
      if (t !== ticket) return;
      if (e.status === 404) {
        ticket = '';
        return progress('lost', '');
      }
      if (++pollFailures >= 5) progress('failed', '');
    }
    pollTimer = setTimeout(poll, POLL_MS);
  }

  const PROGRESS = {
    sending: 'Đang gửi đến máy in…',
    printing: 'Đang in…',
    'awaiting-staff': 'Chờ cán bộ xác nhận…',
    'waiting-printer': 'Máy in đang gặp sự cố, cán bộ sẽ hỗ trợ bạn',
    failed: 'Máy in đang gặp sự cố, cán bộ sẽ hỗ trợ bạn',
    cancelled: 'Cán bộ đã huỷ lần in này.',
    lost: 'Không theo dõi được lần in này. Mời bạn hỏi cán bộ.',
  };

  // Shows state s of the print: a spinner while it moves, a way home when
  // it waits on people or the printer.  The idle clock stops while printing.
  function progress(s, message) {
    ticketState = s;
    const fault = s === 'waiting-printer' || s === 'failed' || s === 'lost' || s === 'cancelled';
    $('pg-msg').textContent = PROGRESS[s] || PROGRESS.printing;
    $('s-progress').classList.toggle('fault', fault);
    $('pg-spin').hidden = s === 'lost' || s === 'cancelled';
    $('pg-sub').textContent = s === 'awaiting-staff' ? 'Mời bạn chờ trong giây lát.'
      : fault && s !== 'cancelled' ? 'Bạn có thể chờ ở đây, lần in vẫn được giữ.' : '';
    $('b-home').hidden = !(fault || s === 'awaiting-staff');
    touch();
  }

  // The job completed: the thanks, then the start again after a few seconds.
  function done() {
    ticket = '';
    ticketState = 'completed';
    show('done');
    let left = DONE_S;
    const tick = () => {
      $('done-sub').textContent = 'Màn hình sẽ trở về trang đầu sau ' + left + ' giây.';
      if (left-- <= 0) return startOver();
      doneTimer = setTimeout(tick, 1000);
    };
    clearTimeout(doneTimer);
    tick();
  }

  // ---- the staff PIN for a reprint ----------------------------------------------

  function openPin() {
    setPin('');
    $('reason').value = '';
    unmarkReasons();
    $('pin-error').textContent = '';
    canReprint();
    if (!$('d-pin').open) $('d-pin').showModal();
  }

  function closePin() {
    if ($('d-pin').open) $('d-pin').close();
  }

  // Emptied whenever the dialog closes (Huỷ, Esc, printed, idle).
  function onPinClosed() {
    setPin('');
    $('reason').value = '';
    $('pin-error').textContent = '';
    unmarkReasons();
    focusSearch();
  }

  function setPin(v) {
    pin = v;
    vc.showPin($('pin-shown'), pin);
    canReprint();
  }

  // The reprint button needs a PIN of 4 digits or more and a reason.
  function canReprint() {
    $('b-pin-ok').disabled = pin.length < 4 || !$('reason').value.trim();
  }

  // The server refused the reprint: a wrong PIN, the lockout, or else.
  function pinRefused(e) {
    $('pin-error').textContent = vc.pinMessage(e);
    setPin('');
  }

  // ---- the start again ---------------------------------------------------------

  // Back to the empty search: nothing of the previous person stays in the
  // page (field, results, preview, progress, dialog); the server forgets the
  // session's refs and tickets.  note: a sentence to show on the start.
  function startOver(note) {
    clearTimeout(searchTimer);
    clearTimeout(pollTimer);
    clearTimeout(doneTimer);
    if (searchCtl) searchCtl.abort();
    searchCtl = null;
    current = null;
    ticket = '';
    ticketState = '';
    closePin();
    q.value = '';
    showResults(null);
    if (typeof note === 'string') $('hint').textContent = note;
    const img = $('pv-img');
    img.removeAttribute('src');
    img.classList.remove('loaded');
    for (const id of ['pv-name', 'pv-class', 'pg-name', 'pg-msg', 'pg-sub', 'done-sub']) $(id).textContent = '';
    vc.say($('pv-note'), '');
    vc.say($('pv-error'), '');
    show('search');
    vc.post('/api/reset', {}).catch(() => {});
    touch();
  }

  // Anything the person does restarts the idle clock; it waits for a job
  // that is printing (for 2 minutes at most: a printer stuck mid-job must
  // not keep the name on the screen), and does nothing on an untouched start.
  function touch() {
    clearTimeout(idleTimer);
    idleTimer = setTimeout(onIdle, idleMs);
  }
  function onIdle() {
    const busy = ticketState === 'printing' || ticketState === 'sending';
    if (busy && Date.now() - printingSince < 120000) return touch();
    const empty = document.body.dataset.screen === 'search' && !q.value && !$('d-pin').open;
    if (!empty) startOver();
    touch();
  }

  // ---- start -----------------------------------------------------------------

  function wire() {
    buildKeyboard();
    vc.keypad($('pin-pad'), () => pin, setPin, 12);
    q.addEventListener('input', onType);
    q.addEventListener('keydown', (ev) => {
      if (ev.key === 'Enter') { ev.preventDefault(); search(true); }
      else if (ev.key === 'Escape') typeKey('clear');
    });
    q.addEventListener('blur', () => setTimeout(focusSearch, 0));
    $('pv-img').addEventListener('load', onPreviewLoad);
    $('pv-img').addEventListener('error', onPreviewError);
    $('b-print').addEventListener('click', () => print(null));
    $('b-back').addEventListener('click', () => { current = null; show('search'); $('pv-img').removeAttribute('src'); });
    $('b-home').addEventListener('click', () => startOver());
    $('b-finish').addEventListener('click', () => startOver());
    $('b-pin-cancel').addEventListener('click', closePin);
    $('b-pin-ok').addEventListener('click', () => print({ pin, reason: $('reason').value.trim() }));
    $('d-pin').addEventListener('close', onPinClosed);
    unmarkReasons = vc.chips($('reasons'), $('reason'), canReprint);
    for (const ev of ['pointerdown', 'keydown', 'input', 'wheel'])
      document.addEventListener(ev, touch, { capture: true, passive: true });
    // A key pressed anywhere on the start goes to the field.
    document.addEventListener('keydown', (ev) => {
      if (document.body.dataset.screen === 'search' && document.activeElement !== q && !$('d-pin').open) q.focus();
    }, true);
  }

  async function start() {
    wire();
    show('search');
    try {
      const s = await vc.session();
      if (s.title) {
        $('title').textContent = s.title;
        document.title = s.title;
      }
      if (s.idle_seconds > 0) idleMs = s.idle_seconds * 1000;
    } catch (e) {
      $('hint').textContent = vc.message(e);
      $('hint').classList.add('error');
    }
    document.body.dataset.ready = '1';
    touch();
  }

  start();
})();
