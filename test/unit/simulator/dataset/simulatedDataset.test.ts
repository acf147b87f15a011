import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { computeFileId } from '../../../../src/backup/format/fileId';
import { generateFileContent } from '../../../../src/simulator/dataset/contentStream';
import { filesChangedPerGeneration } from '../../../../src/simulator/dataset/generationChanges';
import { SimulatedDataset, type DatasetEntry } from '../../../../src/simulator/dataset/simulatedDataset';
import { planFileSizes } from '../../../../src/simulator/dataset/sizePlan';
import { MAX_DATASET_GENERATION, parseScenario, type DatasetSpec } from '../../../../src/simulator/scenario';

const SPEC: DatasetSpec = { files: 500, totalBytes: 10_000_000, seed: 7, generation: 0 };

function digest(chunks: Iterable<Buffer>): string {
  const hash = createHash('sha256');
  for (const chunk of chunks) hash.update(chunk);
  return hash.digest('hex');
}

const key = (e: DatasetEntry) => `${e.domain}-${e.relativePath}`;

describe('simulated dataset', () => {
  it('is deterministic: the same spec gives the same entries and the same content', () => {
    const a = SimulatedDataset.build(SPEC);
    const b = SimulatedDataset.build(SPEC);
    assert.deepEqual(a.entries, b.entries);
    for (const file of a.files().slice(0, 20)) assert.equal(digest(a.content(file)), digest(b.content(file)));
  });

  it('gives a different file set for a different seed', () => {
    const a = SimulatedDataset.build(SPEC);
    const b = SimulatedDataset.build({ ...SPEC, seed: 8 });
    assert.notDeepEqual(a.files().map(key), b.files().map(key));
  });

  it('has exactly `files` regular files whose sizes sum to totalBytes, with a few large ones', () => {
    const dataset = SimulatedDataset.build(SPEC);
    const files = dataset.files();
    assert.equal(files.length, SPEC.files);
    assert.equal(dataset.totalFileBytes(), SPEC.totalBytes);
    const sizes = files.map((f) => f.size).sort((x, y) => y - x);
    const median = sizes[Math.floor(sizes.length / 2)];
    assert.ok(sizes[0] > 50 * median, 'the largest file is far bigger than a typical one');
    assert.ok(sizes.filter((s) => s > SPEC.totalBytes / 50).length <= 8, 'only a few files are large');
    for (const files of [1, 2, 3, 20_000]) {
      for (const total of [0, 1, 999, 123_456_789]) {
        const plan = planFileSizes(files, total, 3);
        assert.equal(plan.length, files);
        assert.equal(plan.reduce((x, y) => x + y, 0), total, `${files} files, ${total} bytes`);
        assert.ok(plan.every((s) => Number.isInteger(s) && s >= 0));
      }
    }
  });

  it('spreads files over realistic domains with unique paths and correct fileIDs', () => {
    const dataset = SimulatedDataset.build(SPEC);
    const domains = new Set(dataset.entries.map((e) => e.domain));
    for (const domain of ['HomeDomain', 'MediaDomain', 'CameraRollDomain', 'KeychainDomain']) assert.ok(domains.has(domain), domain);
    assert.ok([...domains].some((d) => d.startsWith('AppDomain-com.example.')));
    assert.equal(new Set(dataset.entries.map(key)).size, dataset.entries.length, 'no entry twice');
    for (const entry of dataset.entries) {
      assert.equal(entry.fileID, computeFileId(entry.domain, entry.relativePath));
      assert.ok(!entry.relativePath.startsWith('/') && !entry.relativePath.split('/').includes('..'));
    }
  });

  it('lists every parent directory (and each domain root) as a directory entry', () => {
    const dataset = SimulatedDataset.build(SPEC);
    const directories = new Set(dataset.entries.filter((e) => e.kind === 'directory').map(key));
    for (const file of dataset.files()) {
      assert.ok(directories.has(`${file.domain}-`), `root of ${file.domain}`);
      const parts = file.relativePath.split('/');
      for (let depth = 1; depth < parts.length; depth++) assert.ok(directories.has(`${file.domain}-${parts.slice(0, depth).join('/')}`));
    }
    for (const dir of dataset.entries.filter((e) => e.kind === 'directory')) assert.equal(dir.size, 0);
  });

  it('streams content in chunks of at most 32 KiB that add up to the file size', () => {
    const dataset = SimulatedDataset.build(SPEC);
    const largest = dataset.files().reduce((a, b) => (b.size > a.size ? b : a));
    let total = 0;
    for (const chunk of dataset.content(largest)) {
      assert.ok(chunk.length > 0 && chunk.length <= 32 * 1024);
      total += chunk.length;
    }
    assert.equal(total, largest.size);
    const identity = { seed: 1, domain: 'HomeDomain', relativePath: 'a', contentVersion: 0 };
    // The bytes do not depend on the chunk size, only on the identity.
    assert.equal(digest(generateFileContent(identity, 100_000, 1000)), digest(generateFileContent(identity, 100_000, 32 * 1024)));
    assert.equal([...generateFileContent(identity, 0)].length, 0);
  });

  it('changes a small deterministic subset of files (content and mtime) per generation', () => {
    const g0 = SimulatedDataset.build(SPEC);
    const g1 = SimulatedDataset.build({ ...SPEC, generation: 1 });
    const g1again = SimulatedDataset.build({ ...SPEC, generation: 1 });
    assert.deepEqual(g1.entries, g1again.entries);
    const before = g0.files();
    const after = g1.files();
    assert.deepEqual(after.map(key), before.map(key), 'the same files exist');
    const changed = after.filter((f, i) => f.contentVersion !== before[i].contentVersion);
    assert.equal(changed.length, filesChangedPerGeneration(SPEC.files));
    assert.ok(changed.length >= 1 && changed.length <= SPEC.files / 20);
    for (let i = 0; i < after.length; i++) {
      if (after[i].contentVersion === before[i].contentVersion) {
        assert.deepEqual(after[i], before[i], 'unchanged files keep content version and dates');
      } else {
        assert.equal(after[i].size, before[i].size);
        assert.ok(after[i].lastModified > before[i].lastModified);
        assert.notEqual(digest(g1.content(after[i])), digest(g0.content(before[i])));
      }
    }
    assert.equal(g1.totalFileBytes(), SPEC.totalBytes);
    const g2 = SimulatedDataset.build({ ...SPEC, generation: 2 });
    const changedAgain = g2.files().filter((f, i) => f.contentVersion !== after[i].contentVersion);
    assert.ok(changedAgain.length >= 1 && changedAgain.every((f) => f.contentVersion === 2));
  });

  it('handles the empty dataset', () => {
    const dataset = SimulatedDataset.build({ files: 0, totalBytes: 0, seed: 1, generation: 3 });
    assert.equal(dataset.entries.length, 0);
  });
});

describe('scenario dataset.generation', () => {
  const udid = '00008110-000A1B2C3D4E801E';
  it('defaults to 0 and accepts a whole number', () => {
    assert.equal(parseScenario({ devices: [{ udid }] }).devices[0].dataset.generation, 0);
    assert.equal(parseScenario({ devices: [{ udid, dataset: { generation: 3 } }] }).devices[0].dataset.generation, 3);
  });
  it('names the field when the value is wrong', () => {
    for (const generation of [-1, 1.5, 'x', MAX_DATASET_GENERATION + 1]) {
      assert.throws(() => parseScenario({ devices: [{ udid, dataset: { generation } }] }), /devices\[0\]\.dataset\.generation/);
    }
  });
});
