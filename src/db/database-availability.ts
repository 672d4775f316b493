interface Log {
  info(message: string, meta?: object): unknown;
  warn(message: string, meta?: object): unknown;
}

/** How often a database known to be down is probed until it answers again. */
const PROBE_INTERVAL_MS = 200;

/**
 * Whether the database is known to be down, and why. The embedded database's supervisor and the
 * driver's view of the topology report outages at once; only a successful probe (a command that
 * went to the server and back) ends one. While it lasts, requests are refused at once instead of
 * each waiting for the driver's server selection timeout.
 *
 * Probing also makes the driver look at the server again: without operations waiting for a server,
 * the driver would only notice a recovered server at its next heartbeat (10 s).
 */
export class DatabaseAvailability {
  private outage: { reason: string; since: Date } | undefined;
  private probing = false;
  private stopped = false;

  constructor(
    private readonly probe: () => Promise<boolean>,
    private readonly log: Log,
    /** Called once when an outage begins (for metrics). */
    private readonly onOutage: () => void = () => undefined,
  ) {}

  /** Why the database is known to be unavailable, or undefined while it is believed to answer. */
  unavailableReason(): string | undefined {
    if (!this.outage) return undefined;
    return `${this.outage.reason}; down since ${this.outage.since.toISOString()}`;
  }

  /** Records an outage (or its latest reason) and probes until the database answers again. */
  markDown(reason: string): void {
    if (this.stopped) return;
    if (!this.outage) {
      this.log.warn('database unavailable', { reason });
      this.onOutage();
    }
    this.outage = { reason, since: this.outage?.since ?? new Date() };
    void this.probeUntilUp();
  }

  /** Stops probing (on shutdown, before the connection is closed). */
  stop(): void {
    this.stopped = true;
  }

  private async probeUntilUp(): Promise<void> {
    if (this.probing) return;
    this.probing = true;
    try {
      while (this.outage && !this.stopped) {
        const started = Date.now();
        const outage = this.outage;
        // A report that arrived while this probe was under way is not ended by its answer.
        if ((await this.probe()) && this.outage === outage) {
          this.log.info('database available again', { unavailableMs: Date.now() - outage.since.getTime() });
          this.outage = undefined;
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, PROBE_INTERVAL_MS - (Date.now() - started))));
      }
    } finally {
      this.probing = false;
    }
  }
}
