import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { silentLogger } from '../../../../src/common/logger';
import { contentDigest } from '../../../../src/simulator/restore/contentDigest';
import type { RestoreRecord } from '../../../../src/simulator/restore/restoreRecords';
import { RestoredDeviceState } from '../../../../src/simulator/restore/restoredDeviceState';
import { RestoreStaging } from '../../../../src/simulator/restore/restoreStaging';
import type { StoredEntry } from '../../../../src/simulator/restore/storedContent';
import { parseScenario, type SimulatedDeviceSpec } from '../../../../src/simulator/scenario';
import { computeFileId } from '../../../../src/backup/format/fileId';
import { createHash } from 'node:crypto';

const UDID = '00008110-000A1B2C3D4E801E';

function spec(extra: object = {}): SimulatedDeviceSpec {
  return parseScenario({ devices: [{ udid: UDID, name: 'Before', dataset: { files: 5, totalBytes: 5000, seed: 1 }, ...extra }] }).devices[0];
}

/** Stages a one-file restore the way a RestoreSession does, and records it as pending. */
function stageOneFile(state: RestoredDeviceState, base: SimulatedDeviceSpec, bytes: Buffer): RestoreRecord {
  const staging = RestoreStaging.create(state.root);
  const fileID = computeFileId('HomeDomain', 'Library/restored.txt');
  writeFileSync(staging.contentPath(fileID), bytes);
  const entry: StoredEntry = {
    domain: 'HomeDomain', relativePath: 'Library/restored.txt', fileID, kind: 'file', size: bytes.length, mode: 0o100644, inode: 1,
    birth: 1, lastModified: 2, protectionClass: 3, contentVersion: 0, sha256: createHash('sha256').update(bytes).digest('hex'),
  };
  const record: RestoreRecord = {
    version: 1, base: state.scenarioBase(), facts: { name: 'After', supervised: true, mdm: 'enrolled' }, restoredFrom: 'SOURCE-UDID',
    restoredAt: new Date().toISOString(), folder: staging.filesFolder, summary: contentDigest([entry]), entries: [entry],
  };
  state.stagePending(record);
  assert.equal(base.name, 'Before');
  return record;
}

describe('restored device state', () => {
  let stateDir: string;
  beforeEach(() => {
    stateDir = mkdtempSync(path.join(os.tmpdir(), 'iosbr-restored-state-'));
  });
  afterEach(() => rmSync(stateDir, { recursive: true, force: true }));

  it('holds a staged restore until boot, then serves its content, facts and digest, also after the simulator restarts', () => {
    const s = spec();
    const state = new RestoredDeviceState(stateDir, s, silentLogger);
    const generated = state.summary(s.dataset).digest;
    const record = stageOneFile(state, s, Buffer.from('restored bytes'));
    assert.equal(state.hasPendingRestore, true);
    assert.equal(state.applyFacts(s).name, 'Before', 'facts change only at the restart');
    assert.equal(state.summary(s.dataset).digest, generated);

    assert.ok(state.boot());
    assert.equal(state.hasPendingRestore, false);
    assert.equal(state.summary(s.dataset).digest, record.summary.digest);
    const facts = state.applyFacts(s);
    assert.deepEqual([facts.name, facts.supervised, facts.mdm], ['After', true, 'enrolled']);
    assert.equal(s.setupDone, true);
    assert.equal(facts.setupDone, false, 'a restored device boots into Setup Assistant');
    const content = state.currentContent(s.dataset);
    assert.equal(Buffer.concat([...content.content(content.files()[0])]).toString(), 'restored bytes');
    assert.equal(state.simulatorValues(s).ContentSource, 'restored');
    assert.equal(state.freeBytes(s), s.freeSpaceBytes + 5000 - 'restored bytes'.length);

    const again = new RestoredDeviceState(stateDir, s, silentLogger);
    assert.equal(again.summary(s.dataset).digest, record.summary.digest);
    assert.equal(readdirSync(again.root).filter((n) => n.startsWith('staging-')).length, 0, 'the staging folder became the content folder');
  });

  it('a device that starts with a staged restore (the simulator stopped before the restart) moves it into place', () => {
    const s = spec();
    const record = stageOneFile(new RestoredDeviceState(stateDir, s, silentLogger), s, Buffer.from('x'));
    const booted = new RestoredDeviceState(stateDir, s, silentLogger);
    assert.equal(booted.hasPendingRestore, false);
    assert.equal(booted.summary(s.dataset).digest, record.summary.digest);
  });

  it('forgets the restore when the scenario sets the device up afresh', () => {
    const s = spec();
    const state = new RestoredDeviceState(stateDir, s, silentLogger);
    stageOneFile(state, s, Buffer.from('x'));
    state.boot();
    state.scenarioChanged(spec({ supervised: true }));
    assert.equal(state.simulatorValues(spec({ supervised: true })).ContentSource, 'generated');
    assert.equal(readdirSync(state.root).filter((n) => n.startsWith('content-')).length, 0);
  });

  it('removes staging folders a crash left behind, and ignores records it cannot read', () => {
    const s = spec();
    const first = new RestoredDeviceState(stateDir, s, silentLogger);
    mkdirSync(path.join(first.root, 'staging-00000000-0000-4000-8000-000000000000', 'files'), { recursive: true });
    writeFileSync(path.join(first.root, 'content.json'), '{"version":1,"folder":"../../etc"}');
    const second = new RestoredDeviceState(stateDir, s, silentLogger);
    assert.equal(existsSync(path.join(second.root, 'staging-00000000-0000-4000-8000-000000000000')), false);
    assert.equal(second.simulatorValues(s).ContentSource, 'generated');
  });
});
