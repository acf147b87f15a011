import * as vscode from 'vscode';
import type { Lang } from '../../common/localizedText';
import { BenchTreeProvider, type BenchTreeNode } from './benchTreeProvider';
import type { BenchSession } from './benchSession';
import { benchSummaryText } from './benchSummaryText';

/** The Bench view's id in package.json. */
export const BENCH_VIEW_ID = 'iosbr.bench';
/** Context key for the Bench welcome content and title actions: empty | rows. */
export const BENCH_STATE_CONTEXT = 'iosbr.bench.state';

/** The Bench view: one row per device, the batch summary in its title, and the state its welcome content uses. */
export class BenchView implements vscode.Disposable {
  readonly provider: BenchTreeProvider;
  readonly treeView: vscode.TreeView<BenchTreeNode>;
  private readonly disposables: vscode.Disposable[] = [];
  private state: 'empty' | 'rows' | undefined;

  constructor(private readonly session: BenchSession, lang: Lang) {
    this.provider = new BenchTreeProvider(session, lang);
    this.treeView = vscode.window.createTreeView(BENCH_VIEW_ID, { treeDataProvider: this.provider, canSelectMany: true });
    this.disposables.push(this.provider, this.treeView, this.provider.onDidRedraw(() => this.update()));
    this.update();
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }

  private update(): void {
    const summary = this.session.summary();
    this.treeView.description = benchSummaryText(summary) || undefined;
    const state = summary.total > 0 ? 'rows' : 'empty';
    if (state === this.state) return;
    this.state = state;
    void vscode.commands.executeCommand('setContext', BENCH_STATE_CONTEXT, state);
  }
}
