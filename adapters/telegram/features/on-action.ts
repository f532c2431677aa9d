import type { Composer } from 'grammy';
import { decode, type Action } from '../callback-data.js';
import type { BotContext } from '../context.js';

type ActionOf<K extends Action['kind']> = Extract<Action, { kind: K }>;

/** Routes a button tap by the decoded action kind; undecodable data falls through to the fallback. */
export function onAction<K extends Action['kind']>(
  composer: Composer<BotContext>,
  kind: K,
  handler: (ctx: BotContext, action: ActionOf<K>) => Promise<unknown>,
): void {
  composer.on('callback_query:data', async (ctx, next) => {
    const action = decode(ctx.callbackQuery.data);
    if (action?.kind !== kind) return next();
    await handler(ctx, action as ActionOf<K>);
  });
}
