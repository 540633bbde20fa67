/** Where the start of this process stands, for /healthz: it answers before Redis is reached. */
export type StartupStep = 'redis' | 'sink' | 'inputs';

export class StartupState {
  private step: StartupStep | undefined = 'redis';
  private done = false;

  waitingFor(step: StartupStep): void {
    this.step = step;
  }

  started(): void {
    this.done = true;
    this.step = undefined;
  }

  /** `{ status: 'ok' }` once started; `{ status: 'starting', waitingFor }` before. */
  view(): { status: 'ok' } | { status: 'starting'; waitingFor: StartupStep } {
    return this.done || !this.step ? { status: 'ok' } : { status: 'starting', waitingFor: this.step };
  }
}
