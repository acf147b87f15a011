import assert from 'node:assert/strict';
import { PASSCODE_NOTICE_INTERVAL_MS, passcodePromptThrottle } from '../../../../src/ui/progress/passcodePromptNotice';
import { OncePerInterval } from '../../../../src/ui/util/oncePerInterval';

describe('ui: passcode prompt notifications', () => {
  it('a device repeating its prompt raises one notification per interval, the first at once', () => {
    let now = 1_000_000;
    const throttle = passcodePromptThrottle(() => now);
    let shown = 0;
    // The device posts its prompt every 100 ms for two minutes.
    for (let elapsed = 0; elapsed < 120_000; elapsed += 100) {
      throttle.run(() => shown++);
      now += 100;
    }
    assert.equal(shown, Math.ceil(120_000 / PASSCODE_NOTICE_INTERVAL_MS));
    assert.ok(PASSCODE_NOTICE_INTERVAL_MS >= 10_000, 'a flood is cut to a few notifications a minute at most');
  });

  it('shows again once the interval has passed, and each operation has its own throttle', () => {
    let now = 0;
    const first = new OncePerInterval(30_000, () => now);
    assert.equal(first.run(() => undefined), true);
    now = 29_999;
    assert.equal(first.run(() => assert.fail('inside the interval')), false);
    now = 30_000;
    assert.equal(first.run(() => undefined), true);
    const nextOperation = passcodePromptThrottle(() => now);
    assert.equal(nextOperation.run(() => undefined), true, 'a new operation shows its first prompt at once');
  });
});
