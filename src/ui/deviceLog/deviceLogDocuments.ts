import * as vscode from 'vscode';
import type { DeviceLogSession } from './deviceLogSession';

/** The URI scheme of streaming device logs (read-only documents). */
export const DEVICE_LOG_SCHEME = 'ios-device-log';

/** A file name from a device name: no path separators or characters file systems refuse. */
function fileNameFor(deviceName: string): string {
  return deviceName.replace(/[\\/:*?"<>|\u0000-\u001f]/g, '-').trim() || 'iPhone';
}

/**
 * The read-only documents device logs stream into: a TextDocumentContentProvider on the
 * `ios-device-log` scheme whose paths end in `.devicelog`, so the editor gives them the device log
 * language (grammar, hovers). Each document belongs to one DeviceLogSession.
 */
export class DeviceLogDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  /** Fires when a document's text or its session's state changed. */
  readonly onDidChange = this.changed.event;
  private readonly sessions = new Map<string, { uri: vscode.Uri; session: DeviceLogSession }>();
  private runs = 0;

  /**
   * Starts a session for a device and gives it a document URI named after the device (a second
   * stream of the same device gets a new document). Nothing is kept when starting fails.
   */
  async open(udid: string, fallbackName: string, start: (session: DeviceLogSession) => Promise<void>): Promise<vscode.Uri> {
    let uri: vscode.Uri | undefined;
    // The session's code (lockdown, syslog_relay, the record parser) loads with the first device log, not at activation.
    const { DeviceLogSession } = await import('./deviceLogSession');
    // Lines may arrive before the URI exists; the document then reads them all when it opens.
    const session = new DeviceLogSession(udid, fallbackName, () => uri && this.changed.fire(uri));
    try {
      await start(session);
    } catch (err) {
      session.dispose();
      throw err;
    }
    uri = vscode.Uri.from({ scheme: DEVICE_LOG_SCHEME, path: `/${udid}/${fileNameFor(session.deviceName)}.devicelog`, query: `run=${++this.runs}` });
    this.sessions.set(uri.toString(), { uri, session });
    return uri;
  }

  /** The session a device log document shows. */
  sessionOf(uri: vscode.Uri | undefined): DeviceLogSession | undefined {
    return uri ? this.sessions.get(uri.toString())?.session : undefined;
  }

  /** The streaming session of a device, if one is running. */
  streamingFor(udid: string): { uri: vscode.Uri; session: DeviceLogSession } | undefined {
    return [...this.sessions.values()].find((e) => e.session.udid === udid && e.session.state !== 'ended');
  }

  /** Forgets a session (its document was closed). */
  release(uri: vscode.Uri): void {
    const entry = this.sessions.get(uri.toString());
    if (!entry) return;
    entry.session.dispose();
    this.sessions.delete(uri.toString());
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.sessionOf(uri)?.view.text() ?? '';
  }

  dispose(): void {
    for (const { session } of this.sessions.values()) session.dispose();
    this.sessions.clear();
    this.changed.dispose();
  }
}
