import assert from 'node:assert/strict';
import { decideFirstRun } from '../../../../src/ui/walkthrough/firstRunDecision';

describe('ui/walkthrough: the first-run decision', () => {
  it('opens the walkthrough when it was never offered and VS Code leaves the setting at its default', () => {
    assert.equal(decideFirstRun({ offeredBefore: false, openOnInstall: undefined }), 'open');
    assert.equal(decideFirstRun({ offeredBefore: false, openOnInstall: true }), 'open');
  });

  it('does not open it a second time', () => {
    assert.equal(decideFirstRun({ offeredBefore: true, openOnInstall: true }), 'alreadyOffered');
    assert.equal(decideFirstRun({ offeredBefore: true, openOnInstall: undefined }), 'alreadyOffered');
  });

  it('respects "open walkthroughs on install" turned off', () => {
    assert.equal(decideFirstRun({ offeredBefore: false, openOnInstall: false }), 'turnedOffBySetting');
  });

  it('reads only an explicit false as turned off, not a malformed value', () => {
    assert.equal(decideFirstRun({ offeredBefore: false, openOnInstall: 'false' }), 'open');
    assert.equal(decideFirstRun({ offeredBefore: false, openOnInstall: 0 }), 'open');
  });
});
