/**
 * Every command this extension registers, as contributed in package.json (a unit test keeps the two
 * equal). `iosbr.compat.*` belongs to the compatibility-matrix panel and is registered there.
 */
export const COMMAND_IDS = [
  'iosbr.devices.refresh',
  'iosbr.devices.pair',
  'iosbr.devices.unpair',
  'iosbr.devices.showInfo',
  'iosbr.devices.copyValue',
  'iosbr.devices.backup',
  'iosbr.devices.backupFull',
  'iosbr.devices.encryption.enable',
  'iosbr.devices.encryption.disable',
  'iosbr.devices.encryption.changePassword',
  'iosbr.backups.refresh',
  'iosbr.backups.reveal',
  'iosbr.backups.verifyPassword',
  'iosbr.backups.verify',
  'iosbr.backups.forgetPassword',
  'iosbr.backups.listFiles',
  'iosbr.backups.extract',
  'iosbr.backups.restore',
  'iosbr.demo.start',
  'iosbr.demo.stop',
  'iosbr.log.show',
  'iosbr.diagnostics.export',
  'iosbr.doctor.explain',
] as const;

/** A command id of this extension. */
export type CommandId = (typeof COMMAND_IDS)[number];
