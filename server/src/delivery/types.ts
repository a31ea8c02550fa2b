export type Channel = 'email' | 'sms' | 'bot';

export interface Message {
  channel: Channel;
  /** E-mail address, phone number or chat id, as the receiving channel understands it. */
  to: string;
  subject: string;
  text: string;
  html?: string;
  kind: 'otp' | 'lock-notice' | 'other';
}

/** A message kept by the development outbox. */
export interface OutboxEntry extends Message {
  id: string;
  /** ISO 8601 time it was kept. */
  at: string;
}

export interface Outbox {
  add(m: Message): OutboxEntry;
  /** Newest first. */
  list(): OutboxEntry[];
  clear(): void;
  /** The newest message to this recipient (case-insensitive), if still kept. */
  latestFor(to: string): OutboxEntry | undefined;
}

export interface Delivery {
  /** Resolves once the message was handed over; throws a DeliveryError when every attempt failed. */
  send(m: Message): Promise<void>;
  /** Present when at least one channel has no configuration and keeps its messages here. */
  outbox?: Outbox;
}

/** Sends one message over one channel. */
export type Sender = (m: Message) => Promise<void>;

/**
 * Thrown when a message could not be delivered. Its message and `reason` name the channel and
 * what went wrong (e.g. `http 503`, `timeout`, `smtp 550`) but never the recipient, the text or
 * the endpoint URL, which may carry credentials (bot tokens, SMTP passwords).
 */
export interface DeliveryError extends Error {
  code: 'delivery_failed';
  channel: Channel;
  reason: string;
  attempts: number;
}

export function deliveryFailed(channel: Channel, reason: string, attempts: number): DeliveryError {
  const err = new Error(`${channel} delivery failed after ${attempts} attempt${attempts === 1 ? '' : 's'} (${reason})`);
  return Object.assign(err, { code: 'delivery_failed' as const, channel, reason, attempts });
}

export function isDeliveryError(err: unknown): err is DeliveryError {
  return err instanceof Error && (err as Partial<DeliveryError>).code === 'delivery_failed';
}
