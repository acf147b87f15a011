import * as assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundledRules, loadRules, validateRules } from '../../../src/compat/loadRules';
import { isRulesError, RulesError } from '../../../src/compat/rulesError';
import { isDeviceToolError, isUsageError } from '../../../src/common/errors';
import { editableRules } from '../../builders/editableRules';

/** Validates and returns the RulesError's problems (fails the test if the data is accepted). */
function problemsOf(data: unknown): readonly string[] {
  try {
    validateRules(data, 'test.json');
  } catch (err) {
    assert.ok(isRulesError(err), `expected a RulesError, got ${String(err)}`);
    return err.problems;
  }
  assert.fail('the rules were accepted');
}

describe('compat: rules file loading and validation', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'iosbr-rules-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('validates the bundled rules and carries the source identity', () => {
    const rules = bundledRules();
    assert.equal(rules.identity.mdmProduct, 'Optimal Biz');
    assert.equal(rules.identity.documentVersion, '2.0');
    assert.equal(rules.identity.documentDate, '2024-02-08');
    assert.equal(rules.identity.verifiedIosVersion, '16');
    assert.equal(rules.identity.documentTitle.ja, 'KDDI Smart Mobile Safety Manager iOSバックアップと復元を実施する場合の手順と注意事項');
    assert.equal(rules.identity.publisher.ja, 'KDDI株式会社');
  });

  it('holds the three procedures as ordered steps, in both languages', () => {
    const rules = bundledRules();
    assert.deepEqual(rules.procedures.map((p) => [p.id, p.steps.length]), [['itunes-windows', 10], ['finder-mac', 10], ['icloud', 5]]);
    const itunes = rules.procedures[0];
    assert.equal(itunes.steps[2].text.ja, 'Appとデータ画面で「Mac またはPC から復元」を選択します');
    assert.equal(itunes.steps[6].text.ja, 'リモートマネージメントの画面が表示されるので「次へ」をタップします');
    const icloud = rules.procedures[2];
    assert.equal(icloud.steps[3].note?.ja, '※バックアップした端末と復元先の端末が同じの場合、リモートマネージメントの画面は表示されません');
    for (const p of rules.procedures) for (const s of p.steps) assert.ok(s.text.en && s.text.ja);
  });

  it('loads a valid custom rules file from disk', async () => {
    const path = join(dir, 'valid.json');
    await writeFile(path, JSON.stringify(editableRules()));
    const rules = await loadRules(path);
    assert.equal(rules.tables.length, 3);
  });

  it('refuses a wrong agent value naming the exact field', async () => {
    const data = editableRules();
    data.tables[0].cells[3].agent = 'maybe';
    const path = join(dir, 'bad-agent.json');
    await writeFile(path, JSON.stringify(data));
    await assert.rejects(loadRules(path), (err: unknown) => {
      assert.ok(err instanceof RulesError);
      assert.ok(isUsageError(err) && isDeviceToolError(err), 'a RulesError is a usage error (exit 2)');
      assert.equal(err.origin, path);
      assert.deepEqual(err.problems, ['/tables/0/cells/3/agent must be one of ok, reauth, ng, n/a']);
      assert.ok(err.message.includes('/tables/0/cells/3/agent must be one of ok, reauth, ng, n/a'));
      assert.ok(err.message.includes(path));
      return true;
    });
  });

  it('names a missing field, an unexpected field, a wrong type and a bad pattern', () => {
    const data = editableRules();
    delete data.identity.documentDate;
    data.tables[1].cells[0].colour = 'red';
    data.tables[2].cells[0].supported = 'no';
    data.identity.verifiedIosVersion = 'sixteen';
    assert.deepEqual([...problemsOf(data)].sort(), [
      '/identity/documentDate is required',
      '/identity/verifiedIosVersion must match ^[0-9]+(\\.[0-9]+){0,2}$',
      '/tables/1/cells/0/colour is not allowed',
      '/tables/2/cells/0/supported must be a boolean',
    ].sort());
  });

  it('names a missing Japanese text', () => {
    const data = editableRules();
    delete data.tables[0].cells[2].remarks.ja;
    assert.deepEqual(problemsOf(data), ['/tables/0/cells/2/remarks/ja is required']);
  });

  it('refuses an unsupported cell that still claims a post-restore state', () => {
    const data = editableRules();
    data.tables[0].cells[1].agent = 'ok';
    assert.deepEqual(problemsOf(data), ['/tables/0/cells/1/agent must be n/a']);
    const data2 = editableRules();
    data2.tables[0].cells[0].mdm = 'n/a';
    assert.deepEqual(problemsOf(data2), ['/tables/0/cells/0/mdm must not be n/a']);
  });

  it('refuses an unknown precondition check and an unknown MDM state', () => {
    const data = editableRules();
    data.preconditions[0].check = 'battery-charged';
    data.tables[2].cells[3].mdm = 'reauth';
    assert.deepEqual(problemsOf(data), [
      '/preconditions/0/check must be one of target-ios-at-least-backup-ios, restore-reproduces-backup-state, no-unsupervised-backup-to-same-supervised-device, ade-restore-from-backup-allowed',
      '/tables/2/cells/3/mdm must be one of ok, ng, n/a',
    ]);
  });

  it('refuses a repeated combination, a repeated table and a reference to an unknown action', () => {
    const data = editableRules();
    data.tables[0].cells[3].target = 'same';
    data.tables[0].cells[3].targetSupervised = true;
    data.tables[0].cells[3].supported = false;
    data.tables[0].cells[3].agent = 'n/a';
    data.tables[0].cells[3].mdm = 'n/a';
    data.tables[0].cells[3].postRestoreActions = [];
    data.tables[2].source = 'supervised';
    data.tables[1].cells[2].postRestoreActions = ['kitting', 'dance'];
    assert.deepEqual(problemsOf(data), [
      '/tables/2/source repeats supervised (already at /tables/1/source)',
      '/tables/0/cells/3 repeats target same, targetSupervised true (already at /tables/0/cells/1)',
      '/tables/1/cells/2/postRestoreActions/1 names unknown action "dance"',
    ]);
  });

  it('refuses a missing table', () => {
    const data = editableRules();
    data.tables.pop();
    assert.deepEqual(problemsOf(data), ['/tables must have at least 3 items']);
  });

  it('refuses a file that is not JSON, or is missing, with a usage error', async () => {
    const path = join(dir, 'broken.json');
    await writeFile(path, '{ "formatVersion": 1,');
    await assert.rejects(loadRules(path), (err: unknown) => isRulesError(err) && err.message.startsWith(`Rules file ${path} is not JSON`));
    const missing = join(dir, 'absent.json');
    await assert.rejects(loadRules(missing), (err: unknown) => isRulesError(err) && err.message === `Rules file ${missing} cannot be read: no such file.`);
  });

  it('refuses something that is not an object at all', () => {
    assert.deepEqual(problemsOf([]), ['/ must be an object']);
  });
});
