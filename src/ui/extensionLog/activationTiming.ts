/**
 * How long the extension took to start, as the extension host saw it. The activation benchmark
 * (bench/activation) reads these figures from the log, so the lines they go into are part of its contract:
 * `activated … activateMs=… loadMs=… hostLoadMs=…` and `devices view populated ms=… devices=… sinceShownMs=…`.
 */

/** Set by the first and last lines of dist/extension.js (a banner and a footer scripts/extensionBundle.cjs adds). */
interface BundleMarks {
  iosbrBundleStart?: number;
  iosbrBundleEnd?: number;
}

/** VS Code's own startup marks: the extension host records one before and one after it loads an extension's code. */
interface HostPerformanceMarks {
  MonacoPerformanceMarks?: { getMarks(): { name: string; startTime: number }[] };
}

/** Milliseconds between two performance.now() readings, to one decimal (every figure of the timing lines). */
export function between(start: number, end: number): number {
  return Math.round((end - start) * 10) / 10;
}

/** The figures of the `activated` line. */
export interface ActivationFigures {
  /** activate() itself. */
  activateMs: number;
  /** The bundle's top level: its first line to its last (what loading it runs). */
  loadMs?: number;
  /** VS Code loading the file: reading, compiling and running its top level (when the host keeps its marks). */
  hostLoadMs?: number;
}

/** Measures one activation: started when activate() begins. */
export class ActivationTiming {
  private readonly activateStart = performance.now();

  /**
   * The figures for the `activated` line. What VS Code does between loading the file and calling activate()
   * (it also fetches the extension's stored state from the window) is left out: it is not the extension's work.
   */
  activated(extensionId: string): ActivationFigures {
    const figures: ActivationFigures = { activateMs: this.elapsed() };
    const { iosbrBundleStart, iosbrBundleEnd } = globalThis as BundleMarks;
    if (iosbrBundleStart !== undefined && iosbrBundleEnd !== undefined) figures.loadMs = between(iosbrBundleStart, iosbrBundleEnd);
    const hostLoad = hostLoadMs(extensionId);
    if (hostLoad !== undefined) figures.hostLoadMs = hostLoad;
    return figures;
  }

  /** Milliseconds since activate() began. */
  elapsed(): number {
    return between(this.activateStart, performance.now());
  }
}

/**
 * How long VS Code took to load this extension's code, from the extension host's startup marks (wall clock, whole
 * milliseconds). Not public API: when the host does not keep them this is undefined and the line has no hostLoadMs.
 */
function hostLoadMs(extensionId: string): number | undefined {
  try {
    const marks = (globalThis as HostPerformanceMarks).MonacoPerformanceMarks?.getMarks() ?? [];
    const last = (name: string): number | undefined => marks.filter((m) => m.name === name).pop()?.startTime;
    const willLoad = last(`code/extHost/willLoadExtensionCode/${extensionId}`);
    const didLoad = last(`code/extHost/didLoadExtensionCode/${extensionId}`);
    return typeof willLoad === 'number' && typeof didLoad === 'number' ? didLoad - willLoad : undefined;
  } catch {
    return undefined;
  }
}
