import type * as vscode from 'vscode';
import type { CommandDeps } from '../commandDeps';
import { targetDeviceLogSession } from './targetDeviceLogSession';

/** Pause Device Log: freezes the document while lines keep arriving into the history. */
export function pauseDeviceLog(deps: CommandDeps, uri?: vscode.Uri): void {
  targetDeviceLogSession(deps, uri)?.pause();
}

/** Resume Device Log: shows what arrived while paused and follows the stream again. */
export function resumeDeviceLog(deps: CommandDeps, uri?: vscode.Uri): void {
  targetDeviceLogSession(deps, uri)?.resume();
}

/** Stop Device Log Stream: ends the stream; the document keeps what it showed, with a closing line. */
export function stopDeviceLog(deps: CommandDeps, uri?: vscode.Uri): void {
  targetDeviceLogSession(deps, uri)?.stop();
}
