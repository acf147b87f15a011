import { selectionRequestFromArgs } from '../../compat/selectionRequest';
import type { CommandDeps } from '../commandDeps';

/** Check Restore Compatibility: opens the panel; tree menus pass (clicked node, selected nodes), the palette nothing. */
export async function showCompatPanel(deps: CommandDeps, node?: unknown, nodes?: unknown): Promise<void> {
  await deps.compatPanel.open(selectionRequestFromArgs(node, nodes));
}
