import { DeviceToolError, errorGuard } from '../common/errors';

/** A failure knowledge base that does not match failures.schema.json or refers to itself wrongly. */
export class KnowledgeBaseError extends DeviceToolError {
  constructor(
    /** Where the knowledge base came from (a file path, or "(bundled)"). */
    readonly origin: string,
    /** Each problem as "<JSON pointer> <what is wrong>", e.g. "/entries/3/title/ja is required". */
    readonly problems: readonly string[],
  ) {
    super(`Failure knowledge base ${origin} is not valid: ${problems.join('; ')}.`, 'doctor.knowledge-base-invalid');
    this.name = 'KnowledgeBaseError';
  }
}

/** True when the value is a KnowledgeBaseError. */
export const isKnowledgeBaseError = errorGuard(KnowledgeBaseError);
