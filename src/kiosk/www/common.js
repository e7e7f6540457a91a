// common.js - what the awardee's page and the staff page share: the JSON
// requests of docs/kiosk-api.md (the session's CSRF token on every POST; a
// refused token fetched again once, as after a restart of the kiosk), error
// messages in Vietnamese, and small DOM helpers that only ever use textContent.
'use strict';

const vc = (() => {
  let csrf = '';

  // An answer the server refused: status, its error word and its message.
  // retryAfter: the seconds a 429 asks to wait (Retry-After), else 0.
  class ApiError extends Error {
    constructor(status, body, retryAfter) {
      super((body && body.message) || '');
      this.status = status;
      this.body = body || {};
      this.word = this.body.error || (status === 0 ? 'network' : 'http');
      this.retryAfter = retryAfter || Number(this.body.retry_after) || 0;
    }
  }

  // Reads a response as JSON when it is; returns {} for an empty or non-JSON body.
  async function readJson(res) {
    const type = res.headers.get('Content-Type') || '';
    if (!type.includes('json')) return {};
    try { return await res.json(); } catch (e) { return {}; }
  }

  // One request; resolves to the JSON body, throws ApiError (status 0 when the
  // server cannot be reached; an AbortError passes through as it is).
  async function send(method, url, body, signal) {
    const init = { method, signal, credentials: 'same-origin', headers: {} };
    if (method === 'POST') {
      init.headers['Content-Type'] = 'application/json';
      init.headers['X-CSRF-Token'] = csrf;
      init.body = JSON.stringify(body || {});
    }
    let res;
    try {
      res = await fetch(url, init);
    } catch (e) {
      if (e.name === 'AbortError') throw e;
      throw new ApiError(0, null);
    }
    const data = await readJson(res);
    if (!res.ok) throw new ApiError(res.status, data, Number(res.headers.get('Retry-After')) || 0);
    return data;
  }

  // Asks for the session (sets the cookie, gives the CSRF token); returns it.
  async function session() {
    const s = await send('GET', '/api/session');
    csrf = s.csrf || '';
    return s;
  }

  // One request; a session the server does not know (it restarted, or
  // forgot an idle one: 403 session) or a refused CSRF token takes a new
  // session and tries once more.
  async function again(method, url, body, signal) {
    try {
      return await send(method, url, body, signal);
    } catch (e) {
      if (!(e instanceof ApiError) || e.status !== 403 || (e.word !== 'csrf' && e.word !== 'session')) throw e;
      await session();
      return send(method, url, body, signal);
    }
  }

  // GET url, JSON.
  function get(url, signal) {
    return again('GET', url, null, signal);
  }

  // POST body as JSON.
  function post(url, body) {
    return again('POST', url, body);
  }

  // POST for a print: the kiosk allows a print every few seconds per client,
  // and one refused as too soon (429, not the PIN's lockout) is sent again
  // once the wait it asks for is over (at most 3 times; onWait() told).
  async function postPatiently(url, body, onWait) {
    for (let tries = 0; ; tries++) {
      try {
        return await post(url, body);
      } catch (e) {
        if (!(e instanceof ApiError) || e.status !== 429 || e.word === 'locked' || tries >= 3) throw e;
        if (onWait) onWait();
        await new Promise((r) => setTimeout(r, Math.min(10, Math.max(1, e.retryAfter || 3)) * 1000));
      }
    }
  }

  // The sentence to show for a failed request: ours for what the page must
  // explain itself, else the server's own (Vietnamese) message.
  function message(e) {
    if (!(e instanceof ApiError)) return 'Đã có lỗi. Mời bạn thử lại.';
    if (e.status === 0) return 'Không kết nối được với máy chủ. Mời bạn thử lại hoặc hỏi cán bộ.';
    if (e.status === 429 && e.word !== 'locked')
      return 'Bạn thao tác nhanh quá. Mời bạn chờ một chút rồi thử lại.';
    if (e.body.message) return e.body.message;
    if (e.status >= 500) return 'Máy chủ đang gặp sự cố. Mời bạn hỏi cán bộ.';
    return 'Đã có lỗi. Mời bạn thử lại.';
  }

  // The sentence for a refused PIN: wrong (with the tries left), the
  // lockout (with its wait), or what else went wrong.
  function pinMessage(e) {
    if (e.status === 401 && e.word === 'pin') {
      const left = e.body.left;
      return 'Mã PIN không đúng.' + (typeof left === 'number' ? ' Còn ' + left + ' lần thử.' : '');
    }
    if (e.status === 429 && e.word === 'locked')
      return 'Đã nhập sai quá nhiều lần. Mời thử lại sau ' + (e.retryAfter || 60) + ' giây.';
    return message(e);
  }

  // One-tap reasons: a chip in box fills input with its words (marked
  // chosen); typing in input unmarks them.  changed() after each.
  function chips(box, input, changed) {
    const all = [...box.querySelectorAll('.chip')];
    for (const c of all) {
      c.addEventListener('click', () => {
        for (const o of all) o.classList.toggle('on', o === c);
        input.value = c.textContent;
        changed();
      });
    }
    input.addEventListener('input', () => {
      for (const o of all) o.classList.remove('on');
      changed();
    });
    return () => { for (const o of all) o.classList.remove('on'); };
  }

  // A new element with a class and text (never HTML).
  function el(tag, cls, text) {
    const n = document.createElement(tag);
    if (cls) n.className = cls;
    if (text !== undefined && text !== null) n.textContent = String(text);
    return n;
  }

  // Shows text in node (hides it when empty).
  function say(node, text) {
    node.textContent = text || '';
    node.hidden = !text;
  }

  // A numeric keypad in box (1-9, Xoá, 0, ⌫) that edits the string held by
  // get/set; max digits.  Keys keep the focus where it was (mousedown).
  function keypad(box, get, set, max) {
    const keys = ['1', '2', '3', '4', '5', '6', '7', '8', '9', 'clear', '0', 'back'];
    for (const k of keys) {
      const b = el('button', 'key' + (k.length > 1 ? ' fn' : ''),
                   k === 'clear' ? 'Xoá' : k === 'back' ? '⌫' : k);
      b.type = 'button';
      b.dataset.key = k;
      if (k === 'back') b.setAttribute('aria-label', 'Xoá một số');
      b.addEventListener('mousedown', (ev) => ev.preventDefault());
      b.addEventListener('click', () => {
        const v = get();
        if (k === 'clear') set('');
        else if (k === 'back') set(v.slice(0, -1));
        else if (v.length < max) set(v + k);
      });
      box.append(b);
    }
  }

  // The PIN as dots (never the digits) in node.
  function showPin(node, pin) {
    node.textContent = pin ? '●'.repeat(pin.length) : '';
    node.classList.toggle('empty', !pin);
  }

  return { ApiError, session, get, post, postPatiently, message, pinMessage, chips, el, say, keypad, showPin };
})();
