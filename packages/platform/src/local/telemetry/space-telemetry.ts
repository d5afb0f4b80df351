import { startOtlpReceiver, type OtlpReceiver } from './receiver';
import type { StoredSpan } from './spans';
import { DEFAULT_TRACE_BUDGET_BYTES, TraceStore } from './trace-store';

/** The OTEL_* variables of `npm start`'s own environment that reach the apps when it names an endpoint. */
const PASSED_THROUGH = /^OTEL_/;

/**
 * A space's telemetry, owned by its supervisor: the OTLP receiver (127.0.0.1, a port of its
 * own, bound at start), the store of the space's recent traces within a fixed budget, and the
 * environment each instance gets. When `npm start`'s own environment names
 * OTEL_EXPORTER_OTLP_ENDPOINT, the apps export there instead (with the other OTEL_* variables
 * of that environment) and the local store keeps the router's spans alone.
 */
export class SpaceTelemetry {
  readonly store: TraceStore;
  private receiver: OtlpReceiver | undefined;

  constructor(
    private readonly supervisorEnv: NodeJS.ProcessEnv,
    budgetBytes = DEFAULT_TRACE_BUDGET_BYTES,
  ) {
    this.store = new TraceStore(budgetBytes);
  }

  /** Whether the apps export to an endpoint `npm start`'s environment names, rather than to this platform. */
  get external(): string | undefined {
    const endpoint = this.supervisorEnv.OTEL_EXPORTER_OTLP_ENDPOINT;
    return endpoint !== undefined && endpoint.trim() !== '' ? endpoint : undefined;
  }

  async start(): Promise<void> {
    if (this.external) return;
    this.receiver = await startOtlpReceiver({ onSpans: (spans) => this.store.add(spans) });
  }

  /** The receiver's address (http://127.0.0.1:<port>), or the external endpoint. */
  get endpoint(): string | undefined {
    return this.external ?? this.receiver?.url;
  }

  /**
   * What every instance gets: the endpoint and, for this platform's receiver, exports within a
   * fifth of a second (a person looks at the trace of the request just made) and metrics every
   * 10 s; for an external endpoint, the OTEL_* variables of `npm start` as they are.
   */
  instanceEnv(): Record<string, string> {
    if (this.external) {
      return Object.fromEntries(
        Object.entries(this.supervisorEnv).filter(
          (entry): entry is [string, string] => PASSED_THROUGH.test(entry[0]) && entry[1] !== undefined,
        ),
      );
    }
    if (!this.receiver) return {};
    return {
      OTEL_EXPORTER_OTLP_ENDPOINT: this.receiver.url,
      OTEL_BSP_SCHEDULE_DELAY: '200',
      OTEL_METRIC_EXPORT_INTERVAL: '10000',
    };
  }

  /** The router's span of one request (the router runs in the supervisor: no export needed). */
  recordRouterSpan(span: StoredSpan): void {
    this.store.add([span]);
  }

  async stop(): Promise<void> {
    await this.receiver?.close();
    this.receiver = undefined;
  }
}
