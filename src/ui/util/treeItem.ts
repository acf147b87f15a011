import * as vscode from 'vscode';

/** The one way the Devices and Backups views build a node's tree item: a label, how it opens, and its parts. */
export function treeItem(label: string, state: vscode.TreeItemCollapsibleState, parts: Partial<vscode.TreeItem>): vscode.TreeItem {
  return Object.assign(new vscode.TreeItem(label, state), parts);
}

/** A codicon, drawn in the list's warning colour for 'warning' (or when asked), as the views mark problems. */
export function themeIcon(name: string, warning = name === 'warning'): vscode.ThemeIcon {
  return new vscode.ThemeIcon(name, warning ? new vscode.ThemeColor('list.warningForeground') : undefined);
}

/** A row under another row of a view, showing one model (what a command reads from the clicked node). */
export abstract class ChildRow<Parent, Model> {
  constructor(
    readonly parent: Parent,
    readonly model: Model,
  ) {}
}
