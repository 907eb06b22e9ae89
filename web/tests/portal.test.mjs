// Browser tests: the real placeworks binary, real headless Chromium (Debian's),
// axe-core for accessibility. Run by scripts/test after the Rust tests.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const bin = process.env.PLACEWORKS_BIN || join(root, 'target/debug/placeworks');

let server, base, browser, workdir;
// A second server on a day in the 2008 Bucks Strategic Partnership's time:
// its bodies meet from 2010 until they ended in March 2020, so the tests of
// its business (the Board's secretariat, CADEX, its meetings) run there.
let eraServer, eraBase, eraWorkdir, presentBase;
// The day the server under test is on, when it is not today.
let serverDay = null;

const OFFICER = { email: 'officer@example.org', password: 'correct horse battery staple' };
const ADMIN = { email: 'admin@example.org', password: 'another horse battery staple' };
const MANAGER = { email: 'manager@example.org', password: 'a third horse battery staple' };

async function startServer(day = null) {
  const dir = mkdtempSync(join(tmpdir(), 'placeworks-e2e-'));
  const env = { ...process.env, PLACEWORKS_LOG: 'warn', ...(day ? { PLACEWORKS_TODAY: day } : {}) };
  // The first account is made from the command line, as an administrator would.
  execFileSync(bin, ['user', 'add', OFFICER.email, '--role', 'secretariat:bsp-board', '--name', 'Olive Officer'], {
    cwd: dir, input: OFFICER.password + '\n', env,
  });
  execFileSync(bin, ['user', 'add', ADMIN.email, '--role', 'administrator', '--name', 'Ada Admin'], {
    cwd: dir, input: ADMIN.password + '\n', env,
  });
  execFileSync(bin, ['user', 'add', MANAGER.email, '--role', 'programme-manager:opportunity-bucks', '--name', 'Pat Manager'], {
    cwd: dir, input: MANAGER.password + '\n', env,
  });
  // A postcode lookup, as a council would import the ONS Postcode Directory.
  execFileSync(bin, ['import', 'postcodes', join(root, 'data/examples/postcodes/onspd-sample.csv')], {
    cwd: dir, env, stdio: ['ignore', 'ignore', 'pipe'],
  });
  const child = spawn(bin, ['serve', '--addr', '127.0.0.1:0', '--assets', join(root, 'web/dist')], {
    cwd: dir,
    env: { ...env, PLACEWORKS_LOG: 'info' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const address = new Promise((resolveAddr, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`placeworks did not start:\n${seen}`)), 60000);
    child.stderr.on('data', (chunk) => {
      seen += chunk.toString();
      const m = seen.match(/serving at (http:\/\/[^/\s]+)\//);
      if (m) { clearTimeout(timer); resolveAddr(m[1]); }
    });
    child.on('exit', (code) => reject(new Error(`placeworks exited with ${code}:\n${seen}`)));
  });
  return { child, dir, address: await address };
}

before(async () => {
  const [now, then] = await Promise.all([startServer(), startServer(bspEraDay())]);
  ({ child: server, dir: workdir, address: base } = now);
  ({ child: eraServer, dir: eraWorkdir, address: eraBase } = then);
  presentBase = base;
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
});

after(async () => {
  await browser?.close();
  server?.kill();
  eraServer?.kill();
  for (const dir of [workdir, eraWorkdir]) if (dir) rmSync(dir, { recursive: true, force: true });
});

const PHONE = { width: 390, height: 844 };

/** The day the 2008 partnership's tests run on, as the Rust tests'
 * `bsp_era_clock` gives it: seventeen years before the test day
 * (PLACEWORKS_TEST_TODAY, else today in London), brought back eight years
 * at a time should that fall after 2018. */
function bspEraDay() {
  const given = (process.env.PLACEWORKS_TEST_TODAY || '').trim();
  let [y, m, d] = (given || londonDay(0)).split('-').map(Number);
  const iso = () => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  y -= 17;
  while (iso() > '2018-12-31') y -= 8;
  if (m === 2 && d === 29) d = 28;
  return iso();
}

/** A test run against the server in the 2008 partnership's time. */
function inBspEra(fn) {
  return async (t) => {
    base = eraBase;
    serverDay = bspEraDay();
    try {
      await fn(t);
    } finally {
      base = presentBase;
      serverDay = null;
    }
  };
}

async function open(path, { javaScript = false, viewport = undefined } = {}) {
  const context = await browser.newContext({ javaScriptEnabled: javaScript, ...(viewport ? { viewport } : {}) });
  const page = await context.newPage();
  const response = await page.goto(base + path);
  return { page, context, response };
}

async function expectNoViolations(page, path) {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
  const summary = results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.length}) ${v.nodes.slice(0, 2).map((n) => n.target.join(' ')).join(' | ')}`);
  assert.deepEqual(summary, [], `axe-core found violations on ${path}`);
}

const pages = [
  '/',
  '/buckinghamshire/bodies',
  '/buckinghamshire/bodies?kind=board',
  '/buckinghamshire/bodies/bsp-board',
  '/buckinghamshire/bodies/cadex',
  '/buckinghamshire/organisations',
  '/buckinghamshire/organisations/thames-valley-police',
  '/buckinghamshire/areas',
  '/buckinghamshire/areas/E06000060',
  '/buckinghamshire/areas/E05015927',
  '/buckinghamshire/structure',
  '/buckinghamshire/structure?view=all',
  '/buckinghamshire/overlap',
  '/buckinghamshire/needs',
  '/buckinghamshire/areas/E05015942',
  '/buckinghamshire/areas/E01017707',
  '/buckinghamshire/compare',
  '/buckinghamshire/compare?a1=E05015942&a2=E05015927',
  '/buckinghamshire/compare?a1=E05015942&a2=nowhere',
  '/buckinghamshire/services',
  '/buckinghamshire/calendar',
  '/buckinghamshire/decisions',
  '/buckinghamshire/governance',
  '/buckinghamshire/decisions/opportunity-bucks-progress-2023',
  '/buckinghamshire/forward-plan',
  // In the 2008 partnership's time (on the second server): a body with its planned meetings, one of them, the calendar.
  'era:/buckinghamshire/bodies/bsp-board',
  'era:/buckinghamshire/meetings/bsp-board-2010-01-14-1000',
  'era:/buckinghamshire/calendar',
  'era:/buckinghamshire/structure',
  '/buckinghamshire/meetings/cabinet-2023-11-14',
  '/buckinghamshire/bodies/bsp-board/attendance',
  '/buckinghamshire/bodies?status=former',
  '/buckinghamshire/bodies/aylesbury-community-board',
  '/buckinghamshire/areas/E05013131',
  '/buckinghamshire/areas/lca-chesham',
  '/buckinghamshire/organisations/buckinghamshire-council',
  '/buckinghamshire/bodies/abbey-ward-partnership',
  '/buckinghamshire/decisions/levelling-up-framework-2022',
  '/buckinghamshire/programmes',
  '/buckinghamshire/programmes/opportunity-bucks',
  '/buckinghamshire/programmes/opportunity-bucks/measures/horizons-referrals',
  '/buckinghamshire/programmes/opportunity-bucks/initiatives/public-realm-and-community-improvements',
  '/buckinghamshire/programmes/opportunity-bucks/initiatives/horizons-programme',
  '/buckinghamshire/areas/E05015942',
  '/buckinghamshire/programmes/opportunity-bucks/initiatives/multiply-numeracy',
  '/buckinghamshire/money',
  '/buckinghamshire/programmes/opportunity-bucks/report',
  '/buckinghamshire/programmes/opportunity-bucks/themes/jobs-and-career-opportunities',
  '/buckinghamshire/programmes/opportunity-bucks/areas/opportunity-bucks-wards',
  '/buckinghamshire/programmes/opportunity-bucks/areas/E05013131',
  '/buckinghamshire/strategies/getting-closer-to-communities',
  '/buckinghamshire/find',
  '/buckinghamshire/find?q=castlefield',
  '/buckinghamshire/find?q=Atlantis',
  '/councils',
  '/sign-in',
  '/forgot-password',
  '/sitemap.xml',
  '/no-such-page',
];

for (const entry of pages) {
  const inEra = entry.startsWith('era:');
  const path = inEra ? entry.slice(4) : entry;
  const check = async () => {
    // Pages must work, and be accessible, without JavaScript; axe itself needs
    // script, so the check runs with it on after a no-script load succeeded.
    const bare = await open(path);
    assert.ok(bare.response.status() === 200 || path === '/no-such-page', `${path} answered ${bare.response.status()}`);
    if (path.endsWith('.xml')) { await bare.context.close(); return; }
    assert.ok((await bare.page.locator('h1').count()) === 1, `${path} has one h1`);
    await bare.context.close();
    const { page, context } = await open(path, { javaScript: true });
    await expectNoViolations(page, path);
    await context.close();
    // On a 390 px phone, without script: nothing wider than the screen, and still accessible.
    const phone = await open(path, { viewport: PHONE });
    await expectFitsThePhone(phone.page, path);
    await phone.context.close();
    const checked = await open(path, { javaScript: true, viewport: PHONE });
    await expectNoViolations(checked.page, `${path} at 390 px`);
    await checked.context.close();
  };
  test(`axe-core finds no violations on ${path}${inEra ? ' (in 2010)' : ''}`, inEra ? inBspEra(check) : check);
}

/** The page scrolls down only: nothing sticks out of a 390 px screen. */
async function expectFitsThePhone(page, path) {
  const { width, wide } = await page.evaluate(() => ({
    width: document.documentElement.scrollWidth,
    wide: [...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1 && !e.closest('.pw-table-scroll, .pw-chart-scroll, .pw-figure--scroll')).slice(0, 3).map((e) => `${e.tagName.toLowerCase()}.${e.className}`),
  }));
  assert.ok(width <= 390, `${path} is ${width} px wide on a 390 px phone: ${wide.join(', ')}`);
}

test('the stylesheet is served and applied, with no crown and no GDS Transport', async () => {
  const { page, context } = await open('/');
  const css = await page.request.get(base + '/assets/placeworks.css');
  assert.equal(css.status(), 200);
  const text = await css.text();
  assert.ok(!text.includes('GDS Transport'), 'no GDS Transport font');
  const font = await page.evaluate(() => getComputedStyle(document.querySelector('h1')).fontFamily);
  assert.match(font, /system-ui/);
  assert.equal(await page.locator('.govuk-header__logotype-crown, svg.govuk-header__logotype').count(), 0);
  await context.close();
});

test('a resident follows links from the home page to a body, an organisation and an area', async () => {
  const { page, context } = await open('/');
  await page.getByRole('link', { name: 'Bodies', exact: true }).first().click();
  assert.equal(await page.getByRole('link', { name: 'Bucks Strategic Partnership Board', exact: true }).count(), 0, 'the 2008 partnership ended in 2020');
  await page.getByRole('link', { name: 'Buckinghamshire Place-Based Growth Board', exact: true }).first().click();
  assert.equal(await page.locator('h1').textContent(), 'Buckinghamshire Place-Based Growth Board');
  assert.ok(await page.getByText('Leader, Buckinghamshire Council').first().isVisible());
  await page.getByRole('link', { name: 'Skills Strategy Board', exact: true }).first().click();
  assert.equal(await page.locator('h1').textContent(), 'Skills Strategy Board');
  await page.goto(base + '/');
  await page.getByRole('link', { name: 'Organisations', exact: true }).first().click();
  await page.getByRole('link', { name: 'Thames Valley Police', exact: true }).click();
  assert.equal(await page.locator('h1').textContent(), 'Thames Valley Police');
  assert.ok(await page.getByRole('link', { name: 'CADEX' }).isVisible());
  await page.goto(base + '/');
  await page.getByRole('link', { name: 'Areas', exact: true }).first().click();
  await page.getByRole('link', { name: 'Buckinghamshire', exact: true }).click();
  await page.getByRole('link', { name: 'Abbey' }).last().click();
  assert.equal(await page.locator('h1').textContent(), 'Abbey');
  assert.ok(await page.locator('svg[aria-labelledby="boundary-title"] path').isVisible(), 'the ward boundary is drawn');
  await context.close();
});

test('the body filter works without JavaScript', async () => {
  const { page, context } = await open('/buckinghamshire/bodies');
  await page.selectOption('#kind', 'sub-board');
  await page.getByRole('button', { name: 'Apply filter' }).click();
  assert.match(page.url(), /kind=sub-board/);
  assert.match(await page.getByRole('status').textContent(), /3 bodies match/);
  await context.close();
});

test('a body page looks finished (screenshot for the README)', inBspEra(async () => {
  const { page, context } = await open('/buckinghamshire/bodies/bsp-board');
  await page.setViewportSize({ width: 1100, height: 1400 });
  const shot = process.env.PLACEWORKS_SCREENSHOT;
  const image = await page.screenshot({ path: shot || undefined, fullPage: false });
  assert.ok(image.length > 20000, 'a real rendering, not a blank page');
  await context.close();
}));

test('the sign-in form with its errors shown has no axe-core violations', async () => {
  const { page, context } = await open('/sign-in', { javaScript: true });
  await page.getByRole('button', { name: 'Sign in' }).click();
  assert.ok(await page.locator('.govuk-error-summary').isVisible());
  assert.match(await page.title(), /^Error: /);
  assert.ok(await page.evaluate(() => document.activeElement.classList.contains('govuk-error-summary')), 'focus moves to the error summary, without script');
  await expectNoViolations(page, '/sign-in with errors');
  await context.close();
});

test('signing in from a manage page returns to it, and a saved seat is confirmed by a banner', inBspEra(async () => {
  const { page, context } = await open('/buckinghamshire/bodies/bsp-board/seats/new', { javaScript: true });
  assert.equal(await page.locator('h1').textContent(), 'Sign in', 'sent to sign in first');
  await page.getByLabel('Email address').fill(OFFICER.email);
  await page.getByLabel('Password').fill(OFFICER.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  assert.equal(await page.locator('h1').textContent(), 'Add a seat', 'and back on the page asked for');
  await page.getByLabel('What the seat is').fill('Community representative');
  await page.getByLabel('Part the seat plays').selectOption('member');
  await page.getByRole('button', { name: 'Add seat' }).click();
  const banner = page.locator('.govuk-notification-banner--success');
  assert.ok(await banner.isVisible(), 'a banner confirms the save');
  assert.match(await banner.textContent(), /The seat has been added/);
  await expectNoViolations(page, 'the page after a save, with its banner');
  await page.reload();
  assert.equal(await page.locator('.govuk-notification-banner--success').count(), 0, 'once only');
  await context.close();
}));

test('an officer signs in, sees their account and signs out', inBspEra(async () => {
  const { page, context } = await open('/');
  await page.getByRole('link', { name: 'Sign in' }).click();
  await page.getByLabel('Email address').fill(OFFICER.email);
  await page.getByLabel('Password').fill(OFFICER.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  assert.equal(await page.locator('h1').textContent(), 'Your account');
  assert.ok(await page.getByText('secretariat:bsp-board (buckinghamshire)').isVisible());
  const cookies = await context.cookies();
  const session = cookies.find((c) => c.name === 'pw_session');
  assert.ok(session && session.httpOnly && session.secure, 'an HTTP-only, Secure session cookie');
  await page.goto(base + '/buckinghamshire/bodies/bsp-board');
  assert.ok(await page.getByRole('link', { name: 'Olive Officer' }).isVisible(), 'signed in on every page');
  await page.getByRole('link', { name: 'Olive Officer' }).click();
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  assert.ok(await page.getByRole('link', { name: 'Sign in' }).isVisible());
  await context.close();
}));

test('a secretariat officer adds a member with a named substitute, sees it in public and in the history', inBspEra(async () => {
  const { page, context } = await open('/sign-in', { javaScript: true });
  await page.getByLabel('Email address').fill(OFFICER.email);
  await page.getByLabel('Password').fill(OFFICER.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.goto(base + '/buckinghamshire/bodies/bsp-board');
  await page.getByRole('link', { name: 'Add a member' }).click();
  assert.equal(await page.locator('h1').textContent(), 'Add a member');
  await expectNoViolations(page, 'the add-a-member form');
  // A first try with nothing filled in shows the errors, accessibly.
  await page.getByRole('button', { name: 'Add member' }).click();
  assert.ok(await page.locator('.govuk-error-summary').isVisible());
  await expectNoViolations(page, 'the add-a-member form with errors');
  await page.getByLabel('Seat').selectOption('voluntary-impact');
  await page.getByLabel("Member's full name").fill('Jo Bloggs');
  await page.getByLabel('Named substitute (optional)').fill('Sam Patel');
  await page.getByRole('button', { name: 'Add member' }).click();
  assert.match(page.url(), /\/buckinghamshire\/bodies\/bsp-board#membership$/);
  // What the public sees, in a fresh browser that has not signed in.
  const visitor = await open('/buckinghamshire/bodies/bsp-board');
  assert.ok(await visitor.page.getByText('Jo Bloggs (named substitute: Sam Patel)').isVisible());
  await visitor.context.close();
  await page.getByRole('link', { name: 'History of this body' }).click();
  const row = page.locator('tbody tr').first();
  assert.match(await row.textContent(), /Olive Officer/);
  assert.match(await row.textContent(), /Jo Bloggs/);
  await expectNoViolations(page, 'the history page');
  await context.close();
}));

async function signIn(who) {
  const { page, context } = await open('/sign-in', { javaScript: true });
  await page.getByLabel('Email address').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  assert.equal(await page.locator('h1').textContent(), 'Your account');
  return { page, context };
}

test('every editing form is accessible, empty, filled in and with its errors shown', inBspEra(async () => {
  const { page, context } = await signIn(OFFICER);
  const body = '/buckinghamshire/bodies/bsp-board';
  await page.goto(base + body);
  await page.getByRole('link', { name: 'Manage this body' }).click();
  assert.equal(await page.locator('h1').textContent(), 'Manage this body');
  await expectNoViolations(page, 'the manage page');

  await page.getByRole('link', { name: "Change the body's details" }).click();
  await expectNoViolations(page, 'the body form');
  await page.getByLabel('Name', { exact: true }).fill('');
  await page.getByLabel('Quorum (optional)').fill('none');
  await page.getByRole('button', { name: 'Save changes' }).click();
  assert.match(await page.title(), /^Error: /);
  assert.ok(await page.locator('.govuk-error-summary a[href="#name"]').isVisible());
  await expectNoViolations(page, 'the body form with errors');
  await page.locator('.govuk-error-summary a[href="#quorum"]').click();
  assert.equal(await page.evaluate(() => document.activeElement.id), 'quorum', 'the summary link takes you to the field');

  await page.goto(base + body + '/seats/new');
  await expectNoViolations(page, 'the add-a-seat form');
  await page.getByRole('button', { name: 'Add seat' }).click();
  assert.ok(await page.locator('.govuk-error-summary a[href="#label"]').isVisible());
  await expectNoViolations(page, 'the add-a-seat form with errors');

  await page.goto(base + body + '/links');
  await expectNoViolations(page, 'the links page');
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  assert.ok(await page.locator('.govuk-error-summary a[href="#kind"]').isVisible());
  await expectNoViolations(page, 'the links page with errors');

  await page.goto(base + body + '/meetings');
  await expectNoViolations(page, 'the meetings form');
  await page.getByLabel('Day', { exact: true }).fill('soon');
  await page.getByRole('button', { name: 'Save' }).click();
  assert.ok(await page.locator('.govuk-error-summary a[href="#date"]').isVisible());
  await expectNoViolations(page, 'the meetings form with errors');

  await page.goto(base + body + '/manage');
  await page.locator('a[href*="/seats/"][href$="/edit"]').first().click();
  assert.equal(await page.locator('h1').textContent(), 'Change a seat');
  await expectNoViolations(page, 'the change-a-seat form');

  // The member added in the journey above.
  await page.goto(base + body + '/manage');
  await page.locator('a[href*="/memberships/"][href$="/edit"]').first().click();
  assert.equal(await page.locator('h1').textContent(), 'Change a membership');
  await expectNoViolations(page, 'the change-a-membership form');
  await page.getByLabel('Date the membership ends (optional)').fill('next spring');
  await page.getByRole('button', { name: 'Save changes' }).click();
  assert.ok(await page.locator('.govuk-error-summary a[href="#end_date"]').isVisible());
  await expectNoViolations(page, 'the change-a-membership form with errors');
  await context.close();
}));

test('a seat marked confidential is seen by the secretariat and never by the public', inBspEra(async () => {
  const { page, context } = await signIn(OFFICER);
  const body = '/buckinghamshire/bodies/bsp-board';
  await page.goto(base + body + '/seats/new');
  await page.getByLabel('What the seat is').fill('Interim commissioner (exempt)');
  await page.getByLabel('Part the seat plays').selectOption('adviser');
  await page.getByLabel('Public or confidential').selectOption('3');
  await page.getByRole('button', { name: 'Add seat' }).click();
  assert.equal(await page.locator('h1').textContent(), 'Manage this body');
  await page.goto(base + body);
  assert.ok(await page.getByText('Interim commissioner (exempt)').isVisible(), 'the secretariat sees it');
  assert.ok(await page.locator('.govuk-tag', { hasText: 'Confidential' }).first().isVisible(), 'marked confidential');
  await expectNoViolations(page, 'a body page with a confidential seat');
  const visitor = await open(body);
  assert.equal(await visitor.page.getByText('Interim commissioner').count(), 0, 'the public does not');
  const api = await visitor.page.request.get(base + '/api/v1/councils/buckinghamshire/bodies/bsp-board');
  assert.ok(!(await api.text()).includes('Interim commissioner'), 'nor does the API');
  await visitor.context.close();
  await context.close();
}));

test('an administrator makes a reset link, and the officer chooses a new password with it', inBspEra(async () => {
  const admin = await signIn(ADMIN);
  await admin.page.getByRole('link', { name: 'Audit trail of Buckinghamshire' }).click();
  assert.equal(await admin.page.locator('h1').textContent(), 'Audit trail');
  await expectNoViolations(admin.page, 'the audit trail');
  await admin.page.goto(base + '/account');
  await admin.page.getByRole('link', { name: /^Accounts/ }).click();
  await expectNoViolations(admin.page, 'the accounts page');
  await admin.page.getByRole('button', { name: `Make a password reset link for ${OFFICER.email}` }).click();
  await expectNoViolations(admin.page, 'the reset link page');
  const link = await admin.page.getByLabel('Link').inputValue();
  assert.match(link, /\/reset-password\/[0-9a-f]{64}$/);
  await admin.context.close();

  const { page, context } = await open(new URL(link).pathname, { javaScript: true });
  assert.equal(await page.locator('h1').textContent(), 'Choose a new password');
  await expectNoViolations(page, 'the new password form');
  await page.getByLabel('New password', { exact: true }).fill('a much newer password');
  await page.getByLabel('Type the new password again').fill('not the same at all');
  await page.getByRole('button', { name: 'Change password' }).click();
  assert.ok(await page.locator('.govuk-error-summary a[href="#confirm"]').isVisible());
  await expectNoViolations(page, 'the new password form with errors');
  await page.getByLabel('New password', { exact: true }).fill('a much newer password');
  await page.getByLabel('Type the new password again').fill('a much newer password');
  await page.getByRole('button', { name: 'Change password' }).click();
  assert.ok(await page.getByText('Your password has been changed').isVisible());
  await expectNoViolations(page, 'sign in after a reset');
  await page.getByLabel('Email address').fill(OFFICER.email);
  await page.getByLabel('Password').fill('a much newer password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  assert.equal(await page.locator('h1').textContent(), 'Your account');
  OFFICER.password = 'a much newer password';
  await context.close();
}));

test('a resident finds the wards in most need on the map, opens one, and compares it with another', async () => {
  const { page, context } = await open('/buckinghamshire', { javaScript: true });
  await page.getByRole('link', { name: 'Needs', exact: true }).click();
  assert.equal(await page.locator('h1').textContent(), 'Needs assessment');
  assert.ok(await page.getByText('best fit, not an official lookup').first().isVisible(), 'the lookup is said to be approximate');
  // The map's wards are links; the most deprived is the first in the table too.
  const ward = page.locator('svg.pw-choropleth a[href="/buckinghamshire/areas/E05015942"]');
  assert.equal(await ward.count(), 1);
  await ward.click();
  assert.equal(await page.locator('h1').textContent(), 'Castlefield & Oakridge');
  assert.ok(await page.getByText('1 of 49 wards').isVisible());
  assert.equal(await page.locator('#lsoa-map-title').count(), 1, 'its LSOAs are mapped');
  await page.getByRole('link', { name: 'Compare with other areas' }).click();
  await page.getByLabel('Area 2').selectOption('E05015927');
  await page.getByRole('button', { name: 'Compare' }).click();
  const table = page.locator('table', { hasText: 'Side by side' });
  assert.match(await table.textContent(), /Castlefield & Oakridge[\s\S]*Abbey/);
  await expectNoViolations(page, 'the compare page with two wards');
  await context.close();
});

/** A day in London, `days` from the server's today, as YYYY-MM-DD. */
function londonDay(days = 0) {
  if (serverDay) return new Date(Date.parse(`${serverDay}T12:00:00Z`) + days * 86400000).toISOString().slice(0, 10);
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date(Date.now() + days * 86400000));
}

test('the secretariat runs a meeting: agenda with a public and a confidential paper, attendance with a substitute, a short-notice decision ratified, and governance clears', inBspEra(async () => {
  const { page, context } = await signIn(OFFICER);
  const body = '/buckinghamshire/bodies/bsp-board';
  // A member with a named substitute, for the attendance.
  await page.goto(base + body + '/members/new');
  await page.getByLabel('Seat').selectOption('encompass');
  await page.getByLabel("Member's full name").fill('Chris Member');
  await page.getByLabel('Named substitute (optional)').fill('Dana Deputy');
  await page.getByRole('button', { name: 'Add member' }).click();

  // Schedule a meeting (held yesterday).
  const day = londonDay(-1);
  await page.goto(base + body + '/meetings');
  await page.getByLabel('What to do').selectOption('add');
  // In the GOV.UK date input's three boxes, and the time as people write it.
  const [year, month, dom] = day.split('-');
  await page.getByLabel('Day', { exact: true }).fill(String(Number(dom)));
  await page.getByLabel('Month', { exact: true }).fill(String(Number(month)));
  await page.getByLabel('Year', { exact: true }).fill(year);
  await page.getByLabel('Time (to move or add)').fill('10am');
  await page.getByRole('button', { name: 'Save' }).click();
  const meeting = `/buckinghamshire/meetings/bsp-board-${day}-1000`;
  await page.goto(base + meeting);
  await page.getByRole('link', { name: 'Manage this meeting' }).click();
  assert.equal(await page.locator('h1').textContent(), 'Manage the meeting');
  await expectNoViolations(page, 'the meeting manage page');

  // The agenda: a public paper and a confidential one; a wrong file first.
  await page.getByRole('link', { name: 'Add an agenda item or a paper' }).click();
  await expectNoViolations(page, 'the agenda item form');
  await page.getByLabel('Item number').fill('1');
  await page.getByLabel('Title', { exact: true }).fill('Partnership budget');
  await page.locator('#paper').setInputFiles({ name: 'budget.exe', mimeType: 'application/octet-stream', buffer: Buffer.from('MZ not a paper') });
  await page.getByRole('button', { name: 'Add to the agenda' }).click();
  assert.ok(await page.locator('.govuk-error-summary a[href="#paper"]').isVisible());
  assert.match(await page.locator('#paper-error').textContent(), /must be a PDF, DOCX/);
  await expectNoViolations(page, 'the agenda item form with errors');
  await page.locator('#paper').setInputFiles({ name: 'Budget 2027.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n%%EOF\n') });
  await page.getByRole('button', { name: 'Add to the agenda' }).click();
  await page.getByRole('link', { name: 'Add an agenda item or a paper' }).click();
  await page.getByLabel('Item number').fill('2');
  await page.getByLabel('Title', { exact: true }).fill('Sale of the depot');
  await page.getByLabel('Public or confidential').selectOption('3');
  await page.locator('#paper').setInputFiles({ name: 'heads-of-terms.docx', mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', buffer: Buffer.from('PK\u0003\u0004 terms') });
  await page.getByRole('button', { name: 'Add to the agenda' }).click();
  // The Board's Chairman agrees its agendas: not published until they have.
  await page.getByRole('button', { name: 'Publish the agenda' }).click();
  assert.match(await page.locator('#agenda-error').textContent(), /The chair has not agreed this agenda yet/);
  const chair = await signIn(ADMIN);
  await chair.page.goto(base + meeting);
  await chair.page.getByRole('link', { name: "Agree this meeting's business" }).click();
  await expectNoViolations(chair.page, "the chair's agreement page");
  await chair.page.getByLabel('What you agree').selectOption('agenda');
  await chair.page.getByRole('button', { name: 'Agree', exact: true }).click();
  assert.match(await chair.page.locator('main').textContent(), /The agenda: Ada Admin/);
  await chair.context.close();
  await page.goto(base + meeting + '/manage');
  assert.match(await page.locator('main').textContent(), /Agenda drafted by\s*Olive Officer/);
  await page.getByRole('button', { name: 'Publish the agenda' }).click();
  assert.match(await page.locator('.govuk-summary-list').first().textContent(), /published/);

  // Attendance: a stranger is refused as a substitute; the named one is recorded.
  await page.getByRole('link', { name: 'Record attendance' }).click();
  await expectNoViolations(page, 'the attendance form');
  const member = await page.locator('#substitute_for option', { hasText: 'Chris Member' }).getAttribute('value');
  await page.getByLabel('Name', { exact: true }).fill('Pat Stranger');
  await page.getByLabel('Attendance', { exact: true }).selectOption('substitute');
  await page.getByLabel('For a substitute: the member they stand in for').selectOption(member);
  await page.getByRole('button', { name: 'Record attendance' }).click();
  assert.match(await page.locator('#substitute_for-error').textContent(), /Pat Stranger is not a named substitute for Chris Member/);
  await expectNoViolations(page, 'the attendance form with errors');
  await page.getByLabel('Name', { exact: true }).fill('Dana Deputy');
  await page.getByRole('button', { name: 'Record attendance' }).click();
  assert.match(await page.locator('main').textContent(), /Dana Deputy: Substitute for Chris Member/);

  await page.goto(base + meeting + '/minutes');
  await expectNoViolations(page, 'the held and minutes form');
  await page.getByLabel('What to record').selectOption('held');
  await page.getByRole('button', { name: 'Save' }).click();
  assert.match(await page.locator('.govuk-summary-list').first().textContent(), /Held/);
  await page.goto(base + body + '/forward-plan/new');
  await expectNoViolations(page, 'the forward plan form');

  // A decision by consensus, notified only three days ahead.
  await page.goto(base + meeting + '/decisions/new');
  await expectNoViolations(page, 'the decision form');
  await page.getByLabel('Title', { exact: true }).fill('Partnership budget 2027/28');
  await page.getByLabel('Resolved').fill('That the partnership budget be AGREED.');
  await page.getByLabel('How it was reached').selectOption('consensus');
  await page.getByLabel('First notified on (when not on the forward plan)').fill(londonDay(-4));
  await page.getByRole('button', { name: 'Record the decision' }).click();
  assert.match(page.url(), /\/ratifications$/);
  assert.equal(await page.locator('#ratification-state').textContent(), 'Awaiting ratification');
  await expectNoViolations(page, 'the ratifications page');

  // The governance page shows the breach to anyone.
  const visitor = await open('/buckinghamshire/governance');
  assert.match(await visitor.page.locator('#notice-without-ratification + .pw-table-scroll').textContent(), /Partnership budget 2027\/28/);
  await visitor.context.close();

  // Each constituent body ratifies.
  const orgs = await page.locator('#organisation option').evaluateAll((os) => os.map((o) => o.value));
  assert.ok(orgs.length > 5, `constituent bodies: ${orgs}`);
  for (const [i, org] of orgs.entries()) {
    await page.getByLabel('Constituent body').selectOption(org);
    await page.getByLabel('Its answer').selectOption('ratified');
    await page.getByLabel('The day of its decision').fill(londonDay(0));
    await page.getByLabel('Minute reference').fill(`R${i + 1}`);
    await page.getByRole('button', { name: 'Record the answer' }).click();
  }
  assert.equal(await page.locator('#ratification-state').textContent(), 'Ratified');

  // The breach has cleared; the public sees the public parts only.
  const after = await open('/buckinghamshire/governance');
  assert.doesNotMatch(await after.page.locator('main').textContent(), /Partnership budget 2027\/28/);
  await after.context.close();
  const pub = await open(meeting, { javaScript: true });
  const main = await pub.page.locator('main').textContent();
  assert.match(main, /Partnership budget/);
  assert.match(main, /Dana Deputy/);
  assert.doesNotMatch(main, /Sale of the depot|heads of terms/i, 'the confidential item is not public');
  const paper = await pub.page.getByRole('link', { name: 'Budget 2027', exact: true }).getAttribute('href');
  assert.equal((await pub.page.request.get(base + paper)).headers()['content-type'], 'application/pdf');
  const secret = await pub.page.request.get(base + meeting + '/papers/item-2-heads-of-terms');
  assert.equal(secret.status(), 404, 'the confidential paper is not there for the public');
  await expectNoViolations(pub.page, 'the meeting page');
  await pub.page.getByRole('link', { name: 'Dana Deputy' }).click();
  await expectNoViolations(pub.page, 'a person page');
  await pub.context.close();
  await context.close();
}));

test('a resident types a place, then a postcode, and reaches their ward, its partnership and its next meetings', async () => {
  // The secretariat has recorded when the ward partnership meets.
  const admin = await signIn(ADMIN);
  await admin.page.goto(base + '/buckinghamshire/bodies/booker-cressex-and-castlefield-ward-partnership/edit');
  await admin.page.getByLabel('How often it meets (optional)').fill('Monthly, on the second Thursday');
  await admin.page.getByLabel('Meeting rule (optional)').fill('FREQ=MONTHLY;BYDAY=2TH');
  await admin.page.getByLabel('First meeting (optional)').fill('9/1/2020 6.30pm');
  await admin.page.getByRole('button', { name: 'Save changes' }).click();
  assert.ok(await admin.page.locator('.govuk-notification-banner--success').isVisible(), 'the meeting rule is saved');
  await admin.context.close();

  const { page, context } = await open('/buckinghamshire', { viewport: PHONE });
  await page.getByRole('searchbox', { name: 'Find your place' }).fill('Castlefield');
  await page.getByRole('button', { name: 'Find' }).click();
  assert.match(await page.locator('h1').textContent(), /Find your place/);
  await page.getByRole('link', { name: 'Castlefield & Oakridge' }).click();
  assert.equal(await page.locator('h1').textContent(), 'Castlefield & Oakridge');
  const serving = page.locator('#bodies ~ ul, #bodies ~ h3').first();
  assert.ok(await serving.isVisible());
  assert.ok(await page.getByRole('link', { name: 'Booker, Cressex and Castlefield Ward Partnership' }).first().isVisible(), 'the ward partnership of the ward it follows');
  const next = page.locator('#next-meetings + ul li');
  assert.ok((await next.count()) >= 1, 'its next meetings are listed');
  assert.match(await next.first().textContent(), /Booker, Cressex and Castlefield Ward Partnership/);
  await expectFitsThePhone(page, 'the ward page');

  // The search box on every page takes a postcode, written any way.
  await page.getByRole('searchbox', { name: 'Find a ward, place or postcode' }).fill('hp12 4zz');
  await page.getByRole('button', { name: 'Find' }).click();
  assert.equal(await page.locator('h1').textContent(), 'Castlefield & Oakridge');
  await context.close();
});

test('a member who has left appears only under Former members', inBspEra(async () => {
  const { page, context } = await signIn(OFFICER);
  await page.goto(base + '/buckinghamshire/bodies/bsp-board/members/new');
  await page.getByLabel('Seat').selectOption('voluntary-impact');
  await page.getByLabel("Member's full name").fill('Pat Former');
  await page.getByLabel('Date the membership starts (optional)').fill('2005-04');
  await page.getByRole('button', { name: 'Add member' }).click();
  await page.goto(base + '/buckinghamshire/bodies/bsp-board/manage');
  await page.getByRole('link', { name: 'Change membership of Pat Former' }).click();
  await page.getByLabel('Date the membership ends (optional)').fill('2009-03');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await context.close();

  const visitor = await open('/buckinghamshire/bodies/bsp-board', { viewport: PHONE });
  const former = visitor.page.locator('#former-members + div');
  assert.match(await former.textContent(), /Pat Former/);
  assert.match(await former.textContent(), /March 2009/);
  // The seat tables are labelled by their captions; the former members' table by its heading.
  const seats = (await visitor.page.locator('.pw-table-scroll[aria-label]').allTextContents()).join(' ');
  assert.match(seats, /Voluntary/, 'the seat tables were read');
  assert.ok(!seats.includes('Pat Former'), 'not shown as holding the seat');
  await expectFitsThePhone(visitor.page, 'the body page with former members');
  await visitor.context.close();
}));

test('the signed-in pages fit a 390 px phone too', inBspEra(async () => {
  const { page, context } = await signIn(ADMIN);
  await page.setViewportSize(PHONE);
  const body = '/buckinghamshire/bodies/bsp-board';
  for (const path of ['/account', '/accounts', '/buckinghamshire/audit', `${body}/manage`, `${body}/edit`, `${body}/seats/new`, `${body}/members/new`, `${body}/links`, `${body}/meetings`, `${body}/history`, '/buckinghamshire/meetings/bsp-board-2010-01-14-1000/manage']) {
    const response = await page.goto(base + path);
    assert.equal(response.status(), 200, `${path} answered ${response.status()}`);
    await expectFitsThePhone(page, path);
  }
  await context.close();
}));

test('an administrator creates an account with a role, and its holder chooses a password and finds their body', inBspEra(async () => {
  const { page, context } = await signIn(ADMIN);
  await page.goto(base + '/accounts');
  await page.getByRole('link', { name: 'Create an account' }).click();
  assert.equal(await page.locator('h1').textContent(), 'Create an account');
  await expectNoViolations(page, 'the create-an-account form');
  await page.getByRole('button', { name: 'Create account' }).click();
  assert.ok(await page.locator('.govuk-error-summary a[href="#name"]').isVisible(), 'each mistake is named');
  await expectNoViolations(page, 'the create-an-account form with errors');
  await page.getByLabel('Full name').fill('Rowan Reed');
  await page.getByLabel('Email address').fill('rowan@example.org');
  await page.getByLabel('Role', { exact: true }).selectOption('secretariat');
  await page.getByLabel('Body or programme (for a secretariat, member or chair role, or a programme manager of one programme)').selectOption('buckinghamshire/cadex');
  await page.getByRole('button', { name: 'Create account' }).click();
  assert.match(await page.locator('h1').textContent(), /Account created/);
  const link = await page.locator('#link').inputValue();
  await page.goto(base + '/accounts');
  await page.getByRole('link', { name: 'Rowan Reed' }).click();
  assert.ok(await page.getByText('Secretariat of CADEX (Buckinghamshire)').first().isVisible());
  await expectNoViolations(page, "an account's page");
  await context.close();

  const holder = await open(new URL(link).pathname, { javaScript: true });
  await holder.page.getByLabel('New password', { exact: true }).fill('a long and new password');
  await holder.page.getByLabel('Type the new password again').fill('a long and new password');
  await holder.page.getByRole('button', { name: 'Change password' }).click();
  await holder.page.getByLabel('Email address').fill('rowan@example.org');
  await holder.page.getByLabel('Password').fill('a long and new password');
  await holder.page.getByRole('button', { name: 'Sign in' }).click();
  assert.equal(await holder.page.locator('h1').textContent(), 'Your account');
  await holder.page.getByRole('link', { name: 'Manage its seats, members and links (CADEX)' }).click();
  assert.equal(await holder.page.locator('h1').textContent(), 'Manage this body');
  await holder.context.close();
}));

test('the structure chart is a map: a box opens its body, a folded family its kind, and a key names every line', inBspEra(async () => {
  const { page, context } = await open('/buckinghamshire/structure');
  assert.equal(await page.locator('.pw-legend li').count(), 6, 'six kinds of line in the key');
  await page.locator('svg.pw-chart a[href="/buckinghamshire/bodies/cabinet"]').click();
  assert.equal(await page.locator('h1').textContent(), 'Cabinet');
  await page.goBack();
  await page.locator('svg.pw-chart a[href="/buckinghamshire/bodies?kind=committee"]').click();
  assert.match(await page.locator('[role="status"]').first().textContent(), /4 bodies match the filter/);
  await page.goto(base + '/buckinghamshire/structure');
  await page.getByRole('link', { name: 'Every body' }).click();
  assert.ok((await page.locator('svg.pw-chart a').count()) > 40, 'the whole tree a click away');
  await context.close();
}));

test('an administrator sets up a ward partnership with three seats and a chair, ends a community board, and records a councillor; the ward page shows all three', async () => {
  const { page, context } = await signIn(ADMIN);
  const ward = '/buckinghamshire/areas/E05015942';
  // A community board for the ward, with a member, to end later.
  await page.goto(base + '/buckinghamshire/bodies');
  await page.getByRole('link', { name: 'Set up a new body' }).click();
  assert.equal(await page.locator('h1').textContent(), 'Set up a new body');
  await expectNoViolations(page, 'the set-up-a-body form');
  await page.getByRole('button', { name: 'Set up the body' }).click();
  assert.ok(await page.locator('.govuk-error-summary a[href="#name"]').isVisible(), 'each mistake is named');
  await expectNoViolations(page, 'the set-up-a-body form with its errors');
  await page.getByLabel('Name', { exact: true }).fill('Wycombe Community Board');
  await page.getByLabel('Kind of body').selectOption('community-board');
  await page.getByLabel('Areas it serves (optional)').fill('Castlefield & Oakridge');
  await page.getByLabel('Seats (optional)').fill('Ward councillor');
  await page.getByLabel('How the chair is chosen').selectOption('');
  await page.getByRole('button', { name: 'Set up the body' }).click();
  assert.equal(await page.locator('h1').textContent(), 'Wycombe Community Board');
  await page.goto(base + '/buckinghamshire/bodies/wycombe-community-board/members/new');
  await page.getByLabel('Seat').selectOption('ward-councillor');
  await page.getByLabel("Member's full name").fill('Sam Boardmember');
  await page.getByRole('button', { name: 'Add member' }).click();

  // The ward partnership: three seats and an appointed chair.
  await page.goto(base + '/buckinghamshire/bodies/new');
  await page.setViewportSize(PHONE);
  await expectFitsThePhone(page, 'the set-up-a-body form');
  await expectNoViolations(page, 'the set-up-a-body form at 390 px');
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.getByLabel('Name', { exact: true }).fill('Castlefield & Oakridge Ward Partnership');
  await page.getByLabel('Kind of body').selectOption('ward-partnership');
  await page.getByLabel('Date it was established (optional)').fill('1/9/2026');
  await page.getByLabel('Reports to (optional)').selectOption('opportunity-bucks-programme-board');
  await page.getByLabel('Areas it serves (optional)').fill('Castlefield & Oakridge');
  await page.getByLabel('How the chair is chosen').selectOption('appointed');
  await page.getByLabel('Who chairs it (optional)').fill('Pat Chair');
  await page.getByLabel('Seats (optional)').fill('Member, Thames Valley Police\nMember, Red Kite Community Housing\nMember, the voluntary sector');
  await page.getByRole('button', { name: 'Set up the body' }).click();
  assert.equal(await page.locator('h1').textContent(), 'Castlefield & Oakridge Ward Partnership');
  const created = await page.locator('main').textContent();
  for (const text of ['Pat Chair', 'Member, Thames Valley Police', 'Member, Red Kite Community Housing', 'Member, the voluntary sector']) {
    assert.ok(created.includes(text), `${text} on the new body's page`);
  }

  // The community board ends; its member becomes a former member.
  await page.goto(base + '/buckinghamshire/bodies/wycombe-community-board/manage');
  await page.getByRole('link', { name: 'End this body' }).click();
  await expectNoViolations(page, 'the end-a-body form');
  await page.getByLabel('Date it ends').fill('30/11/2026');
  await page.getByRole('button', { name: 'End the body' }).click();
  assert.match(await page.locator('main').textContent(), /This body ended/);
  assert.match(await page.locator('#former-members + div').textContent(), /Sam Boardmember/);

  // A councillor for the ward.
  await page.goto(base + ward);
  await page.getByRole('link', { name: /Record who holds this seat/ }).first().click();
  await expectNoViolations(page, 'the post form');
  await page.getByLabel('Who holds it (optional)').fill('Casey Councillor');
  await page.getByLabel('Party (optional)').fill('Independent');
  await page.getByLabel('Date they took the post (optional)').fill('2/5/2025');
  await page.getByRole('button', { name: 'Save the post' }).click();
  assert.match(page.url(), /E05015942#councillors$/);
  await context.close();

  // What a resident sees on the ward's page, at desktop width and on a phone.
  for (const viewport of [undefined, PHONE]) {
    const visitor = await open(ward, { viewport, javaScript: true });
    const main = await visitor.page.locator('main').textContent();
    assert.ok(main.includes('Casey Councillor') && main.includes('Independent'), 'the councillor');
    assert.ok(main.includes('Castlefield & Oakridge Ward Partnership'), 'the new ward partnership');
    assert.ok(main.includes('Wycombe Community Board'), 'the community board, now ended');
    await expectNoViolations(visitor.page, `the ward page${viewport ? ' at 390 px' : ''}`);
    if (viewport) await expectFitsThePhone(visitor.page, 'the ward page');
    await visitor.context.close();
  }
  const person = await open('/buckinghamshire/people/casey-councillor');
  assert.match(await person.page.locator('main').textContent(), /represents Castlefield & Oakridge/);
  await person.context.close();
});

test('the register kept in the portal: an area, an organisation, a commitment and a disagreement, each form accessible at desktop and 390 px', inBspEra(async () => {
  // The administrator defines a local community area and adds an organisation.
  const admin = await signIn(ADMIN);
  let page = admin.page;
  await page.goto(base + '/buckinghamshire/areas');
  await page.getByRole('link', { name: 'Define an area' }).click();
  assert.equal(await page.locator('h1').textContent(), 'Define an area');
  await expectNoViolations(page, 'the define-an-area form');
  await page.getByLabel('Name', { exact: true }).fill('Chesham Vale');
  await page.getByLabel('Made of').fill('Chesham North\nAtlantis');
  await page.getByRole('button', { name: 'Define the area' }).click();
  assert.ok(await page.locator('.govuk-error-summary a[href="#members"]').isVisible(), 'the unknown area is named');
  assert.match(await page.locator('.govuk-error-summary').textContent(), /Atlantis/);
  await expectNoViolations(page, 'the define-an-area form with its errors');
  await page.setViewportSize(PHONE);
  await expectFitsThePhone(page, 'the define-an-area form');
  await expectNoViolations(page, 'the define-an-area form at 390 px');
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.getByLabel('Made of').fill('Chesham North\nChesham South');
  await page.getByRole('button', { name: 'Define the area' }).click();
  assert.equal(await page.locator('h1').textContent(), 'Chesham Vale');
  assert.match(await page.locator('.govuk-notification-banner').textContent(), /The area has been defined/);
  assert.match(await page.locator('#deprivation').textContent(), /Deprivation/);
  await expectNoViolations(page, 'the new area page');

  await page.goto(base + '/buckinghamshire/organisations');
  await page.getByRole('link', { name: 'Add an organisation' }).click();
  await expectNoViolations(page, 'the add-an-organisation form');
  await page.getByRole('button', { name: 'Add the organisation' }).click();
  assert.ok(await page.locator('.govuk-error-summary a[href="#name"]').isVisible());
  await expectNoViolations(page, 'the add-an-organisation form with its errors');
  await page.getByLabel('Name', { exact: true }).fill('Chiltern Rangers');
  await page.getByLabel('Kind of organisation').selectOption('voluntary');
  await page.getByLabel('Sector').selectOption('voluntary-community');
  await page.getByRole('button', { name: 'Add the organisation' }).click();
  assert.equal(await page.locator('h1').textContent(), 'Chiltern Rangers');
  await admin.context.close();

  // The BSP Board's secretariat records a commitment and a disagreement.
  const officer = await signIn(OFFICER);
  page = officer.page;
  await page.goto(base + '/buckinghamshire/bodies/bsp-board');
  await page.getByRole('link', { name: 'Record a commitment' }).click();
  await expectNoViolations(page, 'the commitment form');
  await page.getByLabel('What was committed to').fill('The Board will agree a performance framework within six months');
  await page.getByLabel('Date it was made (optional)').fill('1/2009');
  await page.getByLabel('Date it is due').fill('7/2009');
  await page.getByRole('button', { name: 'Record the commitment' }).click();
  assert.match(await page.locator('#commitments ~ ul').first().textContent(), /Overdue/);
  await page.goto(base + '/buckinghamshire/bodies/bsp-board/disputes/new');
  await expectNoViolations(page, 'the disagreement form');
  await page.setViewportSize(PHONE);
  await expectFitsThePhone(page, 'the disagreement form');
  await expectNoViolations(page, 'the disagreement form at 390 px');
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.getByLabel('What it is about').fill('Who pays for the shared data officer');
  await page.getByRole('button', { name: /Record/ }).click();
  assert.match(await page.locator('main').textContent(), /Who pays for the shared data officer/);
  await expectNoViolations(page, 'a disagreement');
  await officer.context.close();

  // A resident sees the body's new sections and the example's values tagged, on a phone too.
  for (const viewport of [undefined, PHONE]) {
    for (const path of ['/buckinghamshire/bodies/bsp-board', '/buckinghamshire/decisions/opportunity-bucks-progress-2023']) {
      const visitor = await open(path, { viewport, javaScript: true });
      const main = await visitor.page.locator('main').textContent();
      if (path.endsWith('bsp-board')) {
        assert.ok(main.includes('What it may decide') && main.includes('performance framework'), 'its powers and commitments');
        assert.ok(!main.includes('Who pays for the shared data officer'), 'a disagreement is confidential');
      } else {
        assert.equal(await visitor.page.locator('[data-example]').count(), 3, 'date, key decision and call-in tagged');
      }
      await expectNoViolations(visitor.page, `${path}${viewport ? ' at 390 px' : ''}`);
      if (viewport) await expectFitsThePhone(visitor.page, path);
      await visitor.context.close();
    }
  }
}));

test('a programme manager enters a quarter\'s actuals, sees a status change by the rule, writes the highlights and downloads the report as PDF and CSV with the page\'s figures', async () => {
  const { page } = await signIn(MANAGER);
  const programme = '/buckinghamshire/programmes/opportunity-bucks';
  await page.goto(base + programme);
  await page.getByRole('link', { name: 'Horizons Programme: people referred', exact: true }).click();
  await page.getByRole('link', { name: 'Enter an actual' }).click();
  assert.equal(await page.locator('h1').textContent(), 'Enter an actual');
  await expectNoViolations(page, 'the enter-an-actual form');
  // A figure that is not a number is refused, and what was typed is kept.
  await page.getByLabel('Period').fill('2023/24 Q4');
  await page.getByLabel('Actual', { exact: true }).fill('lots');
  await page.getByLabel('Commentary (optional)').fill('Three more referrals after the launch month');
  await page.getByRole('button', { name: 'Save the actual' }).click();
  assert.ok(await page.locator('.govuk-error-summary a[href="#value"]').isVisible(), 'the summary links to the figure');
  assert.equal(await page.getByLabel('Commentary (optional)').inputValue(), 'Three more referrals after the launch month');
  await expectNoViolations(page, 'the enter-an-actual form with its errors');
  await page.setViewportSize(PHONE);
  await expectFitsThePhone(page, 'the enter-an-actual form');
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.getByLabel('Actual', { exact: true }).fill('12');
  await page.getByRole('button', { name: 'Save the actual' }).click();
  assert.match(await page.locator('.govuk-notification-banner').textContent(), /The actual has been saved/);
  const q4 = page.locator('tr[data-period="2023/24 Q4"]');
  assert.match(await q4.textContent(), /12/);
  assert.match(await q4.locator('[data-status]').textContent(), /Not judged: its target has no date/);

  // The other Horizons measure had no actual: its status changes by the rule, in words.
  await page.goto(base + programme + '/measures/horizons-referrals-from-opportunity-bucks-areas');
  assert.equal((await page.locator('p [data-status]').first().textContent()).trim(), 'No actual reported');
  await page.getByRole('link', { name: 'Enter an actual' }).click();
  await page.getByLabel('Period').fill('2023/24 Q4');
  await page.getByLabel('Actual', { exact: true }).fill('8');
  await page.getByRole('button', { name: 'Save the actual' }).click();
  assert.equal((await page.locator('p [data-status]').first().textContent()).trim(), 'Not judged: its target has no date');
  assert.equal(await page.locator('p [data-status]').first().getAttribute('data-status'), 'undated');
  await expectNoViolations(page, 'a measure\'s page with its history');

  // The highlights, then the report for the quarter.
  await page.goto(base + programme + '/report?period=2023%2F24+Q4');
  await page.getByRole('link', { name: 'Write the highlights' }).click();
  await expectNoViolations(page, 'the highlights form');
  await page.getByLabel('Highlights').fill('Twelve referrals in the quarter\nEight of them from the ten wards');
  await page.getByRole('button', { name: 'Save the highlights' }).click();
  assert.match(await page.locator('.govuk-notification-banner').textContent(), /The highlights have been saved/);
  assert.match(await page.locator('#highlights + ul').textContent(), /Eight of them from the ten wards/);
  await expectNoViolations(page, 'the report');
  const rows = await page.locator('#report-measures tbody tr').evaluateAll((trs) => trs.map((tr) => ({
    target: tr.querySelector('[data-figure="target"]').textContent.trim(),
    actual: tr.querySelector('[data-figure="actual"]').textContent.trim(),
    status: tr.querySelector('[data-status]').textContent.trim(),
  })));
  assert.deepEqual(rows.map((r) => r.actual), ['12', '8']);

  // The CSV: the same figures.
  const [csvDownload] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download as CSV' }).click()]);
  const csv = readFileSync(await csvDownload.path(), 'utf8');
  const measures = csv.split('\n').filter((l) => l.startsWith('measure,'));
  assert.equal(measures.length, rows.length);
  rows.forEach((r, i) => {
    assert.ok(measures[i].includes(`,${r.actual},${r.status},`), `the CSV line ${measures[i]} has the page's ${r.actual} and ${r.status}`);
    assert.ok(r.target.startsWith(measures[i].split(',')[4]), 'and its target');
  });
  // The PDF: read back by pdftotext, the same figures and words.
  const [pdfDownload] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download as PDF' }).click()]);
  const pdf = execFileSync('pdftotext', ['-raw', await pdfDownload.path(), '-']).toString().replace(/\s+/g, ' ');
  for (const text of ['Twelve referrals in the quarter', 'Eight of them from the ten wards', 'Q4 2023/24', '£2,100,000', 'Not judged: its target has no date', '12', '8']) {
    assert.ok(pdf.includes(text), `the PDF has ${text}`);
  }
  await page.setViewportSize(PHONE);
  await expectFitsThePhone(page, 'the report');
  await expectNoViolations(page, 'the report at 390 px');
  await page.setViewportSize({ width: 1280, height: 900 });

  // A local action plan's action, updated by the programme's manager.
  await page.goto(base + programme + '/areas/E05013131');
  await page.getByRole('link', { name: 'Update action 1' }).click();
  await expectNoViolations(page, 'the update-an-action form');
  await page.getByLabel('Due').fill('31/2/2027');
  await page.getByRole('button', { name: 'Save the action' }).click();
  assert.ok(await page.locator('.govuk-error-summary a[href="#due"]').isVisible(), 'the summary links to the due date');
  await expectNoViolations(page, 'the update-an-action form with its errors');
  await page.setViewportSize(PHONE);
  await expectFitsThePhone(page, 'the update-an-action form');
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.getByLabel('Owner').fill('Castlefield Ward Partnership');
  await page.getByLabel('Due').fill('31/3/2027');
  await page.getByRole('button', { name: 'Save the action' }).click();
  assert.match(await page.locator('.govuk-notification-banner').textContent(), /The action has been updated/);
  assert.match(await page.locator('#plan ~ ol').first().textContent(), /Owner: Castlefield Ward Partnership/);

  // The programme's own details: the form, with its errors, accessible and fitting a phone.
  await page.goto(base + programme);
  await page.getByRole('link', { name: 'Change the programme\'s details' }).click();
  await expectNoViolations(page, 'the programme details form');
  await page.getByLabel('Aim').fill('');
  await page.getByRole('button', { name: 'Save the programme' }).click();
  assert.ok(await page.locator('.govuk-error-summary a[href="#aim"]').isVisible(), 'the summary links to the aim');
  await expectNoViolations(page, 'the programme details form with its errors');
  await page.setViewportSize(PHONE);
  await expectFitsThePhone(page, 'the programme details form');
});
