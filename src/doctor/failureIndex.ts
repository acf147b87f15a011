import { PATTERN_FLAGS } from './loadKnowledgeBase';
import type { CodeDomain, FailureEntry, FailureKnowledgeBase, KnownCode } from './knowledgeModel';

/** Every code domain, so text taken from a log can be checked before it is used as one. */
export const CODE_DOMAINS: readonly CodeDomain[] = [
  'MBErrorDomain',
  'lockdownd',
  'lockdownd-legacy',
  'DLFileError',
  'mobilebackup2-client',
  'AFC',
  'usbmuxd',
  'idevicebackup2-return',
];

/** An entry's message pattern, compiled. */
export interface CompiledPattern {
  entry: FailureEntry;
  regex: RegExp;
}

/** A library text (lockdownd_strerror wording) and the code it stands for. */
export interface CodeText {
  entry: FailureEntry;
  code: KnownCode & { text: string };
}

/**
 * The knowledge base arranged for lookups: by code, name, token, product error code, and the
 * compiled patterns. Built once per knowledge base object.
 */
export class FailureIndex {
  private readonly byId = new Map<string, FailureEntry>();
  private readonly byCode = new Map<string, FailureEntry[]>();
  private readonly byName = new Map<string, FailureEntry>();
  private readonly byLowerName = new Map<string, FailureEntry>();
  private readonly byToken = new Map<string, FailureEntry>();
  private readonly byProductCode = new Map<string, FailureEntry>();
  private readonly byText = new Map<string, CodeText>();
  private readonly patternsById = new Map<string, RegExp[]>();
  /** Every pattern of every entry, in knowledge-base order. */
  readonly patterns: readonly CompiledPattern[];
  /** Matches when any pattern would; most log lines fail this one test and skip the rest. */
  readonly anyPattern: RegExp | undefined;
  /** Global: every lockdownd name as a whole word. */
  readonly names: RegExp | undefined;
  /** Global: every library text, optionally followed by its number in parentheses. */
  readonly codeTexts: RegExp | undefined;

  constructor(readonly kb: FailureKnowledgeBase) {
    const patterns: CompiledPattern[] = [];
    for (const entry of kb.entries) {
      this.byId.set(entry.id, entry);
      for (const code of entry.match.codes ?? []) {
        const key = codeKey(code.domain, code.code);
        this.byCode.set(key, [...(this.byCode.get(key) ?? []), entry]);
        if (code.text) this.byText.set(code.text, { entry, code: { ...code, text: code.text } });
      }
      for (const name of entry.match.names ?? []) {
        this.byName.set(name, entry);
        this.byLowerName.set(name.toLowerCase(), entry);
      }
      for (const token of entry.match.tokens ?? []) this.byToken.set(token.toLowerCase(), entry);
      for (const code of entry.match.productErrorCodes ?? []) this.byProductCode.set(code, entry);
      const own = (entry.match.patterns ?? []).map((pattern) => new RegExp(pattern, PATTERN_FLAGS));
      this.patternsById.set(entry.id, own);
      for (const regex of own) patterns.push({ entry, regex });
    }
    this.patterns = patterns;
    this.anyPattern = patterns.length > 0 ? new RegExp(patterns.map((p) => `(?:${p.regex.source})`).join('|'), PATTERN_FLAGS) : undefined;
    const names = [...this.byName.keys()];
    this.names = names.length > 0 ? new RegExp(`\\b(${names.map(escapeRegExp).join('|')})\\b`, 'g') : undefined;
    // Longest first, so "Missing session ID" wins over a shorter text that starts the same way.
    const texts = [...this.byText.keys()].sort((a, b) => b.length - a.length);
    this.codeTexts = texts.length > 0
      ? new RegExp(`(?<![A-Za-z])(${texts.map(escapeRegExp).join('|')})(?![A-Za-z])(?:\\s*\\((-?\\d{1,6})\\))?`, 'g')
      : undefined;
  }

  /** The entry with this id. */
  entry(id: string): FailureEntry | undefined {
    return this.byId.get(id);
  }

  /** Every entry that explains this code in this domain (several when one code has several known meanings). */
  entriesForCode(domain: CodeDomain, code: number): FailureEntry[] {
    return this.byCode.get(codeKey(domain, code)) ?? [];
  }

  /** The entry for a lockdownd name, exactly as written. */
  entryForName(name: string): FailureEntry | undefined {
    return this.byName.get(name);
  }

  /** The entry for a word typed as a whole query: a name in any case, or a token such as ENOENT. */
  entryForQueryWord(word: string): FailureEntry | undefined {
    const lower = word.toLowerCase();
    return this.byLowerName.get(lower) ?? this.byToken.get(lower) ?? this.byProductCode.get(word);
  }

  /** The entry for one of the product's own error codes (DeviceToolError.code). */
  entryForProductCode(code: string): FailureEntry | undefined {
    return this.byProductCode.get(code);
  }

  /** True when one of the entry's message patterns matches the text. */
  matchesMessage(entry: FailureEntry, text: string): boolean {
    return (this.patternsById.get(entry.id) ?? []).some((regex) => regex.test(text));
  }

  /** The library's own wording for a code (lockdownd_strerror), when the knowledge base records it. */
  textForCode(domain: CodeDomain, code: number): string | undefined {
    for (const entry of this.entriesForCode(domain, code)) {
      const known = entry.match.codes?.find((c) => c.domain === domain && c.code === code && c.text);
      if (known?.text) return known.text;
    }
    return undefined;
  }

  /** The entry and code for a library text found by `codeTexts`. */
  codeForText(text: string): CodeText | undefined {
    return this.byText.get(text);
  }
}

const indexes = new WeakMap<FailureKnowledgeBase, FailureIndex>();

/** The index of a knowledge base, built on first use and kept while the knowledge base lives. */
export function failureIndexFor(kb: FailureKnowledgeBase): FailureIndex {
  let index = indexes.get(kb);
  if (!index) {
    index = new FailureIndex(kb);
    indexes.set(kb, index);
  }
  return index;
}

/** True when a string taken from text names one of the knowledge base's code domains. */
export function isCodeDomain(value: string | undefined): value is CodeDomain {
  return value !== undefined && (CODE_DOMAINS as readonly string[]).includes(value);
}

function codeKey(domain: CodeDomain, code: number): string {
  return `${domain}:${code}`;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
