import { selectionRequestFromArgs } from '../../compat/selectionRequest';
import type { CommandDeps } from '../commandDeps';

/** Check Restore Compatibility: opens the panel; tree menus pass (clicked node, selected nodes), the palette nothing. */
export function showCompatPanel(deps: CommandDeps, node?: unknown, nodes?: unknown): void {
  deps.compatPanel.open(selectionRequestFromArgs(node, nodes));
}
