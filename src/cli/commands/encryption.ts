import { tokenFromAbortSignal } from '../../common/cancellation';
import { changeBackupEncryption, isPasswordCouldNotBeSetError, type EncryptionChange } from '../../backup/encryptionSetting/backupEncryption';
import { recoverPasswordCouldNotBeSet, type RecoveryStep } from '../../backup/encryptionSetting/passwordRecovery';
import { UsageError } from '../../common/errors';
import { hasFlag, requirePositional } from '../args';
import { backupRootFromArgs } from '../backupArgs';
import { command, type CliContext } from '../context';
import { deviceFromArgs } from '../deviceArgs';
import { forgottenPasswordGuidance, StdinPasswords, takePassword } from '../passwords';
import { backupProgressPrinter } from '../transferProgress';

const ACTIONS = ['on', 'off', 'change'] as const;

/** "The password could not be set" in plain words: what happened, why, and what --recover will do. */
const COULD_NOT_BE_SET_EXPLANATION = [
  'What happened: the device refused the new backup password ("The password you entered to protect your iPhone backup could not be set").',
  'Why: after "Reset All Settings" the device does not accept a backup password until an unencrypted backup has completed.',
  'What --recover does (the documented workaround):',
  '  1. makes an unencrypted backup and lets it finish (do not unplug the device),',
  '  2. sets the SAME password again,',
  '  3. makes the encrypted backup,',
  '  4. proves the encrypted backup opens with that password.',
  'Run: iosbr encryption <udid> on --recover [--dir <root>]  (the password again from IOSBR_PASSWORD or --password-stdin)',
];

const STEP_TEXT: Record<RecoveryStep, string> = {
  'unencrypted-backup': 'Step 1/4: making an unencrypted backup (let it finish; do not unplug the device)…',
  'set-password': 'Step 2/4: setting the same backup password again…',
  'encrypted-backup': 'Step 3/4: making the encrypted backup…',
  verify: 'Step 4/4: checking that the password opens the encrypted backup…',
};

/** The passwords the action needs, from stdin (one per line) or IOSBR_PASSWORD / IOSBR_NEW_PASSWORD. */
async function changeFromContext(ctx: CliContext, action: (typeof ACTIONS)[number]): Promise<EncryptionChange> {
  const stdin = new StdinPasswords(ctx.stdin);
  const fromStdin = hasFlag(ctx.args, 'password-stdin');
  const first = () => takePassword({ fromStdin, stdin, env: ctx.env, envName: 'IOSBR_PASSWORD', line: 0 });
  try {
    if (action === 'on') return { kind: 'on', newPassword: await first() };
    if (action === 'off') return { kind: 'off', oldPassword: await first() };
    return { kind: 'change', oldPassword: await first(), newPassword: await takePassword({ fromStdin, stdin, env: ctx.env, envName: 'IOSBR_NEW_PASSWORD', line: 1 }) };
  } catch (err) {
    if (action !== 'on') ctx.note(forgottenPasswordGuidance(ctx.env));
    throw err;
  }
}

/** `encryption <udid> on|off|change [--recover]`: backup encryption, including the workaround for "the password could not be set". */
export const encryptionCommand = command({
  usage: 'encryption <udid> on|off|change [--recover] [--dir <root>] [--password-stdin] [--json]',
  summary: 'turn backup encryption on or off, or change its password (IOSBR_PASSWORD / IOSBR_NEW_PASSWORD or --password-stdin)',
  flags: { booleans: ['recover'], values: ['dir'] },
  async run(ctx) {
    const { udid, mux } = deviceFromArgs(ctx);
    const action = requirePositional(ctx.args, 1, 'on, off or change') as (typeof ACTIONS)[number];
    if (!ACTIONS.includes(action)) throw new UsageError(`The action must be on, off or change (got "${action}").`);
    const recover = hasFlag(ctx.args, 'recover');
    if (recover && action !== 'on') throw new UsageError('--recover only goes with "on".');
    const change = await changeFromContext(ctx, action);
    try {
      const { willEncrypt } = await changeBackupEncryption(mux, udid, change, { logger: ctx.logger, onNotice: (t) => ctx.note(t) });
      if (ctx.json) ctx.out(JSON.stringify({ udid, willEncrypt }) + '\n');
      else ctx.out(`Backup encryption is now ${willEncrypt ? 'on' : 'off'} for ${udid}.\n`);
      return 0;
    } catch (err) {
      if (!isPasswordCouldNotBeSetError(err) || change.kind !== 'on') throw err;
      if (!recover) {
        ctx.note(COULD_NOT_BE_SET_EXPLANATION.join('\n'));
        throw err;
      }
      ctx.note('The device refused the password ("the password could not be set"); carrying out the documented workaround.');
      const result = await recoverPasswordCouldNotBeSet({
        mux,
        udid,
        root: backupRootFromArgs(ctx),
        password: change.newPassword,
        token: tokenFromAbortSignal(ctx.signal),
        logger: ctx.logger,
        onStep: (step) => ctx.note(STEP_TEXT[step]),
        onProgress: backupProgressPrinter(ctx),
        onNotice: (t) => ctx.note(t),
      });
      if (ctx.json) {
        ctx.out(JSON.stringify({ udid, willEncrypt: true, recovered: true, encryptedBackup: result.encryptedBackup.backupDir, verifiedEntries: result.verifiedEntries }) + '\n');
      } else {
        ctx.out(`Backup encryption is now on for ${udid}; the encrypted backup in ${result.encryptedBackup.backupDir} opens with that password (${result.verifiedEntries} entries).\n`);
      }
      return 0;
    }
  },
});
