import * as vscode from 'vscode';
import type { Lang } from '../../common/localizedText';
import type { BenchRow } from '../../kitting/benchRow';
import { Debouncer } from '../util/debouncer';
import { ChildRow, treeItem } from '../util/treeItem';
import { benchRowModel, type BenchDetailModel, type BenchIcon, type BenchRowModel } from './benchRowModel';
import type { BenchSession } from './benchSession';

/** Row updates (progress ticks of up to 16 devices) are drawn at most this often. */
const REFRESH_DEBOUNCE_MS = 200;

const iconOf = (icon: BenchIcon): vscode.ThemeIcon => new vscode.ThemeIcon(icon.id, icon.color ? new vscode.ThemeColor(icon.color) : undefined);

/** One device's row on the bench; Cancel and Retry read the row id from it. */
export class BenchRowNode {
  readonly kind = 'benchRow';

  constructor(
    readonly row: BenchRow,
    readonly model: BenchRowModel,
  ) {}

  toTreeItem(): vscode.TreeItem {
    const { model } = this;
    // A failed or refused row opens by itself: its cause is what the person has to read.
    const open = this.row.state === 'failed' || this.row.state === 'refused';
    const state = model.details.length === 0 ? vscode.TreeItemCollapsibleState.None : open ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed;
    return treeItem(model.label, state, {
      // The state is part of the id: VS Code keeps a node's expansion by id, and a row that just failed must open.
      id: `${model.id}/${open ? 'open' : 'closed'}`,
      description: model.description,
      tooltip: new vscode.MarkdownString(model.tooltip),
      iconPath: iconOf(model.icon),
      contextValue: model.contextValue,
    });
  }
}

/** A check, cause or next step under a row. */
export class BenchDetailNode extends ChildRow<BenchRowNode, BenchDetailModel> {
  readonly kind = 'benchDetail';

  toTreeItem(): vscode.TreeItem {
    const { model } = this;
    return treeItem(model.label, vscode.TreeItemCollapsibleState.None, {
      id: `${this.parent.model.id}/${model.key}`,
      description: model.description,
      tooltip: model.tooltip,
      iconPath: iconOf(model.icon),
      contextValue: 'benchDetail',
    });
  }
}

/** Any node of the Bench view. */
export type BenchTreeNode = BenchRowNode | BenchDetailNode;

/** Maps the bench's rows to tree nodes, rebuilt at most every REFRESH_DEBOUNCE_MS however many rows changed. */
export class BenchTreeProvider implements vscode.TreeDataProvider<BenchTreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<BenchTreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly redrawn = new vscode.EventEmitter<void>();
  /** Fires after each redraw (the view updates its title from it). */
  readonly onDidRedraw = this.redrawn.event;
  private nodes: BenchRowNode[] = [];
  private readonly debouncer = new Debouncer(REFRESH_DEBOUNCE_MS, () => this.refresh());
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly session: BenchSession,
    private readonly lang: Lang,
  ) {
    this.subscription = session.onDidChange(() => this.debouncer.trigger());
  }

  /** Rebuilds the row nodes now. */
  refresh(): void {
    const now = Date.now();
    this.nodes = this.session.rows.map((row) => new BenchRowNode(row, benchRowModel(row, this.lang, now)));
    this.changed.fire(undefined);
    this.redrawn.fire();
  }

  getTreeItem(node: BenchTreeNode): vscode.TreeItem {
    return node.toTreeItem();
  }

  getChildren(node?: BenchTreeNode): BenchTreeNode[] {
    if (!node) return [...this.nodes];
    if (node.kind !== 'benchRow') return [];
    return node.model.details.map((detail) => new BenchDetailNode(node, detail));
  }

  dispose(): void {
    this.debouncer.dispose();
    this.subscription.dispose();
    this.changed.dispose();
    this.redrawn.dispose();
  }
}
