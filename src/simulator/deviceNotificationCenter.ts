/** Receives the names of notifications a connection observes. */
export type NotificationListener = (name: string) => void;

/** Most notification names one observer may subscribe to (hosts observe a handful). */
const MAX_OBSERVED_NAMES = 256;

/**
 * The device's Darwin notification bus as notification_proxy exposes it: posts (from hosts or
 * from the simulated device itself) reach every connection that observes the name.
 */
export class DeviceNotificationCenter {
  private readonly observers = new Map<NotificationListener, Set<string>>();
  /** Names posted so far, newest last (bounded), for logs and tests. */
  readonly posted: string[] = [];

  /** Registers a listener; returns the function that removes it. */
  register(listener: NotificationListener): () => void {
    this.observers.set(listener, new Set());
    return () => this.observers.delete(listener);
  }

  /** Subscribes a registered listener to a name; false when it already observes too many. */
  observe(listener: NotificationListener, name: string): boolean {
    const names = this.observers.get(listener);
    if (!names || (names.size >= MAX_OBSERVED_NAMES && !names.has(name))) return false;
    names.add(name);
    return true;
  }

  /** Posts a notification to everyone observing its name. */
  post(name: string): void {
    this.posted.push(name);
    if (this.posted.length > 1000) this.posted.shift();
    for (const [listener, names] of this.observers) if (names.has(name)) listener(name);
  }
}
