import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';
import { runCli } from '../../src/cli';
import { COMMANDS } from '../../src/cli/commandTable';

/**
 * Everything a person reads — the extension's manifest texts, the localized bundles, the doctor's knowledge
 * base, the MDM vendor's rules, every string the code can print or show, the CLI's help, the README and docs/ —
 * must name the source documents by what they are (the MDM vendor's backup and restore document, the
 * "password could not be set" problem), never by the project's internal shorthand for them.
 */

const ROOT = path.resolve(__dirname, '..', '..', '..');

/** Internal shorthand for the source documents, each with why a reader would not understand it. */
const SHORTHAND: readonly { pattern: RegExp; why: string }[] = [
  { pattern: /\bseed[\s_-]*0\d\d\b/i, why: 'a source document by its internal number' },
  { pattern: /シード\s*0\d\d/, why: 'a source document by its internal number' },
  { pattern: /\bseeds\//i, why: 'the internal folder of the source documents' },
  { pattern: /\b\d{3}_[0-9a-f]{16}(?:\.txt)?\b/i, why: 'a source document by its file name' },
  { pattern: /\.\.\/shared\//, why: 'a file outside the repository' },
];

interface Text {
  /** Where the text is, as "file:line" or "file › key". */
  where: string;
  text: string;
}

function filesUnder(dir: string, accept: RegExp): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full, accept) : accept.test(name) ? [full] : [];
  });
}

const relative = (file: string): string => path.relative(ROOT, file).split(path.sep).join('/');

/** Every string value of a JSON document (keys too: the l10n bundles key their texts by the English). */
function jsonTexts(file: string): Text[] {
  const texts: Text[] = [];
  const visit = (value: unknown, at: string): void => {
    if (typeof value === 'string') texts.push({ where: `${relative(file)} › ${at}`, text: value });
    else if (Array.isArray(value)) value.forEach((item, index) => visit(item, `${at}[${index}]`));
    else if (value && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) {
        const keyAt = at ? `${at}.${key}` : key;
        texts.push({ where: `${relative(file)} › ${keyAt} (the key)`, text: key });
        visit(item, keyAt);
      }
    }
  };
  visit(JSON.parse(readFileSync(file, 'utf8')), '');
  return texts;
}

/** The string and template literals of a TypeScript file; comments are for developers and are not read here. */
function literalTexts(file: string): Text[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const texts: Text[] = [];
  const add = (node: ts.Node, text: string): void => {
    const line = source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
    texts.push({ where: `${relative(file)}:${line}`, text });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) add(node, node.text);
    else if (ts.isTemplateExpression(node)) {
      // The fixed parts joined with a placeholder, so shorthand split by a substitution is still one text.
      add(node, [node.head.text, ...node.templateSpans.map((span) => span.literal.text)].join('…'));
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return texts;
}

function markdownTexts(file: string): Text[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((text, index) => ({ where: `${relative(file)}:${index + 1}`, text }));
}

/** What `iosbr --help` and every `iosbr <command> --help` print. */
async function cliHelpTexts(): Promise<Text[]> {
  const texts: Text[] = [];
  const write = process.stdout.write.bind(process.stdout);
  for (const words of [['--help'], ...COMMANDS.map((c) => [c.name, '--help'])]) {
    let printed = '';
    process.stdout.write = (chunk: string | Uint8Array) => {
      printed += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
      return true;
    };
    try {
      await runCli(words);
    } finally {
      process.stdout.write = write;
    }
    printed.split('\n').forEach((text, index) => texts.push({ where: `iosbr ${words.join(' ')}, line ${index + 1}`, text }));
  }
  return texts;
}

function shorthandIn(texts: readonly Text[]): string[] {
  return texts.flatMap(({ where, text }) =>
    SHORTHAND.filter(({ pattern }) => pattern.test(text)).map(({ why }) => `${where}: ${why}: ${JSON.stringify(text)}`),
  );
}

const at = (...parts: string[]): string => path.join(ROOT, ...parts);

describe('user-facing words: the source documents are named by content, not by internal shorthand', () => {
  it('finds the shorthand in a text that contains it, and nothing in one that names the document', () => {
    // Guards the check itself: if the patterns stopped matching, every scan below would pass vacuously.
    const planted = [
      { where: 'a', text: 'Restore compatibility (MDM vendor rules, seed 003)' },
      { where: 'b', text: 'the seed-000 quirk' },
      { where: 'c', text: 'see ../shared/seeds/003_577da0e4b2e219d9.txt' },
      { where: 'd', text: 'シード003の表' },
    ];
    assert.deepEqual(shorthandIn(planted).map((line) => line.split(':')[0]), ['a', 'b', 'c', 'c', 'c', 'd']);
    const named = [
      { where: 'e', text: 'KDDI Smart Mobile Safety Manager: iOS backup and restore procedure and cautions, Ver 2.0' },
      { where: 'f', text: 'The password you entered to protect your iPhone backup could not be set' },
      { where: 'g', text: '"dataset": { "files": 300, "seed": 1 }' },
    ];
    assert.deepEqual(shorthandIn(named), []);
  });

  it('the extension manifest, the localized bundles, the knowledge base and the MDM vendor rules', () => {
    const files = [
      at('package.json'),
      ...readdirSync(ROOT).filter((name) => /^package\.nls(?:\.[\w-]+)?\.json$/.test(name)).map((name) => at(name)),
      ...filesUnder(at('l10n'), /\.json$/),
      ...filesUnder(at('src', 'doctor', 'knowledge'), /\.json$/),
      ...filesUnder(at('src', 'compat', 'rules'), /\.json$/),
    ];
    assert.ok(files.length >= 6, `expected the manifest, its translations, both bundles, the knowledge base and the rules, found ${files.length} files`);
    const texts = files.flatMap(jsonTexts);
    assert.deepEqual(shorthandIn(texts), []);
  });

  it('every string literal the code can print or show (the engines, the CLI, the extension and the webview page)', () => {
    const files = [...filesUnder(at('src'), /\.ts$/), ...filesUnder(at('media'), /\.ts$/)];
    const texts = files.flatMap(literalTexts);
    assert.ok(texts.length > 1000, `expected the code's string literals, found ${texts.length}`);
    assert.deepEqual(shorthandIn(texts), []);
  });

  it("the CLI's help for every command", async () => {
    const texts = await cliHelpTexts();
    assert.ok(texts.some((t) => t.text.startsWith('usage: iosbr')), 'the CLI printed no usage');
    assert.deepEqual(shorthandIn(texts), []);
  });

  it('the README and docs/', () => {
    const files = [at('README.md'), ...filesUnder(at('docs'), /\.md$/)];
    assert.ok(files.length >= 2);
    assert.deepEqual(shorthandIn(files.flatMap(markdownTexts)), []);
  });
});
