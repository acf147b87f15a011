import {
  isAfcError,
  isBackupError,
  isDeviceToolError,
  isLockdownError,
  isMuxError,
  isPairingError,
  isServiceStartError,
} from '../common/errors';
import { failureIndexFor, type FailureIndex } from './failureIndex';
import type { ErrorOrigin, FailureFinding, FailureReport } from './failureReport';
import { DEFAULT_MAX_FINDINGS, explainText } from './explainText';
import type { CodeDomain, FailureKnowledgeBase, FailurePhase } from './knowledgeModel';
import { explainMobileBackupCode } from './lineFindings';
import { bundledKnowledgeBase } from './loadKnowledgeBase';
import { reading } from './numberReadings';
import { ReportBuilder } from './reportBuilder';
import { undocumentedNote, unknownNote } from './readingTexts';
import { MAX_EXCERPT_CHARS, maskSecrets } from './textExcerpt';

/** How deep the `cause` chain is followed. */
const MAX_CAUSE_DEPTH = 5;

/**
 * Explains one of the product's own thrown errors (BackupError.deviceErrorCode, LockdownError.lockdownCode,
 * PairingError and MuxError codes, AfcError status, or the codes and messages of anything else), following
 * `cause` until a level is recognised. Always returns at least one finding: an unknown one says what it parsed.
 */
export function explainError(err: unknown, kb: FailureKnowledgeBase = bundledKnowledgeBase()): FailureReport {
  const index = failureIndexFor(kb);
  const report = new ReportBuilder(index, DEFAULT_MAX_FINDINGS);
  const seen = new Set<unknown>();
  let current: unknown = err;
  let added = 0;
  for (let depth = 0; depth <= MAX_CAUSE_DEPTH && current !== undefined && current !== null && !seen.has(current); depth++) {
    seen.add(current);
    const findings = findingsForError(current, depth, index);
    for (const finding of findings) report.add(finding);
    added += findings.length;
    // The outermost level that is recognised says the most about what the user was doing.
    if (findings.some((f) => f.recognised)) break;
    current = current instanceof Error ? current.cause : undefined;
  }
  if (added === 0) report.add(unknownErrorFinding(err));
  return report.build();
}

function findingsForError(err: unknown, depth: number, index: FailureIndex): FailureFinding[] {
  if (typeof err === 'string') return fromMessage(err, { errorName: 'string', field: 'message', causeDepth: depth }, index);
  if (!(err instanceof Error)) return [];
  const errorCode = isDeviceToolError(err) ? err.code : undefined;
  const origin = (field: string): ErrorOrigin => ({ errorName: err.name, ...(errorCode ? { errorCode } : {}), field, causeDepth: depth });

  const byProductCode = errorCode ? index.entryForProductCode(errorCode) : undefined;
  const deviceCode = isBackupError(err) && err.deviceErrorCode !== undefined ? Math.abs(err.deviceErrorCode) : undefined;
  if (byProductCode) {
    const findings = [entryFinding(byProductCode.id, { form: 'product-error', name: errorCode, underlying: [] }, origin('code'), index)];
    // The product's code says what it meant. The device's code adds what the device said, but only when the entry
    // does not cover it already and it has one clear meaning (a list of every meaning of code 1 would only distract).
    const covered = byProductCode.match.codes?.some((c) => c.domain === 'MBErrorDomain' && c.code === deviceCode);
    if (deviceCode !== undefined && !covered) {
      const device = { origin: origin('deviceErrorCode'), ...explainMobileBackupCode(deviceCode, err.message, index, operationOf(errorCode)) };
      if (device.recognised && device.readings[0]?.entryIds.length === 1) findings.push(device);
    }
    return findings;
  }
  if (deviceCode !== undefined) {
    return [{ origin: origin('deviceErrorCode'), ...explainMobileBackupCode(deviceCode, err.message, index, operationOf(errorCode)) }];
  }
  const lockdownCode = isLockdownError(err) || isServiceStartError(err) ? err.lockdownCode : isPairingError(err) ? err.code.replace(/^pairing\./, '') : undefined;
  const byName = lockdownCode ? index.entryForName(lockdownCode) : undefined;
  if (lockdownCode && byName) {
    return [entryFinding(byName.id, { form: 'lockdown-error', name: lockdownCode, underlying: [] }, origin(isPairingError(err) ? 'code' : 'lockdownCode'), index)];
  }
  if (isMuxError(err) && err.resultNumber !== undefined) return [codeFinding('usbmuxd', err.resultNumber, origin('resultNumber'), index)];
  if (isAfcError(err)) return [codeFinding('AFC', err.status, origin('status'), index)];
  return fromMessage(err.message, origin('message'), index);
}

/** The findings of an error's message, read as text (it may quote the device's ErrorDescription). */
function fromMessage(message: string, origin: ErrorOrigin, index: FailureIndex): FailureFinding[] {
  return explainText(message, index.kb).findings.map((f) => ({ ...f, origin }));
}

function entryFinding(id: string, parsed: FailureFinding['parsed'], origin: ErrorOrigin, index: FailureIndex): FailureFinding {
  const recognised = index.entry(id)?.certainty !== 'undocumented';
  return { origin, parsed, readings: [], entryIds: [id], recognised, notes: recognised ? [] : [undocumentedNote()] };
}

function codeFinding(domain: CodeDomain, code: number, origin: ErrorOrigin, index: FailureIndex): FailureFinding {
  const r = reading(code, 'as-written', domain, code, index);
  const recognised = r.entryIds.some((id) => index.entry(id)?.certainty !== 'undocumented');
  const notes = r.entryIds.length === 0 ? [unknownNote({ en: `${domain} ${code}`, ja: `${domain} ${code}` })] : recognised ? [] : [undocumentedNote()];
  return { origin, parsed: { form: 'error-code', domain, code, underlying: [] }, readings: [r], entryIds: [...r.entryIds], recognised, notes };
}

/** Nothing in the knowledge base: the finding says so and shows what was parsed (class, code, message). */
function unknownErrorFinding(err: unknown): FailureFinding {
  const errorName = err instanceof Error ? err.name : typeof err;
  const errorCode = isDeviceToolError(err) ? err.code : undefined;
  const message = err instanceof Error ? err.message : String(err);
  const label = errorCode ?? errorName;
  return {
    origin: { errorName, ...(errorCode ? { errorCode } : {}), field: 'code', causeDepth: 0 },
    parsed: { form: 'product-error', name: label, description: maskSecrets(message.slice(0, MAX_EXCERPT_CHARS)), underlying: [] },
    readings: [],
    entryIds: [],
    recognised: false,
    notes: [unknownNote({ en: `The error ${label}`, ja: `エラー ${label}` })],
  };
}

/** The operation a product error code names by its prefix ("backup.…", "restore.…", "encryption.…"). */
function operationOf(errorCode: string | undefined): FailurePhase | undefined {
  const prefix = errorCode?.split('.')[0];
  return prefix === 'backup' || prefix === 'restore' || prefix === 'encryption' ? prefix : undefined;
}
