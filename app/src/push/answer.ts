// Sending the device's decision: the canonical answer string signed with the token's key.
import { answerProof, type PushDecision } from '../../../shared/push.js';
import { errorCode, sign, type PushToken } from './device.js';

export type AnswerOutcome = { ok: true } | { ok: false; reason: 'expired' | 'answered' | 'offline' | 'rejected'; code?: string };

export async function answer(token: PushToken, challengeId: string, decision: PushDecision): Promise<AnswerOutcome> {
  const body = { serial: token.data.serial, decision, signature: await sign(token.key, answerProof(challengeId, decision)) };
  let res: Response;
  try {
    res = await fetch(`/app/api/push/challenges/${encodeURIComponent(challengeId)}/answer`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      cache: 'no-store',
    });
  } catch {
    return { ok: false, reason: 'offline' };
  }
  if (res.ok) return { ok: true };
  const code = await errorCode(res);
  if (code === 'push_challenge_expired') return { ok: false, reason: 'expired' };
  if (code === 'push_challenge_answered') return { ok: false, reason: 'answered' };
  return { ok: false, reason: 'rejected', code: code ?? String(res.status) };
}
