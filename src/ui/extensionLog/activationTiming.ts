/**
 * How long the extension took to start, as the extension host saw it. The activation benchmark
 * (bench/activation) reads these figures from the log, so the lines they go into are part of its contract:
 * `activated … activateMs=… loadMs=… hostLoadMs=…` and `devices view populated ms=… devices=… sinceShownMs=…`.
 */

/** Set by the first line of dist/extension.js (a banner scripts/build.mjs adds), before any bundled module runs. */
interface BundleStartMark {
  iosbrBundleStart?: number;
}

/** VS Code's own startup marks: the extension host records one right before it loads an extension's code. */
interface HostPerformanceMarks {
  MonacoPerformanceMarks?: { getMarks(): { name: string; startTime: number }[] };
}

/** Milliseconds from a performance.now() reading to now, to one decimal. */
function since(start: number): number {
  return Math.round((performance.now() - start) * 10) / 10;
}

/** Measures one activation: started when activate() begins. */
export class ActivationTiming {
  private readonly activateStart = performance.now();

  /**
   * The figures for the `activated` line: loadMs is how long the bundle's top level ran (its first line to
   * activate()); hostLoadMs, when VS Code exposes its marks, also covers reading and compiling the file;
   * activateMs is activate() itself.
   */
  activated(extensionId: string): { loadMs?: number; hostLoadMs?: number; activateMs: number } {
    const bundleStart = (globalThis as BundleStartMark).iosbrBundleStart;
    const figures: { loadMs?: number; hostLoadMs?: number; activateMs: number } = { activateMs: since(this.activateStart) };
    if (bundleStart !== undefined) figures.loadMs = Math.round((this.activateStart - bundleStart) * 10) / 10;
    const hostStart = hostLoadStart(extensionId);
    // The host's marks are wall-clock milliseconds; so is this difference (activate start in the same clock).
    if (hostStart !== undefined) figures.hostLoadMs = Math.max(0, Math.round(Date.now() - figures.activateMs - hostStart));
    return figures;
  }

  /** Milliseconds since activate() began. */
  elapsed(): number {
    return since(this.activateStart);
  }
}

/**
 * When VS Code began loading this extension's code (wall clock), from the extension host's startup marks.
 * Not public API: when the host does not keep them this is undefined and the line simply has no hostLoadMs.
 */
function hostLoadStart(extensionId: string): number | undefined {
  try {
    const marks = (globalThis as HostPerformanceMarks).MonacoPerformanceMarks?.getMarks() ?? [];
    const wanted = `code/extHost/willLoadExtensionCode/${extensionId}`;
    const mark = marks.filter((m) => m.name === wanted).pop();
    return typeof mark?.startTime === 'number' ? mark.startTime : undefined;
  } catch {
    return undefined;
  }
}
