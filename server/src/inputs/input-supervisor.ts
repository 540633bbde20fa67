/**
 * Starts and stops the inputs as their switches say (INPUT_FILE, INPUT_TCP, INPUT_REST, pushed
 * with PUT /v1/config), live and in every process: it watches the config version in Redis
 * (one GET a second) and is kicked at once by a change made in its own process. An input
 * switched on without what it needs, or that fails to start, says so in /v1/status instead of
 * pretending; a failed start is tried again with backoff. Each input changes state on its own,
 * so an input slow to stop (a file input waiting for Elasticsearch) holds up no other.
 */
import { retryDelayMs } from '../backoff.js';
import type { RuntimeConfigStore } from '../config/runtime-store.js';
import type { Settings } from '../config/schema.js';
import type { Logger } from '../logger.js';
import type { Input, InputContext } from './input.js';
import { INPUT_KINDS, switchedOn, type InputKind } from './input-kinds.js';

const WATCH_MS = 1000;
const MAX_RETRY_MS = 30_000;

/** running: taking records; off: switched off; unconfigured: on, but its settings are missing; failed: its start failed (retried). */
export type InputState = 'running' | 'off' | 'unconfigured' | 'failed' | 'starting' | 'stopping';

export interface SupervisedInputStatus {
  kind: string;
  /** What its switch says now. */
  enabled: boolean;
  state: InputState;
  /** Why it is not running although switched on. */
  problem: string | null;
  [detail: string]: unknown;
}

interface Slot {
  input?: Input;
  state: InputState;
  problem: string | null;
  failures: number;
  retryAt: number;
  transition?: Promise<void>;
}

export interface InputSupervisorOptions {
  config: Pick<RuntimeConfigStore, 'effective'>;
  context: InputContext;
  logger: Logger;
  /** Which inputs this process may run (all but the webhook route, unless a test says otherwise). */
  kinds?: readonly InputKind[];
}

export class InputSupervisor {
  private readonly kinds: readonly InputKind[];
  private readonly slots = new Map<string, Slot>();
  private settings: Settings;
  private timer: NodeJS.Timeout | undefined;
  private watching: Promise<void> | undefined;
  private stopped = false;

  constructor(private readonly options: InputSupervisorOptions) {
    this.kinds = options.kinds ?? INPUT_KINDS;
    this.settings = options.context.settings;
    for (const kind of this.kinds) this.slots.set(kind.name, { state: 'off', problem: null, failures: 0, retryAt: 0 });
  }

  /** The first reconciliation: an input that cannot start now stops the forwarder's start with its error. */
  async start(): Promise<void> {
    this.settings = (await this.options.config.effective()).settings;
    for (const kind of this.kinds) {
      const slot = this.slots.get(kind.name)!;
      if (this.settle(kind, slot) !== 'start') continue;
      const input = kind.create!(this.options.context, this.options.context.settings);
      await input.start();
      Object.assign(slot, { input, state: 'running', problem: null });
    }
    this.timer = setInterval(() => this.kick(), WATCH_MS);
    this.timer.unref();
  }

  /** Reads the settings and brings every input to what its switch says; never throws. */
  kick(): void {
    if (this.stopped || this.watching) return;
    this.watching = this.options.config.effective()
      .then(({ settings }) => {
        this.settings = settings;
        for (const kind of this.kinds) this.reconcile(kind);
      })
      .catch((error: unknown) => this.options.logger.warn({ err: error }, 'cannot read the input switches: inputs keep their state'))
      .finally(() => {
        this.watching = undefined;
      });
  }

  /**
   * What the kind's switch asks of its slot: start it, stop it, or nothing (then the slot's state
   * says why it does not run: off, or on without its settings).
   */
  private settle(kind: InputKind, slot: Slot): 'start' | 'stop' | 'none' {
    if (!kind.create) return 'none';
    const on = switchedOn(kind, this.settings);
    const missing = on ? kind.missing(this.settings) : undefined;
    if (slot.input) return on && missing === undefined ? 'none' : 'stop';
    if (!on) Object.assign(slot, { state: 'off', problem: null, failures: 0, retryAt: 0 });
    else if (missing !== undefined) Object.assign(slot, { state: 'unconfigured', problem: `switched on, but ${missing}` });
    else if (Date.now() >= slot.retryAt) return 'start';
    return 'none';
  }

  private reconcile(kind: InputKind): void {
    const slot = this.slots.get(kind.name)!;
    if (slot.transition) return;
    const action = this.settle(kind, slot);
    if (action === 'none') return;
    const transition = action === 'start' ? this.startInput(kind, slot) : this.stopInput(kind, slot);
    slot.transition = transition.finally(() => {
      slot.transition = undefined;
    });
  }

  private async startInput(kind: InputKind, slot: Slot): Promise<void> {
    slot.state = 'starting';
    const input = kind.create!(this.options.context, this.options.context.settings);
    try {
      await input.start();
    } catch (error) {
      await input.stop().catch(() => undefined);
      const delay = retryDelayMs(++slot.failures, MAX_RETRY_MS);
      Object.assign(slot, { state: 'failed', problem: `cannot start: ${(error as Error).message}`, retryAt: Date.now() + delay });
      this.options.logger.error({ err: error, 'event.module': kind.name, 'event.delay_ms': delay }, `the ${kind.name} input, switched on, cannot start: trying again`);
      return;
    }
    if (this.stopped) {
      await input.stop();
      return;
    }
    Object.assign(slot, { input, state: 'running', problem: null, failures: 0, retryAt: 0 });
    this.options.logger.info({ 'event.module': kind.name }, `the ${kind.name} input is switched on: started`);
  }

  private async stopInput(kind: InputKind, slot: Slot): Promise<void> {
    slot.state = 'stopping';
    const input = slot.input!;
    try {
      await input.stop();
    } catch (error) {
      this.options.logger.error({ err: error, 'event.module': kind.name }, `the ${kind.name} input did not stop cleanly`);
    } finally {
      slot.input = undefined;
      Object.assign(slot, { state: 'off', problem: null, failures: 0 });
      if (!this.stopped) this.options.logger.info({ 'event.module': kind.name }, `the ${kind.name} input is switched off: stopped`);
    }
  }

  /** Each input's switch and state, with the running input's own figures. */
  status(): Record<string, SupervisedInputStatus> {
    const result: Record<string, SupervisedInputStatus> = {};
    for (const kind of this.kinds) {
      const slot = this.slots.get(kind.name)!;
      const enabled = switchedOn(kind, this.settings);
      if (!kind.create) {
        result[kind.name] = { kind: kind.name, target: 'POST /v1/audit', enabled, state: enabled ? 'running' : 'off', problem: null };
        continue;
      }
      result[kind.name] = { ...slot.input?.status(), kind: kind.name, enabled, state: slot.state, problem: slot.problem };
    }
    return result;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.watching;
    await Promise.all([...this.slots.values()].map((slot) => slot.transition));
    await Promise.all([...this.slots.values()].map(async (slot) => {
      await slot.input?.stop();
      slot.input = undefined;
    }));
  }
}
