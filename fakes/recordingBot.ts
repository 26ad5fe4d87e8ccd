import { ActivityHandler, MessageFactory, type TurnContext } from 'botbuilder';

/**
 * A bot for the server's tests: records every turn it runs, echoes messages as `echo: <text>`, and answers invokes
 * with `invokeResponse`. `hold()` makes the next turns wait until `release()`, for shutdown tests.
 */
export class RecordingBot extends ActivityHandler {
  readonly turns: { type: string; text?: string; name?: string }[] = [];
  invokeResponse: { status: number; body?: unknown } = {
    status: 200,
    body: { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: 'ok' },
  };
  private gate: Promise<void> | undefined;
  private open: (() => void) | undefined;
  private entered: (() => void)[] = [];

  constructor() {
    super();
    this.onMessage(async (context, next) => {
      await context.sendActivity(MessageFactory.text(`echo: ${context.activity.text ?? ''}`));
      await next();
    });
  }

  override async run(context: TurnContext): Promise<void> {
    this.turns.push({
      type: context.activity.type,
      text: context.activity.text,
      name: context.activity.name,
    });
    for (const resolve of this.entered.splice(0)) resolve();
    if (this.gate) await this.gate;
    await super.run(context);
  }

  protected override async onInvokeActivity(): Promise<{ status: number; body?: unknown }> {
    return this.invokeResponse;
  }

  /** Turns started from now on wait until release(). */
  hold(): void {
    this.gate = new Promise((resolve) => (this.open = resolve));
  }

  release(): void {
    this.open?.();
    this.gate = undefined;
  }

  /** Resolves when the next turn starts. */
  nextTurnStarted(): Promise<void> {
    return new Promise((resolve) => this.entered.push(resolve));
  }
}
