import { FACT_KEYS, type FactKey } from '../../compat/facts';
import { parseSourceRef } from './compatSelection';
import type { PageMessage } from './panelMessages';

/** A page message the host may act on, or why it may not. */
export type ParsedPageMessage = { ok: true; message: PageMessage } | { ok: false; problem: 'malformed' | 'unknown-backup-folder' };

/**
 * Checks a message from the page before the host acts on it: the page runs web content, so its messages are
 * input like any other. A backup folder it names as the source must be one the host offered
 * (`isKnownBackupFolder`: listed in the Backups view or picked in the folder dialog).
 */
export function parsePageMessage(value: unknown, isKnownBackupFolder: (dir: string) => boolean): ParsedPageMessage {
  const message = wellFormedMessage(value);
  if (message === undefined) return { ok: false, problem: 'malformed' };
  if (message.type === 'selectSource' && message.source?.kind === 'backup' && !isKnownBackupFolder(message.source.dir)) {
    return { ok: false, problem: 'unknown-backup-folder' };
  }
  return { ok: true, message };
}

/** The message when it has the shape of a PageMessage; undefined for anything else. */
function wellFormedMessage(value: unknown): PageMessage | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const m = value as Record<string, unknown>;
  switch (m.type) {
    case 'ready':
    case 'refresh':
    case 'browseBackup':
    case 'restore':
    case 'verifyBackup':
      return { type: m.type };
    case 'selectSource':
      if (m.source === null) return { type: 'selectSource', source: null };
      {
        const source = parseSourceRef(m.source);
        return source === null ? undefined : { type: 'selectSource', source };
      }
    case 'selectTarget':
      if (m.udid === null || (typeof m.udid === 'string' && m.udid !== '')) return { type: 'selectTarget', udid: m.udid };
      return undefined;
    case 'selectMethod':
      return typeof m.methodId === 'string' && m.methodId !== '' ? { type: 'selectMethod', methodId: m.methodId } : undefined;
    case 'answer':
      if (!isFactKey(m.fact)) return undefined;
      if (m.value === null || typeof m.value === 'boolean' || typeof m.value === 'string') return { type: 'answer', fact: m.fact, value: m.value };
      return undefined;
    default:
      return undefined;
  }
}

function isFactKey(value: unknown): value is FactKey {
  return typeof value === 'string' && (FACT_KEYS as readonly string[]).includes(value);
}
