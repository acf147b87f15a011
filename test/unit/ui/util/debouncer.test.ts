import assert from 'node:assert/strict';
import { Debouncer } from '../../../../src/ui/util/debouncer';

describe('ui: debouncer', () => {
  it('runs once after a burst of triggers', async () => {
    let runs = 0;
    const debouncer = new Debouncer(20, () => runs++);
    for (let i = 0; i < 10; i++) debouncer.trigger();
    assert.equal(debouncer.pending, true);
    await new Promise((r) => setTimeout(r, 60));
    assert.equal(runs, 1);
    debouncer.trigger();
    debouncer.dispose();
    await new Promise((r) => setTimeout(r, 40));
    assert.equal(runs, 1);
  });
});
