import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CrashPolicy, MAX_RESTARTS, WINDOW_MS } from '../../client/src/crashPolicy';

test('crashes in one burst: restarted each time, the user told once', () => {
  const p = new CrashPolicy();
  const decisions = [0, 1000, 2000].map((t) => p.crashed(t));
  assert.deepEqual(decisions.map((d) => d.restart), [true, true, true]);
  assert.deepEqual(decisions.map((d) => d.restart && d.notify), [true, false, false]);
});

test(`more than ${MAX_RESTARTS} crashes within the window: no further restart`, () => {
  const p = new CrashPolicy();
  for (let i = 0; i < MAX_RESTARTS; i++) assert.equal(p.crashed(i * 1000).restart, true);
  const last = p.crashed(MAX_RESTARTS * 1000);
  assert.equal(last.restart, false);
  assert.equal(last.crashesInWindow, MAX_RESTARTS + 1);
});

test('a crash after a quiet window starts a new burst, which is announced again', () => {
  const p = new CrashPolicy();
  p.crashed(0);
  p.crashed(1000);
  const later = p.crashed(1000 + WINDOW_MS);
  assert.ok(later.restart && later.notify);
  assert.equal(later.crashesInWindow, 1);
});

test('a manual restart clears the history: a policy that gave up restarts again', () => {
  const p = new CrashPolicy();
  for (let i = 0; i <= MAX_RESTARTS; i++) p.crashed(i);
  assert.equal(p.crashed(10).restart, false);
  p.reset();
  const after = p.crashed(20);
  assert.ok(after.restart && after.notify);
});
