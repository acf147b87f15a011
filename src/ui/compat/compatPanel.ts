import * as vscode from 'vscode';
import { evaluateRestore } from '../../compat/evaluateRestore';
import type { FactKey } from '../../compat/facts';
import { bundledRules } from '../../compat/loadRules';
import type { CompatRules } from '../../compat/rulesModel';
import type { Lang } from '../../common/localizedText';
import { looksLikeBackup } from '../../backup/format/backupFolder';
import type { Logger } from '../../common/logger';
import { uiLanguage } from '../util/uiLanguage';
import { readBackupSnapshot, type BackupSnapshot } from './backupSnapshot';
import type { SelectionRequest } from './selectionRequest';
import { buildCompatHtml } from './compatHtml';
import { COMPAT_VIEW_TYPE, RESTORE_COMMAND, VERIFY_BACKUP_COMMAND } from './compatIds';
import {
  EMPTY_SELECTION,
  parseSelection,
  sameUdid,
  withAnswer,
  withMethod,
  withSource,
  withTarget,
  type CompatSelection,
  type FactAnswer,
  type FactAnswers,
} from './compatSelection';
import { deviceSnapshot, type BackupChoice, type CompatBackupSource, type CompatDeviceSource } from './compatSources';
import { createCompatStrings, type CompatStrings } from './compatStrings';
import { checkAnswer, type AnswerProblem } from './factAnswerKinds';
import type { KnownBackupFolders } from './knownBackupFolders';
import { buildMatrixViewModel } from './matrixViewModel';
import { createNonce } from './nonce';
import { parsePageMessage } from './parsePageMessage';
import type { HostMessage, PageMessage } from './panelMessages';
import { checksMatchSelection, type RestoreChecksRun } from './restoreChecksRun';
import { resolveRestoreFacts } from './restoreFacts';

/** What the panel needs from the rest of the extension (see registerCompatPanel). */
export interface CompatPanelServices {
  logger: Logger;
  /** The live device list shared with the Devices view. */
  devices: CompatDeviceSource;
  /** The local backups shared with the Backups view. */
  backups: CompatBackupSource;
  /** The passwords the engineer saved for backups (never asked for here): an encrypted backup's state needs one. */
  backupPasswords: { get(backupDir: string): Thenable<string | undefined> };
}

/** Shared by the command and the serializer: where the extension lives, its services, and the one open panel. */
export interface CompatPanelHost {
  readonly extensionUri: vscode.Uri;
  readonly services: CompatPanelServices;
  /** The folders a panel may use as a restore source; kept here so picks outlive a closed panel. */
  readonly knownBackups: KnownBackupFolders;
  current: CompatPanel | undefined;
}

/** Longest part of a page-supplied path written to the log. */
const LOGGED_PATH_CHARS = 300;

/** Device and backup changes arrive in bursts; one render per burst is enough. */
const RENDER_DEBOUNCE_MS = 100;

/**
 * The Restore Compatibility panel: one instance at most, created by the command or revived by the
 * serializer after a reload. It owns the selection, follows the shared device and backup lists while it is
 * open, evaluates the rules and posts the page a finished view model.
 */
export class CompatPanel {
  private readonly disposables: { dispose(): unknown }[] = [];
  private readonly rules: CompatRules = bundledRules();
  private readonly lang: Lang = uiLanguage(vscode.env.language);
  private readonly strings: CompatStrings = createCompatStrings(vscode.l10n);
  private readonly logger: Logger;
  private readonly backupCache = new Map<string, BackupSnapshot>();
  /** Backup folders being read for the panel, so one folder is read once at a time. */
  private readonly backupReads = new Map<string, Promise<void>>();
  /** Counts Refreshes (and backup folder changes): a read started before one is not cached. */
  private backupGeneration = 0;
  private backups: readonly BackupChoice[] = [];
  private answerErrors: Partial<Record<FactKey, AnswerProblem>> = {};
  /** The page posts `ready` once its script runs; nothing is posted before (it would be lost). */
  private ready = false;
  private renderSeq = 0;
  private renderTimer: NodeJS.Timeout | undefined;
  private disposed = false;
  /** The restore checks the restore command last ran; shown while the selection is their pair. */
  private restoreChecks: RestoreChecksRun | undefined;
  /** Settles once the backups were listed the first time; until then no source folder can be judged. */
  private readonly firstListing: Promise<void>;

  /** Shows the panel (creating it if needed) and applies what the command asked to select. */
  static createOrShow(host: CompatPanelHost, request: SelectionRequest): CompatPanel {
    if (host.current) {
      host.current.applyRequest(request);
      host.current.panel.reveal();
      return host.current;
    }
    const panel = vscode.window.createWebviewPanel(COMPAT_VIEW_TYPE, createCompatStrings(vscode.l10n).title, vscode.ViewColumn.Active, {
      enableFindWidget: true,
    });
    host.current = new CompatPanel(panel, host, EMPTY_SELECTION);
    host.current.applyRequest(request);
    return host.current;
  }

  /** Takes over a panel VS Code restored after a reload; `state` is what the page last saved with setState. */
  static revive(host: CompatPanelHost, panel: vscode.WebviewPanel, state: unknown): CompatPanel {
    host.current?.dispose();
    const saved = typeof state === 'object' && state !== null ? (state as { selection?: unknown }).selection : undefined;
    host.current = new CompatPanel(panel, host, parseSelection(saved));
    return host.current;
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly host: CompatPanelHost,
    private selection: CompatSelection,
  ) {
    // The caller scopes the logger (extension.ts passes logger.child('compat')).
    this.logger = host.services.logger;
    const mediaRoot = vscode.Uri.joinPath(host.extensionUri, 'media', 'compat');
    // Only the page's own folder is readable; the toolkit is bundled into its script there.
    panel.webview.options = { enableScripts: true, localResourceRoots: [mediaRoot] };
    panel.webview.html = this.html(mediaRoot);
    const { devices, backups } = host.services;
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((raw: unknown) => this.onMessage(raw)),
      devices.onDidChange(() => this.scheduleRender()),
      backups.onDidChange(() => {
        // The folder changed on disk or the setting moved it: what was read about backups may be stale.
        this.forgetBackups();
        void this.loadBackups();
      }),
    );
    // The Devices view may never have been opened (a panel revived after a reload activates the extension on its
    // own); the panel needs the device list all the same, and a usbmuxd that is not there yet is tried again.
    this.disposables.push(devices.hold());
    this.firstListing = this.loadBackups();
  }

  /** Closes the panel and stops following the device and backup lists. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.host.current === this) this.host.current = undefined;
    clearTimeout(this.renderTimer);
    this.panel.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
  }

  /** Selects the checks' backup and target and shows the checks (running, or their outcome). */
  showRestoreChecks(run: RestoreChecksRun): void {
    this.restoreChecks = run;
    this.selection = withTarget(withSource(this.selection, { kind: 'backup', dir: run.backupDir }), run.targetUdid);
    this.panel.reveal(undefined, true);
    void this.render();
  }

  /** The engineer's answers, when the panel compares exactly this backup and target. */
  answersFor(backupDir: string, targetUdid: string): FactAnswers {
    const source = this.selection.source;
    return source?.kind === 'backup' && source.dir === backupDir && sameUdid(this.selection.targetUdid, targetUdid) ? this.selection.answers : {};
  }

  /** Records an answer given outside the page. */
  recordAnswer(fact: FactKey, value: FactAnswer): void {
    this.answer(fact, value);
    void this.render();
  }

  private applyRequest(request: SelectionRequest): void {
    if (request.source) this.selection = withSource(this.selection, request.source);
    if (request.targetUdid) this.selection = withTarget(this.selection, request.targetUdid);
    void this.render();
  }

  private html(mediaRoot: vscode.Uri): string {
    const webview = this.panel.webview;
    return buildCompatHtml({
      cspSource: webview.cspSource,
      // A new nonce every time the HTML is set, so an old one is never valid again.
      nonce: createNonce(),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(mediaRoot, 'dist', 'main.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(mediaRoot, 'style.css')).toString(),
      lang: this.lang,
      title: this.strings.title,
      loadingText: this.strings.lookingForDevices,
    });
  }

  private onMessage(raw: unknown): void {
    const parsed = parsePageMessage(raw, (dir) => this.host.knownBackups.has(dir));
    if (!parsed.ok) {
      if (parsed.problem === 'malformed') this.logger.warn('ignored malformed message from the page');
      else this.logger.warn('refused a restore source from the page that is neither a listed backup nor a folder picked in this session', { dir: loggedDir(raw) });
      return;
    }
    const message = parsed.message;
    this.handle(message).catch((err: unknown) => this.logger.error('page message failed', { type: message.type, error: String(err) }));
  }

  private async handle(message: PageMessage): Promise<void> {
    switch (message.type) {
      case 'ready':
        this.ready = true;
        break;
      case 'selectSource':
        this.selection = withSource(this.selection, message.source);
        this.clearAnswerErrors('source.');
        break;
      case 'selectTarget':
        this.selection = withTarget(this.selection, message.udid);
        this.clearAnswerErrors('target.');
        break;
      case 'selectMethod':
        if (this.rules.procedures.some((p) => p.id === message.methodId)) this.selection = withMethod(this.selection, message.methodId);
        break;
      case 'answer':
        this.answer(message.fact, message.value);
        break;
      case 'refresh':
        // Both sources fire onDidChange when done, which renders again.
        this.forgetBackups();
        this.host.services.backups.invalidate();
        await this.host.services.devices.refresh();
        return;
      case 'browseBackup':
        await this.browseBackup();
        break;
      case 'restore':
        await this.startRestore();
        return;
      case 'verifyBackup':
        await this.verifyCheckedBackup();
        return;
    }
    await this.render();
  }

  private answer(fact: FactKey, value: unknown): void {
    if (value === null) {
      this.selection = withAnswer(this.selection, fact, null);
      delete this.answerErrors[fact];
      return;
    }
    const checked = checkAnswer(fact, value);
    if (checked.ok) {
      this.selection = withAnswer(this.selection, fact, checked.value);
      delete this.answerErrors[fact];
    } else {
      this.answerErrors[fact] = checked.problem;
    }
  }

  private clearAnswerErrors(prefix: 'source.' | 'target.'): void {
    for (const fact of Object.keys(this.answerErrors) as FactKey[]) if (fact.startsWith(prefix)) delete this.answerErrors[fact];
  }

  /** Hands the chosen pair to the restore command, which checks, asks for confirmation and restores. */
  private async startRestore(): Promise<void> {
    const { source, targetUdid } = this.selection;
    if (source?.kind !== 'backup' || targetUdid === null) return;
    if (!this.host.knownBackups.has(source.dir)) {
      this.logger.warn('refused to restore from a folder that is neither a listed backup nor a folder picked in this session');
      return;
    }
    const target = { udid: targetUdid, role: 'target' };
    await vscode.commands.executeCommand(RESTORE_COMMAND, target, [{ backupDir: source.dir }, target]);
  }

  /** Runs the full health check on the backup the shown restore checks were run for; the page names no folder. */
  private async verifyCheckedBackup(): Promise<void> {
    const run = this.restoreChecks;
    if (!run || !checksMatchSelection(run, this.selection)) return;
    await vscode.commands.executeCommand(VERIFY_BACKUP_COMMAND, run.backupDir);
  }

  private async browseBackup(): Promise<void> {
    const picked = await vscode.window.showOpenDialog({
      canSelectFolders: true,
      canSelectFiles: false,
      canSelectMany: false,
      defaultUri: vscode.Uri.file(this.host.services.backups.root),
      openLabel: this.strings.useThisBackup,
    });
    const folder = picked?.[0];
    if (!folder) return;
    if (!(await looksLikeBackup(folder.fsPath))) {
      void vscode.window.showWarningMessage(this.strings.notABackupFolder(folder.fsPath));
      return;
    }
    this.backupCache.delete(folder.fsPath);
    this.host.knownBackups.addPicked(folder.fsPath);
    this.selection = withSource(this.selection, { kind: 'backup', dir: folder.fsPath });
  }

  private async loadBackups(): Promise<void> {
    try {
      this.backups = await this.host.services.backups.list();
    } catch (err) {
      // The Backups view shows why the folder cannot be read; the panel just offers no backups.
      this.backups = [];
      this.logger.debug('backups could not be listed', { error: String(err) });
    }
    this.host.knownBackups.setListed(this.backups);
    this.scheduleRender();
  }

  /**
   * Drops a backup source that is neither listed nor picked. Commands and the page only offer those, but a
   * panel revived after a reload takes its selection from the page's saved state, which could name any folder.
   */
  private async dropUnknownBackupSource(): Promise<void> {
    await this.firstListing;
    const source = this.selection.source;
    if (source?.kind !== 'backup' || this.host.knownBackups.has(source.dir)) return;
    this.logger.warn('dropped a restore source that is neither a listed backup nor a folder picked in this session', { dir: source.dir.slice(0, LOGGED_PATH_CHARS) });
    this.selection = withSource(this.selection, null);
  }

  /**
   * The chosen backup's snapshot, read once and cached until Refresh. Reading it inspects the backup (and derives
   * an encrypted backup's key, which takes seconds), so it runs in the background: until it is done the page
   * shows the backup's facts as being read, and it renders again when they are there.
   */
  private async chosenBackup(): Promise<BackupSnapshot | undefined> {
    await this.dropUnknownBackupSource();
    const source = this.selection.source;
    if (source?.kind !== 'backup') return undefined;
    const snapshot = this.backupCache.get(source.dir);
    if (snapshot === undefined && !this.backupReads.has(source.dir)) this.readBackup(source.dir);
    return snapshot;
  }

  private readBackup(dir: string): void {
    const generation = this.backupGeneration;
    const read = (async () => {
      let snapshot: BackupSnapshot;
      try {
        // A saved password opens an encrypted backup's profile store; without one those facts are asked.
        const password = await Promise.resolve(this.host.services.backupPasswords.get(dir)).catch(() => undefined);
        snapshot = await readBackupSnapshot(dir, password);
      } catch (err) {
        // Cached like any other outcome, so a failing folder is not read again on every render.
        snapshot = { dir, unreadable: err instanceof Error ? err.message : String(err) };
      }
      // A Refresh while it was read made it stale; the next render reads the folder again.
      if (generation === this.backupGeneration) this.backupCache.set(dir, snapshot);
    })();
    this.backupReads.set(dir, read);
    void read.finally(() => {
      this.backupReads.delete(dir);
      this.scheduleRender();
    });
  }

  /** Drops what was read about backups (the folder changed, or Refresh); reads still running are not cached. */
  private forgetBackups(): void {
    this.backupGeneration += 1;
    this.backupCache.clear();
  }

  private scheduleRender(): void {
    if (this.disposed) return;
    clearTimeout(this.renderTimer);
    this.renderTimer = setTimeout(() => void this.render(), RENDER_DEBOUNCE_MS);
  }

  private async render(): Promise<void> {
    if (!this.ready || this.disposed) return;
    clearTimeout(this.renderTimer);
    const seq = ++this.renderSeq;
    try {
      const backup = await this.chosenBackup();
      // A newer render started while the backup was read; let it win.
      if (seq !== this.renderSeq || this.disposed) return;
      const roster = deviceSnapshot(this.host.services.devices);
      const resolved = resolveRestoreFacts(this.selection, roster.devices, backup);
      const report = evaluateRestore(this.rules, resolved.source, resolved.target);
      const model = buildMatrixViewModel({
        rules: this.rules,
        report,
        lang: this.lang,
        strings: this.strings,
        selection: this.selection,
        facts: resolved,
        roster,
        backups: this.backups,
        chosenBackup: backup,
        answerErrors: this.answerErrors,
        restoreChecks: this.restoreChecks,
      });
      await this.post({ type: 'render', model });
    } catch (err) {
      this.logger.error('compatibility could not be evaluated', { error: err instanceof Error ? err.message : String(err) });
    }
  }

  private async post(message: HostMessage): Promise<void> {
    if (this.disposed) return;
    await this.panel.webview.postMessage(message);
  }
}

/** The folder a refused page message named, cut short: the page could send a path of any length. */
function loggedDir(raw: unknown): string | undefined {
  const source = typeof raw === 'object' && raw !== null ? (raw as { source?: unknown }).source : undefined;
  const dir = typeof source === 'object' && source !== null ? (source as { dir?: unknown }).dir : undefined;
  return typeof dir === 'string' ? dir.slice(0, LOGGED_PATH_CHARS) : undefined;
}
