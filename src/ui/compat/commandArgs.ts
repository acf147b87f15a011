import type { SourceRef } from './compatSelection';

/** What a "Check Restore Compatibility" invocation asks the panel to select. */
export interface SelectionRequest {
  source?: SourceRef;
  targetUdid?: string;
}

type NodeRef = { kind: 'backup'; dir: string } | { kind: 'device'; udid: string; role?: 'source' | 'target' };

/**
 * Reads the arguments of `iosbr.compat.show` from a tree context menu, the palette or another command.
 * Tree nodes are matched by shape, not class: `{ backupDir }` is a backup, `{ udid }` a device (optionally with
 * `role: 'source' | 'target'`). A backup is the source and a device the target ("can I restore to this
 * device?"); with a multi-selection of two, the backup (or the first device) is the source and the other the target.
 */
export function selectionRequestFromArgs(node: unknown, nodes?: unknown): SelectionRequest {
  // VS Code passes the clicked node and, for a multi-selection, every selected node.
  const items = Array.isArray(nodes) && nodes.length > 1 ? nodes : node === undefined ? [] : [node];
  const refs = items.map(nodeRef).filter((r): r is NodeRef => r !== undefined);
  if (refs.length === 0) return {};
  if (refs.length === 1) {
    const only = refs[0];
    if (only.kind === 'backup') return { source: only };
    return only.role === 'source' ? { source: { kind: 'device', udid: only.udid } } : { targetUdid: only.udid };
  }
  const backup = refs.find((r) => r.kind === 'backup');
  const devices = refs.filter((r): r is Extract<NodeRef, { kind: 'device' }> => r.kind === 'device');
  if (backup && backup.kind === 'backup') return devices.length > 0 ? { source: backup, targetUdid: devices[0].udid } : { source: backup };
  const source = devices.find((d) => d.role === 'source') ?? devices.find((d) => d.role !== 'target') ?? devices[0];
  const target = devices.find((d) => d !== source);
  return { source: { kind: 'device', udid: source.udid }, targetUdid: target?.udid };
}

function nodeRef(value: unknown): NodeRef | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const node = value as Record<string, unknown>;
  if (typeof node.backupDir === 'string' && node.backupDir !== '') return { kind: 'backup', dir: node.backupDir };
  if (typeof node.udid === 'string' && node.udid !== '') {
    const role = node.role === 'source' || node.role === 'target' ? node.role : undefined;
    return { kind: 'device', udid: node.udid, role };
  }
  return undefined;
}
