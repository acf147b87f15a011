import * as assert from 'node:assert/strict';
import { HealthFindings, MAX_LISTED_PROBLEMS, MAX_LISTED_TOLERATED } from '../../../../src/backup/verify/healthFindings';

const BASE = { backupDir: '/b', level: 'full' as const, encrypted: false, filesChecked: 0, bytesChecked: 0 };

describe('backup/verify HealthFindings', () => {
  it('lists problems up to the cap and counts the rest', () => {
    const findings = new HealthFindings();
    for (let i = 0; i < MAX_LISTED_PROBLEMS + 5; i++) findings.problem('HomeDomain', `f${i}`, 'is missing');
    for (let i = 0; i < MAX_LISTED_TOLERATED + 2; i++) findings.tolerate(`odd ${i}`);
    const health = findings.report(BASE);
    assert.equal(health.problems.length, MAX_LISTED_PROBLEMS);
    assert.equal(health.problemsNotListed, 5);
    assert.equal(health.tolerated.length, MAX_LISTED_TOLERATED);
    assert.equal(health.toleratedNotListed, 2);
    assert.equal(health.healthy, false);
  });

  it('ends every sentence with a full stop, once', () => {
    const findings = new HealthFindings();
    findings.problem(null, 'Info.plist', 'Cannot read Info.plist because it does not exist.');
    findings.problem('HomeDomain', 'a', 'is missing');
    assert.deepEqual(findings.report(BASE).problems.map((p) => p.problem), ['Cannot read Info.plist because it does not exist.', 'is missing.']);
  });

  it('is healthy only with no problem and everything the level covers checked', () => {
    assert.equal(new HealthFindings().report(BASE).healthy, true);
    assert.equal(new HealthFindings().report(BASE, false).healthy, false);
    const onlyTolerated = new HealthFindings();
    onlyTolerated.tolerate('a stale size');
    assert.equal(onlyTolerated.report(BASE).healthy, true);
  });
});
