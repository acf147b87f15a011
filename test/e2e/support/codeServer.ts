import { createRequire } from 'node:module';
import * as path from 'node:path';
import type * as Shared from '../../../scripts/codeServer.cjs';

// The code lives in scripts/codeServer.cjs, which `npm run demo` uses too. It is loaded by its place in the
// repository because these tests run compiled from out/, where a relative import would point elsewhere.
const repoRoot = path.resolve(__dirname, '..', '..', '..', '..');
const shared = createRequire(__filename)(path.join(repoRoot, 'scripts', 'codeServer.cjs')) as typeof Shared;

export const { codeServerEntry, installExtension, writeUserSettings, startCodeServer } = shared;
export type RunningCodeServer = Shared.RunningCodeServer;
