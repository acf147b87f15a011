import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as fc from 'fast-check';
import { evaluateSelection } from '../../../src/compat/evaluateRestore';
import { bundledRules as loadBundledRules, loadRules } from '../../../src/compat/loadRules';
import bundledRules from '../../../src/compat/rules/optimalBiz.json';
import { SOURCE_KINDS, TARGET_RELATIONS } from '../../../src/compat/rulesModel';
import bundledKnowledge from '../../../src/doctor/knowledge/failures.json';
import { explainText } from '../../../src/doctor/explainText';
import { bundledKnowledgeBase, validateKnowledgeBase } from '../../../src/doctor/loadKnowledgeBase';
import { mutatedJson } from '../jsonMutation';
import { type FuzzTarget } from '../fuzzTarget';

/** A custom rules file as `matrix --rules` and `preflight --rules` use it: read, validated, then every cell evaluated. */
export function compatRulesTarget(): FuzzTarget<string> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'iosbr-fuzz-rules-'));
  const file = path.join(dir, 'rules.json');
  // The first load compiles the schema once per process (seconds on a busy machine); that is no case's cost.
  loadBundledRules();
  return {
    name: 'compat-rules',
    arbitrary: fc.oneof({ weight: 6, arbitrary: mutatedJson(bundledRules) }, { weight: 1, arbitrary: fc.string({ maxLength: 200 }) }),
    sliceCases: 1000,
    async run(text) {
      writeFileSync(file, text);
      const rules = await loadRules(file);
      for (const source of SOURCE_KINDS) for (const target of TARGET_RELATIONS) for (const targetSupervised of [true, false]) evaluateSelection(rules, { source, target, targetSupervised });
    },
    describe: (text) => text.slice(0, 2048),
    close: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Sample texts the doctor reads: an idevicebackup2 failure, an error name, a bare code. */
const TEXTS = [
  'ErrorCode 211: Restore failed (MBErrorDomain/211)\nidevicebackup2: Restore Failed (Error Code -205)\nError: Find My iPhone is on',
  'PairingDialogResponsePending',
  '-211',
  `${'a'.repeat(4000)}!\n${'0'.repeat(3000)}x\n${' MBErrorDomain'.repeat(300)}`,
];

/** A knowledge base as validateKnowledgeBase checks it, then used to explain texts (its patterns run on every line). */
export function knowledgeBaseTarget(): FuzzTarget<string> {
  // As for the rules: the schema is compiled once, before the first case.
  bundledKnowledgeBase();
  return {
    name: 'knowledge-base',
    arbitrary: mutatedJson(bundledKnowledge),
    sliceCases: 300,
    run(text) {
      const kb = validateKnowledgeBase(JSON.parse(text), '(fuzzed)');
      for (const sample of TEXTS) explainText(sample, kb);
    },
    describe: (text) => text.slice(0, 2048),
  };
}
