import { readDeviceFacts } from '../../device/readDeviceFacts';
import type { DeviceFacts } from '../../device/deviceFacts';
import { command } from '../context';
import { deviceFromArgs } from '../deviceArgs';

const yesNo = (v: boolean | undefined, yes = 'yes', no = 'no'): string => (v === undefined ? 'unknown' : v ? yes : no);

/** The human-readable lines of `info`. */
function formatFacts(f: DeviceFacts): string[] {
  return [
    `Name:               ${f.name ?? 'unknown'}`,
    `Model:              ${f.marketingName ?? 'unknown model'} (${f.productType ?? '?'})`,
    `iOS:                ${f.iosVersion ?? '?'} (${f.buildVersion ?? '?'})`,
    `Serial number:      ${f.serialNumber ?? 'unknown'}`,
    `UDID:               ${f.udid}`,
    `Connection:         ${f.connectionType}`,
    `Paired / trusted:   ${yesNo(f.paired)}`,
    `Supervised:         ${yesNo(f.supervised)}`,
    `MDM:                ${f.mdm ?? 'unknown'}${f.organizationName ? ` (${f.organizationName})` : ''}`,
    `Backup encryption:  ${yesNo(f.backupEncryption, 'on', 'off')}`,
    `Find My:            ${yesNo(f.findMy, 'on', 'off')}`,
    // A device still in Setup Assistant is what the kitting bench restores to; SetupDone is lockdown's own word for it.
    `Setup Assistant:    ${yesNo(f.setupDone, 'finished', 'in progress (SetupDone false)')}`,
    ...(f.limitation ? [`Note:               ${f.limitation}`] : []),
  ];
}

/** `info <udid>`: the device facts the product works with. */
export const infoCommand = command({
  usage: 'info <udid> [--json]',
  summary: 'device values: model, iOS, supervised, MDM, backup encryption, Find My, Setup Assistant, trust',
  async run(ctx) {
    const { udid, mux } = deviceFromArgs(ctx);
    const facts = await readDeviceFacts(mux, udid, ctx.logger);
    if (ctx.json) ctx.out(JSON.stringify(facts, null, 2) + '\n');
    else ctx.out(formatFacts(facts).join('\n') + '\n');
    return 0;
  },
});
