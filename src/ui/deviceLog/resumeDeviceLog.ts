import type * as vscode from 'vscode';
import { targetSession, type DeviceLogCommandContext } from './deviceLogCommandContext';

/** Resume Device Log: shows what arrived while paused and follows the stream again. */
export function resumeDeviceLog(context: DeviceLogCommandContext, uri?: vscode.Uri): void {
  targetSession(context, uri)?.resume();
}
