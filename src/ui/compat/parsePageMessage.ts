import { FACT_KEYS, type FactKey } from '../../compat/facts';
import { parseSourceRef } from './compatSelection';
import type { PageMessage } from './protocol';

/**
 * Checks a message from the page before the host acts on it: the page runs web content, so its messages are
 * input like any other. Returns undefined for anything that is not a well-formed PageMessage.
 */
export function parsePageMessage(value: unknown): PageMessage | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const m = value as Record<string, unknown>;
  switch (m.type) {
    case 'ready':
    case 'refresh':
    case 'browseBackup':
    case 'restore':
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
