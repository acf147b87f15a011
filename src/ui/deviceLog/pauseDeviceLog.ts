import type * as vscode from 'vscode';
import { targetSession, type DeviceLogCommandContext } from './deviceLogCommandContext';

/** Pause Device Log: freezes the document while lines keep arriving into the history. */
export function pauseDeviceLog(context: DeviceLogCommandContext, uri?: vscode.Uri): void {
  targetSession(context, uri)?.pause();
}
