import '../vscodeStub';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { DEVICES_STATE_CONTEXT } from '../../../../src/ui/devices/devicesView';
import { WALKTHROUGH_ID } from '../../../../src/ui/walkthrough/offerWalkthroughOnFirstRun';
import { REPO_ROOT, readRepoJson } from '../repoFiles';

interface Step {
  id: string;
  title: string;
  description: string;
  media: { image?: string; altText?: string; markdown?: string };
  completionEvents?: string[];
}
interface Manifest {
  activationEvents: string[];
  contributes: { commands: { command: string }[]; walkthroughs?: { id: string; title: string; description: string; steps: Step[] }[] };
}

/** The step ids in the order issue #16 lists what a newcomer learns. */
const STEP_ORDER = ['connectDevice', 'backUpEncrypted', 'checkBackup', 'restoreToAnotherDevice', 'readDeviceLog', 'explainError'];
/** The completion events VS Code's walkthrough service understands (others are reported and ignored by it). */
const EVENT_KINDS = new Set(['onCommand', 'onContext', 'onView', 'onSettingChanged', 'onLink', 'onEvent', 'onStepSelected', 'onExtensionInstalled']);

describe('ui/walkthrough: the Getting Started walkthrough in package.json', () => {
  const manifest = readRepoJson<Manifest>('package.json');
  const nls: Record<string, Record<string, string>> = { en: readRepoJson('package.nls.json'), ja: readRepoJson('package.nls.ja.json') };
  const contributed = new Set(manifest.contributes.commands.map((c) => c.command));
  const walkthroughs = manifest.contributes.walkthroughs ?? [];
  const walkthrough = walkthroughs.find((w) => w.id === WALKTHROUGH_ID);
  const steps = walkthrough?.steps ?? [];
  const text = (value: string, lang: string): string => {
    const key = /^%(.+)%$/.exec(value)?.[1];
    assert.ok(key, `"${value}" is not localized through package.nls`);
    const found = nls[lang][key];
    assert.ok(found, `${key} is missing from the ${lang} package.nls`);
    return found;
  };
  const buttons = (description: string): string[] => [...description.matchAll(/^\[[^\]]+\]\(command:([\w.]+)\)$/gm)].map((m) => m[1]);

  it('is the one walkthrough, with the six steps in the order a newcomer takes them', () => {
    assert.deepEqual(walkthroughs.map((w) => w.id), [WALKTHROUGH_ID]);
    assert.deepEqual(steps.map((s) => s.id), STEP_ORDER);
  });

  it('has every title, description and image description in English and Japanese', () => {
    for (const lang of ['en', 'ja']) {
      assert.ok(walkthrough);
      text(walkthrough.title, lang);
      text(walkthrough.description, lang);
      for (const step of steps) {
        text(step.title, lang);
        text(step.description, lang);
        assert.ok(step.media.altText, `${step.id} has no image description`);
        text(step.media.altText, lang);
      }
    }
  });

  it('gives every step a button on a line of its own that runs a command of this extension', () => {
    for (const lang of ['en', 'ja']) {
      for (const step of steps) {
        const commands = buttons(text(step.description, lang));
        assert.ok(commands.length > 0, `${step.id} (${lang}) has no button`);
        for (const id of commands) assert.ok(contributed.has(id), `${step.id} (${lang}) links to ${id}, which is not contributed`);
      }
    }
  });

  it('completes each step when one of its buttons\' commands runs, and names only contributed commands', () => {
    for (const step of steps) {
      const events = step.completionEvents ?? [];
      for (const event of events) assert.ok(EVENT_KINDS.has(event.split(':')[0]), `${step.id}: unknown completion event ${event}`);
      const onCommand = events.filter((e) => e.startsWith('onCommand:')).map((e) => e.slice('onCommand:'.length));
      for (const id of onCommand) assert.ok(contributed.has(id), `${step.id}: ${id} is not contributed`);
      assert.ok(buttons(text(step.description, 'en')).some((id) => onCommand.includes(id)), `${step.id}: no button of it completes it`);
    }
  });

  it('completes the first step as soon as the Devices view lists a device (the context key the view sets)', () => {
    const first = steps.find((s) => s.id === 'connectDevice');
    assert.ok(first?.completionEvents?.includes(`onContext:${DEVICES_STATE_CONTEXT} == devices`), JSON.stringify(first?.completionEvents));
  });

  it('shows an image for each step that the VSIX carries', () => {
    const ignore = readFileSync(path.join(REPO_ROOT, '.vscodeignore'), 'utf8');
    assert.match(ignore, /^!media\/\*\*\/\*\.\{[^}]*svg[^}]*\}$/m, '.vscodeignore packs the SVGs under media/');
    for (const step of steps) {
      const image = step.media.image;
      assert.ok(image && /^media\/walkthrough\/[\w-]+\.svg$/.test(image), `${step.id}: ${image}`);
      assert.ok(existsSync(path.join(REPO_ROOT, image)), `${image} is missing`);
      assert.match(readFileSync(path.join(REPO_ROOT, image), 'utf8'), /^<svg [^>]*viewBox=/, `${image} is an SVG with a viewBox, so it scales`);
    }
  });

  it('activates after startup, so the walkthrough opens on the first run without a click on the activity bar', () => {
    assert.ok(manifest.activationEvents.includes('onStartupFinished'), manifest.activationEvents.join(', '));
  });
});
