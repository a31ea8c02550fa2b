import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { observeDelivery } from '../metrics/index.js';
import { createEmailSender } from './email.js';
import { createOutbox } from './outbox.js';
import { deliveryFailed, type Channel, type Delivery, type Sender } from './types.js';
import { createWebhookSender } from './webhook.js';

export type { Channel, Delivery, Message } from './types.js';
export { isDeliveryError } from './types.js';

export type DeliveryConfig = Pick<Config, 'smtpUrl' | 'smsWebhookUrl' | 'botWebhookUrl' | 'production' | 'publicUrl'> & Partial<Pick<Config, 'devOutbox'>>;

export interface DeliveryOptions {
  /** Tests make retries instant. */
  sleep?: (ms: number) => Promise<void>;
  fetch?: typeof fetch;
  now?: () => Date;
}

/**
 * Routes each channel to SMTP or its webhook when configured. A channel without configuration
 * goes to the development outbox when VERIFRAME_DEV_OUTBOX=1; otherwise it has nowhere to go and
 * every send fails with `delivery_failed` (the caller answers that the code could not be sent),
 * rather than pretending a code went out. Sending never logs the recipient or the text: the
 * text usually is a code.
 */
export function createDelivery(config: DeliveryConfig, log: Logger, opts: DeliveryOptions = {}): Delivery {
  const dlog = log.child({ component: 'delivery' });
  const retry = opts.sleep ? { sleep: opts.sleep } : {};
  const senders: Partial<Record<Channel, Sender>> = {};
  if (config.smtpUrl) senders.email = createEmailSender({ url: config.smtpUrl, publicUrl: config.publicUrl, log: dlog, ...retry });
  for (const [channel, url] of [
    ['sms', config.smsWebhookUrl],
    ['bot', config.botWebhookUrl],
  ] as const) {
    if (url) senders[channel] = createWebhookSender({ channel, url, log: dlog, ...retry, ...(opts.fetch ? { fetch: opts.fetch } : {}) });
  }

  const unconfigured = (['email', 'sms', 'bot'] as const).filter((c) => !senders[c]);
  if (unconfigured.length === 0) return { send: (m) => route(senders, m) };

  // loadConfig refuses VERIFRAME_DEV_OUTBOX with NODE_ENV=production; this holds for callers that
  // build the configuration by hand.
  if (!config.devOutbox || config.production) {
    dlog.warn(
      { channels: unconfigured },
      `NO DELIVERY for ${unconfigured.join(', ')}: codes for these channels cannot be sent and such requests fail with delivery_failed; set ${unconfigured.map(variableOf).join(', ')}` +
        (config.production ? '' : ' (or VERIFRAME_DEV_OUTBOX=1 to read them at /dev/outbox during development)'),
    );
    for (const channel of unconfigured) {
      senders[channel] = async (m) => {
        dlog.warn({ channel, kind: m.kind }, 'message not delivered: channel not configured');
        throw deliveryFailed(channel, 'not configured', 0);
      };
    }
    return { send: (m) => route(senders, m) };
  }

  const outbox = createOutbox(opts.now ? { now: opts.now } : {});
  dlog.info({ channels: unconfigured }, `${unconfigured.join(', ')} messages go to the dev outbox at ${config.publicUrl}/dev/outbox`);
  for (const channel of unconfigured) senders[channel] = async (m) => void outbox.add(m);
  return { send: (m) => route(senders, m), outbox };
}

function variableOf(channel: Channel): string {
  return channel === 'email' ? 'SMTP_URL' : channel === 'sms' ? 'SMS_WEBHOOK_URL' : 'BOT_WEBHOOK_URL';
}

function route(senders: Partial<Record<Channel, Sender>>, m: Parameters<Sender>[0]): Promise<void> {
  const sender = senders[m.channel];
  if (!sender) return Promise.reject(new TypeError(`unknown delivery channel ${JSON.stringify(m.channel)}`));
  return observeDelivery(m.channel, sender(m));
}
