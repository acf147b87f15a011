/** The device log commands, as contributed in package.json (a unit test keeps the two equal). */
export const DEVICE_LOG_COMMAND_IDS = [
  'iosbr.deviceLog.show',
  'iosbr.deviceLog.filter',
  'iosbr.deviceLog.pause',
  'iosbr.deviceLog.resume',
  'iosbr.deviceLog.save',
  'iosbr.deviceLog.stop',
] as const;

/** A device log command id. */
export type DeviceLogCommandId = (typeof DEVICE_LOG_COMMAND_IDS)[number];
