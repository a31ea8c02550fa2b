import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { createEmailSender } from './email.js';
import { createOutbox } from './outbox.js';
import type { Channel, Delivery, Sender } from './types.js';
import { createWebhookSender } from './webhook.js';

export type { Channel, Delivery, DeliveryError, Message, Outbox, OutboxEntry } from './types.js';
export { isDeliveryError } from './types.js';

export type DeliveryConfig = Pick<Config, 'smtpUrl' | 'smsWebhookUrl' | 'botWebhookUrl' | 'production' | 'publicUrl'>;

export interface DeliveryOptions {
  /** Tests make retries instant. */
  sleep?: (ms: number) => Promise<void>;
  fetch?: typeof fetch;
  now?: () => Date;
}

/**
 * Routes each channel to SMTP or its webhook when configured, otherwise to the development
 * outbox. Sending never logs the recipient or the text: the text usually is a code.
 */
export function createDelivery(config: DeliveryConfig, log: Logger, opts: DeliveryOptions = {}): Delivery {
  const dlog = log.child({ component: 'delivery' });
  const retry = opts.sleep ? { sleep: opts.sleep } : {};
  const senders: Partial<Record<Channel, Sender>> = {};
  if (config.smtpUrl) senders.email = createEmailSender({ url: config.smtpUrl, publicUrl: config.publicUrl, log: dlog, ...retry });
  for (const [channel, url] of [['sms', config.smsWebhookUrl], ['bot', config.botWebhookUrl]] as const) {
    if (url) senders[channel] = createWebhookSender({ channel, url, log: dlog, ...retry, ...(opts.fetch ? { fetch: opts.fetch } : {}) });
  }

  const outboxChannels = (['email', 'sms', 'bot'] as const).filter((c) => !senders[c]);
  if (outboxChannels.length === 0) return { send: (m) => route(senders, m) };

  const outbox = createOutbox(opts.now ? { now: opts.now } : {});
  if (config.production) {
    // In production /dev/outbox does not exist, so these messages reach nobody.
    dlog.warn(
      { channels: outboxChannels },
      `PRODUCTION MODE WITHOUT DELIVERY for ${outboxChannels.join(', ')}: codes for these channels are NOT sent to anyone; set ${outboxChannels.map(variableOf).join(', ')}`,
    );
  } else {
    dlog.info({ channels: outboxChannels }, `${outboxChannels.join(', ')} messages go to the dev outbox at ${config.publicUrl}/dev/outbox`);
  }
  for (const channel of outboxChannels) {
    senders[channel] = async (m) => {
      const entry = outbox.add(m);
      if (config.production) dlog.warn({ channel, kind: m.kind, messageId: entry.id }, 'message not delivered: channel not configured');
    };
  }
  return { send: (m) => route(senders, m), outbox };
}

function variableOf(channel: Channel): string {
  return channel === 'email' ? 'SMTP_URL' : channel === 'sms' ? 'SMS_WEBHOOK_URL' : 'BOT_WEBHOOK_URL';
}

function route(senders: Partial<Record<Channel, Sender>>, m: Parameters<Sender>[0]): Promise<void> {
  const sender = senders[m.channel];
  if (!sender) return Promise.reject(new TypeError(`unknown delivery channel ${JSON.stringify(m.channel)}`));
  return sender(m);
}
