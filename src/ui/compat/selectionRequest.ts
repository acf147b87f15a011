import type { SourceRef } from './compatSelection';

/** What a "Check Restore Compatibility" invocation asks the panel to select. */
export interface SelectionRequest {
  source?: SourceRef;
  targetUdid?: string;
}

type NodeRef = { kind: 'backup'; dir: string } | { kind: 'device'; udid: string; role?: 'source' | 'target' };

/**
 * Reads the arguments of `iosbr.compat.show` from a tree context menu, the palette or another command.
 * Nodes are matched by shape, not class: `{ backupDir }` or a Backups-view node (`{ kind: 'backup', model: { dir } }`)
 * is a backup; `{ udid }` or a Devices-view node (`{ kind: 'device', model: { udid } }`) is a device, optionally
 * with `role: 'source' | 'target'`. A backup is the source and a device the target ("can I restore to this
 * device?"). With two nodes selected, a backup is the source and the device the target; with two devices the
 * right-clicked one is the target and the other the source (the tree lists selections in its own order, not
 * in the order they were picked, so the click is the only meaningful signal).
 */
export function selectionRequestFromArgs(node: unknown, nodes?: unknown): SelectionRequest {
  // VS Code passes the clicked node and, for a multi-selection, every selected node (the clicked one included).
  const clicked = nodeRef(node);
  const others = (Array.isArray(nodes) ? nodes : []).map(nodeRef).filter((r): r is NodeRef => r !== undefined && !sameRef(r, clicked));
  const refs = clicked ? [clicked, ...others] : others;
  if (refs.length === 0) return {};
  if (refs.length === 1) {
    const only = refs[0];
    if (only.kind === 'backup') return { source: only };
    return only.role === 'source' ? { source: { kind: 'device', udid: only.udid } } : { targetUdid: only.udid };
  }
  const backup = refs.find((r): r is Extract<NodeRef, { kind: 'backup' }> => r.kind === 'backup');
  const devices = refs.filter((r): r is Extract<NodeRef, { kind: 'device' }> => r.kind === 'device');
  if (backup) return devices.length > 0 ? { source: backup, targetUdid: devices[0].udid } : { source: backup };
  // refs[0] is the clicked device: the target unless a role says otherwise.
  const target = devices.find((d) => d.role === 'target') ?? devices.find((d) => d.role !== 'source') ?? devices[0];
  const source = devices.find((d) => d !== target) as Extract<NodeRef, { kind: 'device' }>;
  return { source: { kind: 'device', udid: source.udid }, targetUdid: target.udid };
}

function sameRef(a: NodeRef, b: NodeRef | undefined): boolean {
  if (b === undefined || a.kind !== b.kind) return false;
  return a.kind === 'backup' ? a.dir === (b as typeof a).dir : a.udid.toLowerCase() === (b as typeof a).udid.toLowerCase();
}

function nodeRef(value: unknown): NodeRef | undefined {
  if (!isRecord(value)) return undefined;
  if (isText(value.backupDir)) return { kind: 'backup', dir: value.backupDir };
  const model = isRecord(value.model) ? value.model : undefined;
  if (value.kind === 'backup' && model && isText(model.dir)) return { kind: 'backup', dir: model.dir };
  const udid = isText(value.udid) ? value.udid : value.kind === 'device' && model && isText(model.udid) ? model.udid : undefined;
  if (udid === undefined) return undefined;
  const role = value.role === 'source' || value.role === 'target' ? value.role : undefined;
  return { kind: 'device', udid, role };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function isText(value: unknown): value is string {
  return typeof value === 'string' && value !== '';
}
