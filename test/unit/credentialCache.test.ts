import { cachedCredential, clearCredentialCache, CREDENTIAL_TTL_MS } from '../../nodes/WebhookTrigger/credentialCache';
import type { CredentialRead } from '../../nodes/WebhookTrigger/credentialCache';

describe('credential reuse for a few seconds', () => {
	beforeEach(() => clearCredentialCache());

	const request = (overrides: Partial<CredentialRead> & Pick<CredentialRead, 'read'>): CredentialRead => ({
		workflowId: 'wf1',
		nodeName: 'Trigger',
		credentialType: 'webhookBearerAuthApi',
		credentialId: 'c1',
		cacheable: true,
		now: 1_000_000,
		...overrides,
	});

	it('reads once per node within the interval, afresh after it', async () => {
		let reads = 0;
		const read = async () => ({ token: `t${++reads}` });
		expect(await cachedCredential(request({ read }))).toEqual({ token: 't1' });
		expect(await cachedCredential(request({ read, now: 1_000_000 + CREDENTIAL_TTL_MS - 1 }))).toEqual({ token: 't1' });
		expect(await cachedCredential(request({ read, now: 1_000_000 + CREDENTIAL_TTL_MS }))).toEqual({ token: 't2' });
		expect(reads).toBe(2);
	});

	it('never shares a value between nodes, workflows, types or credential ids', async () => {
		let reads = 0;
		const read = async () => ++reads;
		await cachedCredential(request({ read }));
		await cachedCredential(request({ read, nodeName: 'Other' }));
		await cachedCredential(request({ read, workflowId: 'wf2' }));
		await cachedCredential(request({ read, credentialType: 'webhookHmacApi' }));
		await cachedCredential(request({ read, credentialId: 'c2' }));
		expect(reads).toBe(5);
	});

	it('reads afresh for test-URL calls and when the node names no credential id', async () => {
		let reads = 0;
		const read = async () => ++reads;
		await cachedCredential(request({ read }));
		expect(await cachedCredential(request({ read, cacheable: false }))).toBe(2);
		expect(await cachedCredential(request({ read, credentialId: undefined }))).toBe(3);
		expect(await cachedCredential(request({ read }))).toBe(1);
	});

	it('shares one read between concurrent calls and keeps no failed read', async () => {
		let reads = 0;
		const read = async () => {
			reads++;
			await new Promise((resolve) => setTimeout(resolve, 10));
			if (reads === 1) throw new Error('decryption failed');
			return 'ok';
		};
		const first = await Promise.allSettled([cachedCredential(request({ read })), cachedCredential(request({ read }))]);
		expect(first.map((r) => r.status)).toEqual(['rejected', 'rejected']);
		expect(reads).toBe(1);
		expect(await cachedCredential(request({ read }))).toBe('ok');
		expect(reads).toBe(2);
	});
});
