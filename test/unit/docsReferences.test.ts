import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..', '..');
/** Where comments may point into docs/. */
const CODE_FOLDERS = ['src', 'test', 'bench', 'scripts'];
const CODE_FILE = /\.(?:ts|js|json|md)$/;

function filesUnder(dir: string, accept: RegExp): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full, accept) : accept.test(name) ? [full] : [];
  });
}

/** The anchor GitHub gives a heading: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  let inFence = false;
  for (const line of markdown.split('\n')) {
    if (/^\s*```/.test(line)) inFence = !inFence;
    const heading = !inFence && /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!heading) continue;
    const slug = heading[1]
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}

const anchorCache = new Map<string, Set<string>>();
function anchorsOf(file: string): Set<string> {
  let anchors = anchorCache.get(file);
  if (!anchors) {
    anchors = headingAnchors(readFileSync(file, 'utf8'));
    anchorCache.set(file, anchors);
  }
  return anchors;
}

/** Why a reference to `file` (absolute) with an optional anchor does not resolve, or undefined when it does. */
function brokenTarget(file: string, anchor: string | undefined): string | undefined {
  if (!existsSync(file)) return `${path.relative(ROOT, file)} does not exist`;
  if (anchor !== undefined && !anchorsOf(file).has(anchor)) return `${path.relative(ROOT, file)} has no heading #${anchor}`;
  return undefined;
}

/** The project's own documents, referred to from code as docs/<page>.md#<heading>. */
const DOC_REFERENCE = /\bdocs\/([\w./-]+?\.md)(?:#([\w-]+))?/g;
/**
 * Documents that are not in this repository (the research notes the code was first written from); the
 * repository's docs/ replaces them, so naming them points a reader nowhere.
 */
const OUTSIDE_DOCUMENT = /(?<![\w/-])(?:protocol|restore-failures|DESIGN)\.md\b/;
/** A section sign without a named document (other than an RFC) pointed into those notes. */
const BARE_SECTION = /(?<!RFC \d+ )§\s*\d/;

describe('references to the docs', () => {
  const codeFiles = CODE_FOLDERS.flatMap((folder) => filesUnder(path.join(ROOT, folder), CODE_FILE));

  it('finds the code to scan', () => {
    assert.ok(codeFiles.length > 100, `only ${codeFiles.length} files under ${CODE_FOLDERS.join(', ')}`);
  });

  it('every docs/<page>.md#<heading> named in src/, test/, bench/ and scripts/ exists', () => {
    const broken: string[] = [];
    let references = 0;
    for (const file of codeFiles) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(DOC_REFERENCE)) {
        references++;
        const why = brokenTarget(path.join(ROOT, 'docs', m[1]), m[2]);
        if (why) broken.push(`${path.relative(ROOT, file)}: docs/${m[1]}${m[2] ? `#${m[2]}` : ''}: ${why}`);
      }
    }
    assert.ok(references > 0, 'no docs/ reference found at all');
    assert.deepEqual(broken, []);
  });

  it('nothing cites the documents that are not in this repository, nor their bare section numbers', () => {
    const offenders: string[] = [];
    for (const file of codeFiles) {
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          if (OUTSIDE_DOCUMENT.test(line) || BARE_SECTION.test(line)) offenders.push(`${path.relative(ROOT, file)}:${i + 1}: ${line.trim()}`);
        });
    }
    assert.deepEqual(offenders, []);
  });

  it('every relative link between the pages of docs/ reaches an existing page and heading', () => {
    const broken: string[] = [];
    for (const page of filesUnder(path.join(ROOT, 'docs'), /\.md$/)) {
      const text = readFileSync(page, 'utf8');
      for (const m of text.matchAll(/\]\((?!https?:|mailto:)([^)\s#]*)(?:#([^)\s]+))?\)/g)) {
        const target = m[1] === '' ? page : path.resolve(path.dirname(page), m[1]);
        const why = target.endsWith('.md') ? brokenTarget(target, m[2]) : existsSync(target) ? undefined : `${path.relative(ROOT, target)} does not exist`;
        if (why) broken.push(`${path.relative(ROOT, page)}: (${m[1]}${m[2] ? `#${m[2]}` : ''}): ${why}`);
      }
    }
    assert.deepEqual(broken, []);
  });

  it('every file or folder of the repository a page of docs/ names in code style exists', () => {
    const missing: string[] = [];
    for (const page of filesUnder(path.join(ROOT, 'docs'), /\.md$/)) {
      for (const m of readFileSync(page, 'utf8').matchAll(/`((?:src|test|bench|scripts)\/[^`\s<>*…]+)`/g)) {
        if (!existsSync(path.join(ROOT, m[1]))) missing.push(`${path.relative(ROOT, page)}: ${m[1]}`);
      }
    }
    assert.deepEqual(missing, []);
  });

  it('computes anchors the way GitHub does', () => {
    const anchors = headingAnchors('# Info.plist\n## The "password could not be set" problem\n```\n# not a heading\n```\n## Limits we apply\n## Limits we apply\n');
    assert.deepEqual([...anchors], ['infoplist', 'the-password-could-not-be-set-problem', 'limits-we-apply', 'limits-we-apply-1']);
  });
});
