import { errorGuard, UsageError } from '../common/errors';

/**
 * A rules file that cannot be used: unreadable, not JSON, or not matching rules.schema.json.
 * It is a UsageError because the rules file is input the user chose (exit code 2 in the CLI).
 */
export class RulesError extends UsageError {
  constructor(
    /** Where the rules came from (a file path, or the bundled rules' id). */
    readonly origin: string,
    /** Each problem as "<JSON pointer> <what is wrong>", e.g. "/tables/0/cells/3/agent must be one of ok, reauth, ng, n/a". */
    readonly problems: readonly string[],
    summary = 'is not valid',
  ) {
    super(`Rules file ${origin} ${summary}: ${problems.join('; ')}.`);
    this.name = 'RulesError';
  }
}

/** True when the value is a RulesError. */
export const isRulesError = errorGuard(RulesError);
