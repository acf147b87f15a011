import type * as vscode from 'vscode';
import { targetSession, type DeviceLogCommandContext } from './deviceLogCommandContext';

/** Stop Device Log Stream: ends the stream; the document keeps what it showed, with a closing line. */
export function stopDeviceLog(context: DeviceLogCommandContext, uri?: vscode.Uri): void {
  targetSession(context, uri)?.stop();
}
