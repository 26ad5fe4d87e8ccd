import { ActivityHandler, MessageFactory } from 'botbuilder';

/**
 * The smallest bot on the product's adapter and HTTP stack: answers every message with its text. It is the
 * benchmark's baseline (what the server costs without Ansvar's logic) and the bot of the server's own tests:
 * `startApp(config, { bot: new EchoBot() })`.
 */
export class EchoBot extends ActivityHandler {
  constructor() {
    super();
    this.onMessage(async (context, next) => {
      const text = context.activity.text ?? '';
      await context.sendActivity(MessageFactory.text(text, text));
      await next();
    });
  }
}
