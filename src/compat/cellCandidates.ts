import type { FactKey, RestoreSituation } from './facts';
import type { CompatCell, CompatRules, SourceKind } from './rulesModel';

/** A table cell together with the kind of backup device its table is for. */
export interface MatrixCell extends CompatCell {
  source: SourceKind;
}

/** The cells consistent with what is known, and the facts that would narrow them down. */
export interface CellCandidates {
  cells: MatrixCell[];
  missingFacts: FactKey[];
}

/** Finds every cell of the rules that the known facts do not rule out (exactly one when all are known). */
export function findCandidateCells(rules: CompatRules, situation: RestoreSituation): CellCandidates {
  const sources = possibleSourceKinds(situation);
  const cells: MatrixCell[] = [];
  for (const table of rules.tables) {
    if (!sources.includes(table.source)) continue;
    for (const cell of table.cells) {
      if (situation.sameDevice !== undefined && (cell.target === 'same') !== situation.sameDevice) continue;
      if (situation.targetSupervised !== undefined && cell.targetSupervised !== situation.targetSupervised) continue;
      cells.push({ ...cell, source: table.source });
    }
  }
  return { cells, missingFacts: missingCellFacts(situation, sources) };
}

/** The table(s) a backup can belong to: MDM enrolment picks "no MDM", supervision splits the enrolled ones. */
export function possibleSourceKinds(situation: RestoreSituation): SourceKind[] {
  const { sourceMdmEnrolledAtBackup: enrolled, sourceSupervisedAtBackup: supervised } = situation;
  const kinds: SourceKind[] = [];
  if (enrolled !== false) {
    if (supervised !== true) kinds.push('unsupervised');
    if (supervised !== false) kinds.push('supervised');
  }
  if (enrolled !== true) kinds.push('no-mdm');
  return kinds;
}

function missingCellFacts(situation: RestoreSituation, sources: readonly SourceKind[]): FactKey[] {
  const missing: FactKey[] = [];
  if (sources.length > 1) {
    if (situation.sourceMdmEnrolledAtBackup === undefined) missing.push('source.mdmEnrolledAtBackup');
    // Supervision only picks between the two enrolled tables; it does not matter once the backup is known to have no MDM.
    if (situation.sourceSupervisedAtBackup === undefined && situation.sourceMdmEnrolledAtBackup !== false) {
      missing.push('source.supervisedAtBackup');
    }
  }
  if (situation.sameDevice === undefined) missing.push(...situation.sameDeviceUnknownBecause);
  if (situation.targetSupervised === undefined) missing.push('target.supervised');
  return missing;
}
