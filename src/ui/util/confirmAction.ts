import * as vscode from 'vscode';

/** Asks a modal warning question whose one button does the action; true when the user chose it. */
export async function confirmAction(question: string, detail: string, action: string): Promise<boolean> {
  return (await vscode.window.showWarningMessage(question, { modal: true, detail }, action)) === action;
}
