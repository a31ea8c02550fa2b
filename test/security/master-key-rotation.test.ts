import assert from 'node:assert/strict';
import { createCipheriv, createHmac, randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { rotateMasterKey } from '../../server/src/cli/rotate-key.js';
import { createKeyRing, decryptSecret, keyIdOf, type KeyRing } from '../../server/src/crypto/secretbox.js';
import { verifyChain } from '../../server/src/events/chain.js';
import { contextOf, ensureSigningKey } from '../../server/src/jwt/keys.js';
import { hotp } from '../../server/src/otp/index.js';
import { createTestApp } from '../helpers/app.js';
import { adminCalls, authCalls, rfcSecret, rfcSecretBase32 } from '../helpers/auth.js';
import { dbModes, openTestDb, type TestDb } from '../helpers/db.js';

// Finding (issue 13, low): `veriframe rotate-key` did not exist, so a master key could not be
// replaced. Now every secret is re-encrypted online under the new key (old key accepted until it
// finishes), in batches, idempotent and resumable; servers keep verifying meanwhile.

const USERS = 7;
const code = (counter: number) => hotp(rfcSecret, counter, { algorithm: 'SHA1', digits: 6 });

/** The blob format before HKDF subkeys: sealed with the raw master key (see secretbox.ts). */
function legacyBlob(key: Buffer, text: Buffer, ctx: string): Buffer {
  const id = Buffer.from(createHmac('sha256', key).update('veriframe/key-id/v1').digest().subarray(0, 6).toString('base64url'), 'ascii');
  const header = Buffer.concat([Buffer.from([1, id.length]), id]);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: 16 });
  cipher.setAAD(Buffer.concat([header, Buffer.from(ctx, 'utf8')]));
  return Buffer.concat([header, iv, cipher.update(text), cipher.final(), cipher.getAuthTag()]);
}

for (const mode of dbModes()) {
  describe(`veriframe rotate-key (${mode})`, () => {
    let t: TestDb;
    const [k1, k2, k3] = [randomBytes(32), randomBytes(32), randomBytes(32)];
    const counters = new Map<string, number>();
    let resource: { id: string; secret: string };

    /** One OTP login per user through a server holding `ring`; true when all succeed. */
    async function everyoneLogsIn(ring: KeyRing, logins = [...counters.keys()]): Promise<boolean[]> {
      const auth = authCalls(await createTestApp(t, { keyRing: ring }), resource);
      const results: boolean[] = [];
      for (const login of logins) {
        const counter = counters.get(login)!;
        counters.set(login, counter + 1);
        const res = await auth('user-token', { login, otp: code(counter), ip: '198.51.100.4' });
        results.push(res.status === 200 && res.body.result === true);
      }
      return results;
    }

    const keyIds = async () => {
      const tokens = await t.db.selectFrom('tokens').select('secretEnc').where('secretEnc', 'is not', null).execute();
      const keys = await t.db.selectFrom('signing_keys').select('privateEnc').execute();
      return [...tokens.map((r) => keyIdOf(r.secretEnc!)), ...keys.map((r) => keyIdOf(r.privateEnc))];
    };

    before(async () => {
      t = await openTestDb(mode);
      const old = createKeyRing(k1);
      const admin = adminCalls(await createTestApp(t, { keyRing: old }));
      resource = await admin.resource();
      for (let i = 0; i < USERS; i++) {
        const user = await admin.user({ login: `rot${i}` });
        const token = await admin.token({ kind: 'hardware', type: 'hotp', serialNumber: `ROT-${mode}-${i}`, secret: rfcSecretBase32 });
        await admin.pair(resource.id, user.id, token.id);
        counters.set(`rot${i}`, 0);
        // One secret still as it was written before HKDF subkeys: sealed with the raw key.
        if (i === 0)
          await t.db
            .updateTable('tokens')
            .set({ secretEnc: legacyBlob(k1, rfcSecret, `token:${token.id}`) })
            .where('id', '=', token.id)
            .execute();
      }
      await ensureSigningKey(t.db, old, new Date());
      assert.deepEqual(await everyoneLogsIn(old), Array(USERS).fill(true));
    });
    after(() => t?.close());

    it('re-encrypts every secret in batches while a server holding both keys keeps verifying', async () => {
      const ring = createKeyRing(k2, [k1]);
      const during: boolean[][] = [];
      const mixed: boolean[] = [];
      const progress: string[] = [];
      const result = await rotateMasterKey(t.db, ring, {
        batchSize: 2,
        onProgress: async (p) => {
          progress.push('sealed' in p ? `chain ${p.sealed}` : `${p.store} ${p.done}/${p.total}`);
          if ('sealed' in p || p.store !== 'token secrets' || p.done >= p.total) return;
          // Mid-rotation: some secrets under the new key, some under the old; both must work.
          const ids = new Set(await keyIds());
          mixed.push(ids.has(ring.current.id) && ids.size > 1);
          during.push(await everyoneLogsIn(ring));
        },
      });
      assert.deepEqual(
        result.stores.map((s) => [s.store, s.reencrypted, s.failed.length]),
        [
          ['token secrets', USERS, 0],
          ['signing keys', 1, 0],
        ],
      );
      assert.deepEqual(progress.slice(0, 4), ['token secrets 2/7', 'token secrets 4/7', 'token secrets 6/7', 'token secrets 7/7']);
      assert.ok(mixed.length >= 3 && mixed.every(Boolean), 'checked in a mixed state');
      assert.deepEqual(during.flat(), Array(USERS * during.length).fill(true));
      assert.equal(result.chain.ready, true);
      assert.deepEqual(new Set(await keyIds()), new Set([ring.current.id]));
    });

    it('leaves nothing for the old key: a server with the new key alone verifies every token and the chain', async () => {
      const only = createKeyRing(k2);
      assert.deepEqual(await everyoneLogsIn(only), Array(USERS).fill(true));
      const key = await t.db.selectFrom('signing_keys').selectAll().executeTakeFirstOrThrow();
      assert.ok(decryptSecret(only, key.privateEnc, contextOf(key.kid)).length > 0);
      assert.equal((await verifyChain(t.db, only)).ok, true);
      const tokens = await t.db.selectFrom('tokens').select(['id', 'secretEnc']).execute();
      for (const row of tokens) assert.throws(() => decryptSecret(createKeyRing(k1), row.secretEnc!, `token:${row.id}`), /unknown key id/);
    });

    it('is idempotent: a second run finds nothing to do', async () => {
      const result = await rotateMasterKey(t.db, createKeyRing(k2, [k1]), { batchSize: 2 });
      assert.deepEqual(
        result.stores.map((s) => s.reencrypted + s.changed + s.failed.length),
        [0, 0],
      );
    });

    it('is resumable: a run stopped half-way is finished by the next one', async () => {
      const ring = createKeyRing(k3, [k2]);
      await assert.rejects(
        rotateMasterKey(t.db, ring, {
          batchSize: 3,
          onProgress: (p) => {
            if (!('sealed' in p) && p.done >= 3) throw new Error('killed');
          },
        }),
        /killed/,
      );
      const halfway = await keyIds();
      assert.ok(halfway.includes(ring.current.id) && halfway.some((id) => id !== ring.current.id));
      assert.deepEqual(await everyoneLogsIn(ring), Array(USERS).fill(true), 'halfway, servers with both keys still verify');
      const result = await rotateMasterKey(t.db, ring, { batchSize: 3 });
      assert.deepEqual(
        result.stores.map((s) => s.reencrypted),
        [USERS - 3, 1],
      );
      assert.deepEqual(new Set(await keyIds()), new Set([ring.current.id]));
      assert.deepEqual(await everyoneLogsIn(createKeyRing(k3)), Array(USERS).fill(true));
    });

    it('reports secrets no configured key opens instead of skipping them silently', async () => {
      const result = await rotateMasterKey(t.db, createKeyRing(randomBytes(32)), { batchSize: 4 });
      assert.equal(result.stores[0]!.failed.length, USERS);
      assert.equal(result.stores[0]!.reencrypted, 0);
      assert.ok(result.stores[0]!.failed.every((f) => f.keyId === createKeyRing(k3).current.id));
    });
  });
}
