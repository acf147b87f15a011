import * as assert from 'node:assert/strict';
import { evaluateSelection } from '../../../src/compat/evaluateRestore';
import { bundledRules } from '../../../src/compat/loadRules';
import type { AgentState, MdmState, SourceKind, TargetRelation } from '../../../src/compat/rulesModel';

/**
 * Seed document 003's three tables, typed in by hand from the Japanese original
 * (symbols and remarks exactly as printed), independently of optimalBiz.json.
 */
const DOCUMENT_TABLES: Record<SourceKind, readonly (readonly [string, string, string, string, string, string])[]> = {
  // 復元先端末 (同端末/別端末), 復元先端末 (監視対象/非監視対象), サポート, エージェント 認証状態, MDM 認証状態, 備考
  unsupervised: [
    ['同端末', '非監視対象', '○', '○', '○', 'なし'],
    ['同端末', '監視対象', '×', '-', '-', '-'],
    ['別端末', '非監視対象', '○', '△ ※再認証が必要', '×', '復元後、キッティングが必要 iOSエージェントの再認証が必要'],
    ['別端末', '監視対象', '○', '△ ※再認証が必要', '○', 'iOSエージェントの再認証が必要'],
  ],
  supervised: [
    ['同端末', '非監視対象', '○', '○', '○', '監視対象状態となる'],
    ['同端末', '監視対象', '○', '○', '○', '-'],
    ['別端末', '非監視対象', '○', '△ ※再認証が必要', '×', '復元後、キッティングが必要 iOSエージェントの再認証が必要'],
    ['別端末', '監視対象', '○', '△ ※再認証が必要', '○', 'iOSエージェントの再認証が必要'],
  ],
  'no-mdm': [
    ['同端末', '非監視対象', '○', '×', '×', '復元後に通常認証が必要'],
    ['同端末', '監視対象', '×', '-', '-', '-'],
    ['別端末', '非監視対象', '○', '×', '×', '復元後に通常認証が必要'],
    // The original prints "iOSEージェント" here, a typo for iOSエージェント (as in every other row).
    ['別端末', '監視対象', '○', '×', '○', 'iOSエージェントのインストール・認証が必要'],
  ],
};

const TARGET: Record<string, TargetRelation> = { 同端末: 'same', 別端末: 'different' };
const SUPERVISED: Record<string, boolean> = { 監視対象: true, 非監視対象: false };
const SUPPORTED: Record<string, boolean> = { '○': true, '×': false };
const AGENT: Record<string, AgentState> = { '○': 'ok', '△ ※再認証が必要': 'reauth', '×': 'ng', '-': 'n/a' };
const MDM: Record<string, MdmState> = { '○': 'ok', '×': 'ng', '-': 'n/a' };

/** The post-restore work each remark calls for, by action id. */
const ACTIONS_FOR_REMARK: Record<string, string[]> = {
  なし: [],
  '-': [],
  監視対象状態となる: [],
  '復元後、キッティングが必要 iOSエージェントの再認証が必要': ['kitting', 'reauthenticate-agent'],
  iOSエージェントの再認証が必要: ['reauthenticate-agent'],
  復元後に通常認証が必要: ['normal-authentication'],
  iOSエージェントのインストール・認証が必要: ['install-and-authenticate-agent'],
};

describe('compat: the 12 cells of the MDM vendor\'s compatibility table', () => {
  const rules = bundledRules();

  it('has exactly 12 cells', () => {
    assert.equal(rules.tables.reduce((n, t) => n + t.cells.length, 0), 12);
  });

  for (const [source, rows] of Object.entries(DOCUMENT_TABLES) as [SourceKind, typeof DOCUMENT_TABLES[SourceKind]][]) {
    for (const [targetJa, supervisedJa, supportedSym, agentSym, mdmSym, remarksJa] of rows) {
      const selection = { source, target: TARGET[targetJa], targetSupervised: SUPERVISED[supervisedJa] };
      it(`${source} → ${targetJa} ${supervisedJa}: ${supportedSym} ${agentSym} ${mdmSym} ${remarksJa}`, () => {
        const report = evaluateSelection(rules, selection);
        assert.equal(report.cell.source, source);
        assert.equal(report.cell.target, selection.target);
        assert.equal(report.cell.targetSupervised, selection.targetSupervised);
        assert.equal(report.cell.supported, SUPPORTED[supportedSym]);
        assert.equal(report.tableSupported, SUPPORTED[supportedSym] ? 'yes' : 'no');
        assert.equal(report.cell.agent, AGENT[agentSym]);
        assert.equal(report.agent, AGENT[agentSym]);
        assert.equal(report.cell.mdm, MDM[mdmSym]);
        assert.equal(report.mdm, MDM[mdmSym]);
        assert.equal(report.cell.remarks.ja, remarksJa);
        assert.ok(report.cell.remarks.en.length > 0);
        assert.deepEqual(report.postRestoreActions.map((a) => a.id), ACTIONS_FOR_REMARK[remarksJa]);
        assert.deepEqual(report.candidates, [report.cell]);
        assert.equal(rules.legend.agent[report.cell.agent].symbol, agentSym.charAt(0));
        assert.equal(rules.legend.mdm[report.cell.mdm].symbol, mdmSym);
        assert.equal(rules.legend.supported[report.cell.supported ? 'yes' : 'no'].symbol, supportedSym);
      });
    }
  }

  it('offers kitting a different device instead of the unsupervised → same supervised restore', () => {
    const report = evaluateSelection(rules, { source: 'unsupervised', target: 'same', targetSupervised: true });
    assert.deepEqual(report.alternativeActions.map((a) => a.id), ['kit-different-device']);
    assert.equal(report.alternativeActions[0].title.ja, '別の端末でキッティングしてください。');
  });
});
