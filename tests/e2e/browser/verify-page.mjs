// verify-page.mjs - opens vncert's verification page in Debian's chromium
// (playwright-core, headless, --no-sandbox for root) with each case's fragment,
// once through WebCrypto's Ed25519 and once with it taken away (an init script
// makes importKey refuse Ed25519, so the bundled @noble/ed25519 runs), and checks
// the verdict, the reason and the values shown.  Keeps a screenshot per case.
//
// Usage: node verify-page.mjs CASES.json SHOTS-DIR
// CASES.json: {"cases": [{"name", "page": "/abs/xac-minh.html", "fragment",
//   "ok": bool, "verdict" (when not Hợp lệ / Không hợp lệ), "lacks" (a key of LACKS:
//   run once, in a browser without it), "before" (a fragment shown first, then changed
//   to this one on the open page), "kind", "signed": bool (the signature is checked: which engine did
//   is checked too), "texts": [shown], "absent": [not shown]}]} (cases.mjs writes it)
// Prints "ok   NAME" or "FAIL NAME: why" per case and engine; exit 1 on a failure.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const NO_ED25519 = `
  (() => {
    const real = SubtleCrypto.prototype.importKey;
    SubtleCrypto.prototype.importKey = function (format, data, alg, ...rest) {
      const name = typeof alg === 'string' ? alg : alg && alg.name;
      if (String(name).toLowerCase() === 'ed25519')
        return Promise.reject(new DOMException('Ed25519 taken away by the test', 'NotSupportedError'));
      return real.call(this, format, data, alg, ...rest);
    };
  })();`;

// What a browser may lack, for the cases that say what the page does then.
const LACKS = {
  // A page served over plain http: no secure context, no crypto.subtle.
  'no-subtle': `Object.defineProperty(globalThis, 'isSecureContext', { get: () => false });
                Object.defineProperty(Crypto.prototype, 'subtle', { get: () => undefined });`,
  // A browser from before DecompressionStream('deflate-raw').
  'no-deflate-raw': `delete globalThis.DecompressionStream;`,
  // A browser that cannot run the page's script at all (no JavaScript here).
  'no-script': null,
};

// Checks one case on one page; returns a list of problems (empty: passed).
async function checkCase(page, c, engine, shots) {
  const url = pathToFileURL(c.page).href;
  const problems = [];
  const consoleErrors = [];
  page.removeAllListeners('console');
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
  // From a blank page each time: going from one fragment to another on the same
  // page would be a same-document navigation, and the last verdict still shown.
  await page.goto('about:blank');
  if (c.before !== undefined) {
    // A fragment changed on the open page (a second QR code scanned into the same tab).
    await page.goto(url + '#' + c.before);
    await page.waitForSelector('body[data-state="done"]', { timeout: 15000 });
    await page.evaluate((f) => { document.body.dataset.state = ''; location.hash = f; }, c.fragment);
  } else {
    await page.goto(url + '#' + c.fragment);
  }
  // Without JavaScript the page cannot run its own timers: polled from here,
  // until the note's CSS animation has shown it (15 s at most).
  if (c.lacks === 'no-script') {
    for (let i = 0; i < 150; i++) {
      const o = await page.evaluate(() => getComputedStyle(document.querySelector('.stuck')).opacity);
      if (o === '1') break;
      await new Promise((r) => setTimeout(r, 100));
    }
  } else {
    await page.waitForSelector('body[data-state="done"]', { timeout: 15000 });
  }
  const got = await page.evaluate(() => ({
    verdict: document.getElementById('verdict').textContent,
    kind: document.getElementById('result').dataset.kind,
    engine: document.body.dataset.engine || '',
    text: document.getElementById('result').innerText,
    stuckShown: getComputedStyle(document.querySelector('.stuck')).display !== 'none' &&
                getComputedStyle(document.querySelector('.stuck')).opacity === '1',
  }));
  const verdict = c.verdict || (c.ok ? 'Hợp lệ' : 'Không hợp lệ');
  if (got.verdict !== verdict) problems.push(`verdict "${got.verdict}", expected "${verdict}"`);
  if (got.kind !== c.kind) problems.push(`kind "${got.kind}", expected "${c.kind}"`);
  if (got.stuckShown !== (c.lacks === 'no-script')) problems.push(`the "browser cannot run this" note ${got.stuckShown ? 'shown' : 'not shown'}`);
  for (const t of c.texts || [])
    if (!got.text.includes(t)) problems.push(`"${t}" not shown`);
  for (const t of c.absent || [])
    if (got.text.includes(t)) problems.push(`"${t}" shown`);
  // The engine that checked the signature: only cases that reach the signature.
  if (c.signed && got.engine !== engine) problems.push(`verified by "${got.engine}", expected ${engine}`);
  for (const e of consoleErrors) problems.push('console error: ' + e);
  const shot = path.join(shots, `${c.name}-${engine}.png`);
  await page.screenshot({ path: shot, fullPage: true });
  if (problems.length) problems.push('shown: ' + JSON.stringify(got.text) + '; screenshot ' + shot);
  return problems;
}

async function main() {
  const [casesFile, shots] = process.argv.slice(2);
  const spec = JSON.parse(fs.readFileSync(casesFile, 'utf8'));
  fs.mkdirSync(shots, { recursive: true });
  // The machine's fonts, as a phone has its own: the e2e suite's FONTCONFIG_FILE
  // (the PDF tests' few fonts) is not for the browser.
  const env = { ...process.env };
  delete env.FONTCONFIG_FILE;
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
                                          args: ['--no-sandbox', '--disable-gpu'], env });
  let failed = 0;
  try {
    for (const engine of ['webcrypto', 'noble']) {
      // A phone's screen: the page is meant to be read on one.
      const ctx = await browser.newContext({ viewport: { width: 390, height: 844 },
                                             deviceScaleFactor: 1, isMobile: true });
      if (engine === 'noble') await ctx.addInitScript(NO_ED25519);
      // No request may leave the page (the CSP forbids them; this checks it).
      const requests = [];
      ctx.on('request', (r) => { if (!r.url().startsWith('file:')) requests.push(r.url()); });
      const page = await ctx.newPage();
      for (const c of spec.cases) {
        // A case for a browser that lacks something runs once, in a context of its own.
        if (c.lacks && engine !== 'webcrypto') continue;
        const name = `${c.name} (${engine})`;
        let problems, own = null;
        try {
          if (c.lacks) {
            own = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true,
                                             javaScriptEnabled: c.lacks !== 'no-script' });
            if (LACKS[c.lacks]) await own.addInitScript(LACKS[c.lacks]);
          }
          problems = await checkCase(own ? await own.newPage() : page, c, engine, shots);
        } catch (e) {
          problems = [String(e && e.message || e).split('\n')[0]];
        }
        if (own) await own.close();
        if (requests.length) problems.push('requests made: ' + requests.join(' '));
        if (problems.length) {
          failed++;
          console.log(`FAIL ${name}: ${problems.join('; ')}`);
        } else {
          console.log(`ok   ${name}`);
        }
      }
      await ctx.close();
    }
  } finally {
    await browser.close();
  }
  process.exit(failed ? 1 : 0);
}

main().catch((e) => { console.log('FAIL browser: ' + (e && e.stack || e)); process.exit(1); });
