// kiosk.mjs - the ceremony-day kiosk (issue 12) in a real browser: Debian's
// chromium driven by playwright-core, 1280x800 like the kiosk's touchscreen,
// against a `vncert kiosk` that kiosk-browser-tests.sh started with a real
// CUPS queue.  Taps the on-screen keys, types on the keyboard, scans an ID,
// previews, prints, reprints with the staff PIN, and drives the staff page
// (confirm mode, a stopped printer).  Keeps a screenshot of every screen.
//
// Usage: node kiosk.mjs CONFIG.json
// CONFIG: {"phase": "main"|"idle", "base": "http://127.0.0.1:PORT",
//   "pin": "2468", "queue": "pdf", "out": "/cups/out" (job-ID.pdf land there),
//   "shots": "/dir", "idle": 3 (phase idle: the kiosk's --idle)}
// Prints "ok   NAME" or "FAIL NAME: why" per check; exit 1 on a failure.
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { chromium } from 'playwright-core';

const cfg = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const W = 1280, H = 800;
let failed = 0;
const consoleErrors = [];

function ok(name) { console.log('ok   ' + name); }
function fail(name, why) { failed++; console.log('FAIL ' + name + ': ' + why); }
function check(name, cond, why) { if (cond) ok(name); else fail(name, why); }

// Console errors and uncaught exceptions of every page, CSP violations
// included (chromium reports them as console errors).  The requests the
// flow is meant to have refused (a print already done: 409; a wrong PIN:
// 401; a print sooner than the kiosk's print rate allows, which the page
// sends again by itself: 429; staff's retry of a ticket the kiosk resent by
// itself the moment the printer came back: 409) are logged by chromium as
// failed loads: those alone are expected.
function listen(page, label) {
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    const url = (m.location() && m.location().url) || '';
    const expected = (/status of (409|401|429) /.test(m.text()) && /\/api\/print$/.test(url)) ||
      (/status of 401 /.test(m.text()) && /\/api\/staff\/login$/.test(url)) ||
      (/status of 409 /.test(m.text()) && /\/api\/staff\/retry$/.test(url));
    if (!expected) consoleErrors.push(label + ': ' + m.text() + (url ? ' (' + url + ')' : ''));
  });
  page.on('pageerror', (e) => consoleErrors.push(label + ': uncaught ' + e.message));
}

async function shot(page, name) {
  const f = path.join(cfg.shots, name + '.png');
  await page.screenshot({ path: f });
  return f;
}

// The page fits the 1280x800 screen without scrolling.
async function noScroll(page, where) {
  const m = await page.evaluate(() => ({
    h: document.documentElement.scrollHeight, w: document.documentElement.scrollWidth,
    ih: innerHeight, iw: innerWidth }));
  check(`no scrolling on ${where}`, m.h <= m.ih && m.w <= m.iw,
        `scroll size ${m.w}x${m.h} for a ${m.iw}x${m.ih} window`);
}

// Taps text on the on-screen keyboard, key by key (space: the space key).
async function tapKeys(page, text) {
  for (const ch of text) await page.click(`#kbd [data-key="${ch === ' ' ? 'space' : ch}"]`);
}

async function clearSearch(page) {
  await page.click('#kbd [data-key="clear"]');
  await page.waitForFunction(() => !document.querySelector('#results li'));
}

// The results shown: [{name, cls, parts}] (parts: the elements in a result).
async function results(page) {
  await page.waitForSelector('#results .result');
  return page.$$eval('#results .result', (bs) => bs.map((b) => ({
    name: b.querySelector('.r-name').textContent,
    cls: b.querySelector('.r-class').textContent,
    parts: b.children.length,
    text: b.innerText })));
}

// Waits for the results of text to be those of the last search (names).
async function resultNames(page, want) {
  await page.waitForFunction((w) => [...document.querySelectorAll('#results .r-name')]
    .some((n) => n.textContent === w), want, { timeout: 10000 });
  return results(page);
}

async function pick(page, name) {
  await page.click(`#results .result:has(.r-name:text-is("${name}"))`);
  await page.waitForSelector('#pv-img.loaded', { timeout: 10000 });
}

// Waits for the thanks (the job completed in CUPS).
async function printAndWait(page) {
  await page.waitForSelector('body[data-screen="done"]', { timeout: 30000 });
  await page.waitForSelector('text=Cảm ơn! Mời bạn nhận giấy khen tại máy in.');
}

// The PDF files CUPS's test queue wrote (job-ID.pdf), by job id.
function jobs() {
  return fs.readdirSync(cfg.out).filter((f) => /^job-\d+\.pdf$/.test(f))
    .map((f) => Number(f.slice(4, -4))).sort((a, b) => a - b);
}
function pdfText(id) {
  return execFileSync('pdftotext', [path.join(cfg.out, `job-${id}.pdf`), '-'], { encoding: 'utf8' });
}
// The text of the one PDF that arrived after the jobs in before.
async function arrived(before, what) {
  for (let i = 0; i < 50; i++) {
    const now = jobs().filter((j) => !before.includes(j));
    if (now.length) return now.map(pdfText).join('\n');
    await new Promise((r) => setTimeout(r, 200));
  }
  fail(what, 'no PDF arrived in the CUPS queue\'s folder');
  return '';
}
const SERIAL = /2026\/GK-\d{4}/;

async function awardeeFlow(page) {
  await page.goto(cfg.base + '/');
  await page.waitForSelector('body[data-ready="1"]');
  await shot(page, '01-start');
  await noScroll(page, 'the start');
  check('the search field has the focus', await page.evaluate(() => document.activeElement.id === 'q'),
        'focus on ' + await page.evaluate(() => document.activeElement.outerHTML.slice(0, 80)));

  // Many matches: at most 5, each only a name and a class.
  await tapKeys(page, 'thi');
  let r = await results(page);
  await shot(page, '02-results');
  await noScroll(page, 'the results');
  check('"thi" tapped on the on-screen keys: 5 results (7 match)', r.length === 5, `${r.length} results`);
  check('each result shows only a name and a class',
        r.every((x) => x.parts === 2 && /^Lớp K\d\d[A-Z]+$/.test(x.cls) && !/\d{7}/.test(x.text)),
        JSON.stringify(r));
  await clearSearch(page);

  // A physical keyboard.
  await page.keyboard.type('luong thi man');
  r = await resultNames(page, 'Lương Thị Mẫn');
  check('typed on a keyboard, without diacritics: Lương Thị Mẫn found', r.length >= 1, JSON.stringify(r));
  await clearSearch(page);

  // A barcode scanner: the ID, then Enter: the one record opens.
  await page.keyboard.type('0220118');
  await page.keyboard.press('Enter');
  await page.waitForSelector('body[data-screen="preview"] #pv-img.loaded', { timeout: 10000 });
  check('a scanned ID + Enter opens that person', await page.textContent('#pv-name') === 'Vi Thị Thùy Dương',
        'preview of ' + await page.textContent('#pv-name'));
  check('the ID is not shown', !(await page.evaluate(() => document.body.innerText)).includes('0220118'), 'it is');
  await page.click('#b-back');
  await page.waitForSelector('body[data-screen="search"]');

  // Tap a name, preview, print.
  await clearSearch(page);
  await tapKeys(page, 'nong van');
  await resultNames(page, 'Nông Văn Lực');
  await pick(page, 'Nông Văn Lực');
  const img = await page.$eval('#pv-img', (i) => {
    const b = i.getBoundingClientRect();
    return { nw: i.naturalWidth, l: b.left, t: b.top, r: b.right, b: b.bottom };
  });
  check('the preview image loaded and fits the screen',
        img.nw > 0 && img.l >= 0 && img.t >= 0 && img.r <= W && img.b <= H, JSON.stringify(img));
  await shot(page, '03-preview');
  await noScroll(page, 'the preview');
  let before = jobs();
  await page.click('#b-print');
  await page.waitForSelector('body[data-screen="progress"], body[data-screen="done"]');
  await shot(page, '04-progress');
  await noScroll(page, 'the progress');
  await printAndWait(page);
  await shot(page, '05-thanks');
  await noScroll(page, 'the thanks');
  let text = await arrived(before, 'first print');
  check('the printed PDF holds NÔNG VĂN LỰC and a serial', /NÔNG VĂN LỰC/.test(text) && SERIAL.test(text),
        'pdftotext: ' + text.replace(/\s+/g, ' ').slice(0, 300));

  // The same person again: staff PIN and a reason.
  await page.click('#b-finish');
  await page.waitForSelector('body[data-screen="search"]');
  await tapKeys(page, 'nong van');
  await resultNames(page, 'Nông Văn Lực');
  await pick(page, 'Nông Văn Lực');
  await page.click('#b-print');
  await page.waitForSelector('#d-pin[open]', { timeout: 10000 });
  await shot(page, '06-pin');
  await noScroll(page, 'the PIN dialog');
  const asked = (await page.innerText('#d-pin .pin-head')).replace(/\s+/g, ' ');
  check('a second print asks for the staff PIN',
        asked.includes('Giấy khen này đã được in. Cán bộ nhập mã PIN để in lại.'), asked);
  for (const d of '0000') await page.click(`#pin-pad [data-key="${d}"]`);
  await page.click('#reasons .chip:text-is("Bị mất")');
  before = jobs();
  await page.click('#b-pin-ok');
  await page.waitForFunction(() => document.getElementById('pin-error').textContent.includes('Mã PIN không đúng'));
  await shot(page, '07-pin-wrong');
  check('a wrong PIN is refused and nothing prints', jobs().length === before.length, 'a job arrived');
  for (const d of cfg.pin) await page.click(`#pin-pad [data-key="${d}"]`);
  await page.click('#b-pin-ok');
  await printAndWait(page);
  text = await arrived(before, 'reprint');
  check('the reprint arrived: NÔNG VĂN LỰC, its serial and the reprint mark',
        /NÔNG VĂN LỰC/.test(text) && SERIAL.test(text) && /Bản in lại/.test(text),
        'pdftotext: ' + text.replace(/\s+/g, ' ').slice(0, 300));
  await page.click('#b-finish');
}

// Staff: login, the printer, confirm mode with a print waiting, then a
// stopped printer seen from both sides, retried once it is back.
async function staffFlow(kiosk, staff) {
  await staff.goto(cfg.base + '/staff');
  await staff.waitForSelector('body[data-ready="1"]');
  for (const d of '1357') await staff.click(`#login-pad [data-key="${d}"]`);
  await staff.click('#b-login');
  await staff.waitForFunction(() => document.getElementById('login-error').textContent.includes('Mã PIN không đúng'));
  await shot(staff, '07b-staff-login');
  for (const d of cfg.pin) await staff.click(`#login-pad [data-key="${d}"]`);
  await staff.click('#b-login');
  await staff.waitForSelector('body[data-view="main"]');
  await staff.waitForFunction(() => document.getElementById('pr-state').textContent !== '');
  check('staff page: the printer is ready', await staff.textContent('#pr-state') === 'Sẵn sàng',
        await staff.textContent('#pr-state'));
  await staff.waitForFunction(() => document.querySelectorAll('#jobs tr').length >= 2);
  check('staff page: the counts', await staff.textContent('#c-printed') === '1' &&
        await staff.textContent('#c-total') === '10',
        `printed ${await staff.textContent('#c-printed')}, total ${await staff.textContent('#c-total')}`);
  const jobsShown = await staff.textContent('#jobs');
  check('staff page: the last jobs, the reprint marked', /Nông Văn Lực/.test(jobsShown) && /In lại/.test(jobsShown) &&
        SERIAL.test(jobsShown), jobsShown.slice(0, 200));
  await shot(staff, '08-staff');

  // The list read again; the day's log; the DEMO key said to staff only.
  await staff.click('#b-reload');
  await staff.waitForSelector('#rl-msg:has-text("Đã đọc lại danh sách: 10 người.")', { timeout: 10000 });
  ok('staff page: the list read again');
  const href = await staff.getAttribute('#log-link', 'href');
  const log = await staff.request.get(new URL(href, cfg.base).href);
  const csv = await log.text();
  check('staff page: the day\'s log as CSV', log.status() === 200 && /Nông Văn Lực/.test(csv) && /Bị mất/.test(csv),
        `${log.status()} ${href}: ${csv.slice(0, 200)}`);
  check('the DEMO key is said on the staff page, not to awardees',
        await staff.isVisible('#demo') && !/DEMO/i.test(await kiosk.evaluate(() => document.body.innerText)),
        'demo note: ' + await staff.isVisible('#demo'));

  // A reprint from the staff page, by search, with a one-tap reason.
  await staff.fill('#rp-q', 'nong van');
  await staff.click('#rp-results .pick:has-text("Nông Văn Lực")');
  await staff.click('#rp-chips .chip:text-is("Bị hỏng khi in")');
  let before = jobs();
  await staff.click('#b-reprint');
  await staff.waitForSelector('#rp-msg:has-text("Đã gửi lệnh in lại giấy khen của Nông Văn Lực")', { timeout: 15000 });
  const t1 = await arrived(before, 'staff reprint');
  check('the staff page\'s reprint arrived, with the reprint mark', /NÔNG VĂN LỰC/.test(t1) && /Bản in lại/.test(t1),
        t1.replace(/\s+/g, ' ').slice(0, 300));

  await staff.click('#m-confirm');
  await staff.waitForSelector('#m-confirm.on');
  await kiosk.goto(cfg.base + '/');
  await kiosk.waitForSelector('body[data-ready="1"]');
  await tapKeys(kiosk, 'hoang thi');
  await resultNames(kiosk, 'Hoàng Thị Ngọc Ánh');
  await pick(kiosk, 'Hoàng Thị Ngọc Ánh');
  before = jobs();
  await kiosk.click('#b-print');
  await kiosk.waitForSelector('text=Chờ cán bộ xác nhận…', { timeout: 10000 });
  await shot(kiosk, '09-awaiting-staff');
  const row = '#tickets li:has-text("Hoàng Thị Ngọc Ánh")';
  await staff.waitForSelector(`${row} [data-act="confirm"]`, { timeout: 10000 });
  check('confirm mode: nothing printed before staff confirm', jobs().length === before.length, 'a job arrived');
  await shot(staff, '10-staff-confirm');
  await staff.click(`${row} [data-act="confirm"]`);
  await printAndWait(kiosk);
  const text = await arrived(before, 'confirmed print');
  check('confirmed by staff: HOÀNG THỊ NGỌC ÁNH printed', /HOÀNG THỊ NGỌC ÁNH/.test(text), text.slice(0, 200));
  await staff.click('#m-direct');
  await staff.waitForSelector('#m-direct.on');

  // The printer stopped (cupsdisable with a reason).
  execFileSync('cupsdisable', ['-r', 'Hết giấy ở khay 1 (test)', cfg.queue]);
  await staff.waitForFunction(() => document.getElementById('pr-state').textContent === 'Máy in đã dừng',
                              null, { timeout: 10000 });
  check('staff page: the stopped printer with its reason',
        (await staff.textContent('#pr-raw')).includes('Hết giấy ở khay 1 (test)'), await staff.textContent('#pr-raw'));
  await kiosk.click('#b-finish');
  await tapKeys(kiosk, 'luong thi');
  await resultNames(kiosk, 'Lương Thị Mẫn');
  await pick(kiosk, 'Lương Thị Mẫn');
  before = jobs();
  await kiosk.click('#b-print');
  await kiosk.waitForSelector('text=Máy in đang gặp sự cố, cán bộ sẽ hỗ trợ bạn', { timeout: 10000 });
  await shot(kiosk, '11-printer-fault');
  await staff.waitForSelector('#tickets li:has-text("Lương Thị Mẫn")', { timeout: 10000 });
  await shot(staff, '12-staff-stopped');
  execFileSync('cupsenable', [cfg.queue]);
  const retry = '#tickets li:has-text("Lương Thị Mẫn") [data-act="retry"]';
  await staff.waitForSelector(`${retry}, body:not(:has(#tickets li))`, { timeout: 10000 });
  if (await staff.$(retry)) await staff.click(retry);
  await printAndWait(kiosk);
  const t2 = await arrived(before, 'print after the fault');
  check('printer back, retried: LƯƠNG THỊ MẪN printed', /LƯƠNG THỊ MẪN/.test(t2), t2.slice(0, 200));
  await staff.click('#b-logout');
  await staff.waitForSelector('body[data-view="login"]');
}

// The kiosk restarted with --idle N: the state kept, and the start again
// after N idle seconds with nothing of the person left in the page.
async function idleFlow(page) {
  await page.goto(cfg.base + '/');
  await page.waitForSelector('body[data-ready="1"]');
  await tapKeys(page, 'nong van');
  await resultNames(page, 'Nông Văn Lực');
  await pick(page, 'Nông Văn Lực');
  await page.waitForSelector('#pv-note:not([hidden])');
  check('after a restart the kiosk knows it was printed', (await page.textContent('#pv-note')).includes('đã được in'),
        await page.textContent('#pv-note'));
  await page.click('#b-print');
  await page.waitForSelector('#d-pin[open]', { timeout: 10000 });
  await page.click('#pin-pad [data-key="1"]');
  await page.waitForSelector('body[data-screen="search"]', { timeout: (cfg.idle + 10) * 1000 });
  const left = await page.evaluate(() => ({
    text: document.body.innerText, q: document.getElementById('q').value,
    src: document.getElementById('pv-img').getAttribute('src'),
    dialog: document.getElementById('d-pin').open,
    html: document.documentElement.outerHTML }));
  await shot(page, '13-after-idle');
  check('nothing of the person stays in the page',
        !/Nông|NÔNG|Lực|0210471/.test(left.html) && !left.q && !left.src && !left.dialog,
        JSON.stringify({ q: left.q, src: left.src, dialog: left.dialog, text: left.text.slice(0, 200) }));
}

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium',
                                        args: ['--no-sandbox', '--disable-gpu'] });
try {
  fs.mkdirSync(cfg.shots, { recursive: true });
  const ctx = await browser.newContext({ viewport: { width: W, height: H }, hasTouch: true });
  const page = await ctx.newPage();
  listen(page, 'kiosk');
  if (cfg.phase === 'idle') {
    await idleFlow(page);
  } else {
    await awardeeFlow(page);
    const sctx = await browser.newContext({ viewport: { width: W, height: H } });
    const staff = await sctx.newPage();
    listen(staff, 'staff');
    await staffFlow(page, staff);
  }
  check('no console error, CSP violation or uncaught exception', consoleErrors.length === 0,
        consoleErrors.join(' | '));
} catch (e) {
  fail('the run stopped', String(e.stack || e).split('\n').slice(0, 4).join(' '));
  for (const p of browser.contexts().flatMap((c) => c.pages()))
    await p.screenshot({ path: path.join(cfg.shots, 'stopped-' + Date.now() + '.png') }).catch(() => {});
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
