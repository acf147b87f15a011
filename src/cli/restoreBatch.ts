import { sameUdid, recordedBackupUdid } from '../backup/format/backupUdid';
import { requireBackupFolder } from '../backup/inspect/backupFolderCheck';
import type { Lang } from '../common/localizedText';
import type { BenchRestorePlan } from '../kitting/kittingBench';
import { attachedUdids } from '../kitting/attachedDevices';
import { backupRootFromArgs } from './backupArgs';
import { runBench } from './benchRun';
import type { CliContext } from './context';
import { usbmuxFromContext } from './deviceArgs';
import type { DeviceSelection } from './deviceListArgs';
import { EXIT_FAILED } from './presentError';
import { restorePlanArgs, restoreSwitchesFromArgs } from './restoreArgs';

/** The note for `--all` leaving out the backup's own device: restoring a device from its own backup is not kitting. */
function ownDeviceNote(udid: string, lang: Lang): string {
  return lang === 'ja'
    ? `${udid} はこのバックアップの作成元のデバイスなので、--all の対象から外しました。このデバイスにも復元するには --to で UDID を指定してください。`
    : `Left out ${udid}: it is the device this backup was made from, and --all restores to the other devices; to restore to it as well, name it with --to.`;
}

/**
 * `restore --from <dir> --to <udid>... | --all`: one backup restored to many devices at once. The options and the
 * password are read once for the whole batch; the bench runs the restore checks per device (a device that fails one
 * is refused and nothing is sent to it) and restores the devices that pass, --jobs at a time. A --from that is not a
 * backup stops the batch before any device is touched.
 */
export async function restoreBatch(ctx: CliContext, selection: Extract<DeviceSelection, { kind: 'batch' }>): Promise<number> {
  const { backupDir, lang, rules, answers, password } = await restorePlanArgs(ctx);
  // The folder is checked once, as the single-device form checks it: a wrong --from is one sentence (exit 2), not a failed row per device.
  const { info, manifest } = await requireBackupFolder(backupDir);
  const mux = usbmuxFromContext(ctx);
  let udids = selection.udids;
  if (selection.all) {
    // The UDID the backup's own plists record (never its folder name).
    const own = recordedBackupUdid(info, manifest)?.udid;
    const attached = await attachedUdids(mux);
    const left = own === undefined ? undefined : attached.find((udid) => sameUdid(udid, own));
    if (left !== undefined) ctx.note(ownDeviceNote(left, lang));
    udids = attached.filter((udid) => udid !== left);
    if (udids.length === 0) {
      ctx.note(lang === 'ja' ? '復元先のデバイスが接続されていません。' : 'No devices to restore to are attached.');
      return EXIT_FAILED;
    }
  }
  const plan: BenchRestorePlan = { backupDir, password, answers, rules, ...restoreSwitchesFromArgs(ctx.args) };
  return runBench(ctx, { mux, backupRoot: backupRootFromArgs(ctx), jobs: selection.jobs, lang, addRows: (bench) => udids.forEach((udid) => bench.addRestore(udid, plan)) });
}
