/**
 * The messages between the Restore Compatibility panel (host) and its page (media/compat), shared by both
 * sides. Every message has a `type`; the page speaks first with `ready`, and the host posts nothing before it.
 */
import type { FactKey } from '../../compat/facts';
import type { CompatSelection, FactAnswer, SourceRef } from './compatSelection';
import type { CompatViewModel } from './compatViewModel';

/** Host → page: the whole page to show. */
export interface RenderMessage {
  type: 'render';
  model: CompatViewModel;
}

/** Everything the host sends. */
export type HostMessage = RenderMessage;

/** Page → host: the page's script is running and can receive messages. */
export interface ReadyMessage {
  type: 'ready';
}

/** Page → host: the engineer chose a source (null clears it). */
export interface SelectSourceMessage {
  type: 'selectSource';
  source: SourceRef | null;
}

/** Page → host: the engineer chose the target device (null clears it). */
export interface SelectTargetMessage {
  type: 'selectTarget';
  udid: string | null;
}

/** Page → host: the engineer picked a restore method tab. */
export interface SelectMethodMessage {
  type: 'selectMethod';
  methodId: string;
}

/** Page → host: an answer to a question (null withdraws it). */
export interface AnswerMessage {
  type: 'answer';
  fact: FactKey;
  value: FactAnswer | null;
}

/** Page → host: read the devices and backups again. */
export interface RefreshMessage {
  type: 'refresh';
}

/** Page → host: open a folder picker for a backup outside the backup root. */
export interface BrowseBackupMessage {
  type: 'browseBackup';
}

/** Page → host: restore the chosen backup to the chosen target (the restore command asks for confirmation). */
export interface RestoreMessage {
  type: 'restore';
}

/** Page → host: run the full health check on the backup the restore checks were run for (the host knows the folder). */
export interface VerifyBackupMessage {
  type: 'verifyBackup';
}

/** Everything the page sends. */
export type PageMessage =
  | ReadyMessage
  | SelectSourceMessage
  | SelectTargetMessage
  | SelectMethodMessage
  | AnswerMessage
  | RefreshMessage
  | BrowseBackupMessage
  | RestoreMessage
  | VerifyBackupMessage;

/** What the page keeps with setState; the panel serializer receives it after a reload. */
export interface PageState {
  selection: CompatSelection;
  /** The last model, so a reloaded page shows it at once instead of a blank panel until the host answers. */
  model?: CompatViewModel;
}
