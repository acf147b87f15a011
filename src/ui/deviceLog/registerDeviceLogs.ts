import * as vscode from 'vscode';
import { DEVICE_LOG_SCHEME, DeviceLogDocuments } from './deviceLogDocuments';
import { DEVICE_LOG_LANGUAGE, watchForDeviceLogFiles } from './deviceLogLanguageDetector';
import { DeviceLogStatusBar } from './deviceLogStatusBar';
import { ErrorCodeHoverProvider } from './errorCodeHoverProvider';
import { followDeviceLogTail } from './followDeviceLogTail';

/**
 * Wires the device log feature's editor side into the extension: the streaming documents (scheme
 * `ios-device-log`), the status bar item, the error-code hovers, and the detection of saved device
 * logs. Everything registered is owned by `extensionContext.subscriptions`; the commands (registered
 * with all the others) work on the returned documents.
 */
export function registerDeviceLogs(extensionContext: vscode.ExtensionContext): DeviceLogDocuments {
  const documents = new DeviceLogDocuments();
  extensionContext.subscriptions.push(
    documents,
    vscode.workspace.registerTextDocumentContentProvider(DEVICE_LOG_SCHEME, documents),
    vscode.languages.registerHoverProvider([{ language: DEVICE_LOG_LANGUAGE }, { scheme: DEVICE_LOG_SCHEME }], new ErrorCodeHoverProvider()),
    watchForDeviceLogFiles(),
    followDeviceLogTail(),
    new DeviceLogStatusBar(documents),
    // Closing the document ends its stream.
    vscode.workspace.onDidCloseTextDocument((document) => {
      if (document.uri.scheme === DEVICE_LOG_SCHEME) documents.release(document.uri);
    }),
  );
  return documents;
}
